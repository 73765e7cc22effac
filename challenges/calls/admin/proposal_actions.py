"""Actions of the proposals admin: jury assignment, decisions, corrections, comparison, exports.

Each action calls the services of the call for projects (the same ones as everywhere else)."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from challenges.calls import jury as jury_services
from challenges.calls import selection as selection_services
from challenges.calls.admin.exports import EXPORT_HEADER, export_rows
from challenges.calls.admin.forms import AssignJurorsForm, MessageForm, OptionalMessageForm
from challenges.calls.models import (
    ChallengeProposal,
)
from challenges.calls.selectors import (
    RANKING_ORDER,
    SPREAD_FLAG_THRESHOLD,
    proposal_comparison,
)
from challenges.calls.services import proposal_request_correction
from eig_portal.common.cells import Sheet, csv_response, xlsx_response


class ProposalActionsMixin:
    """Admin actions and the comparison page of ``ChallengeProposalAdmin``."""

    def _intermediate(self, request, queryset, *, action, title, form, intro, submit):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "intro": intro,
            "submit_label": submit,
            "form": form,
            "queryset": queryset,
            "action": action,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "opts": self.model._meta,
        }
        return TemplateResponse(
            request, "admin/challenges/challengeproposal/action_form.html", context
        )

    def _report(self, request, result, done_message):
        """``done_message(n)`` is the sentence for ``n`` proposals done (French plurals)."""
        if result.done:
            self.message_user(request, done_message(len(result.done)), messages.SUCCESS)
        for proposal, error in result.failed.items():
            self.message_user(request, f"{proposal} : {error}", messages.ERROR)
        for proposal in result.unchanged:
            self.message_user(
                request,
                gettext("%(proposal)s : déjà retenue, son défi existe déjà (rien n'a changé).")
                % {"proposal": proposal},
                messages.WARNING,
            )

    @admin.action(description=_("Affecter des membres du jury"))
    def assign_jurors(self, request, queryset):
        form = AssignJurorsForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            try:
                created = jury_services.jury_assign(
                    proposals=list(queryset), jurors=form.cleaned_data["jurors"], by=request.user
                )
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                return None
            self.message_user(
                request,
                ngettext("%(n)s affectation créée.", "%(n)s affectations créées.", created)
                % {"n": created},
                messages.SUCCESS,
            )
            return None
        return self._intermediate(
            request,
            queryset,
            action="assign_jurors",
            title=gettext("Affecter des membres du jury"),
            form=form,
            intro=gettext(
                "Chaque membre choisi évaluera chacune des candidatures ci-dessous. Un agent de "
                "l'administration candidate n'est jamais affecté à sa propre candidature."
            ),
            submit=gettext("Affecter"),
        )

    @admin.action(description=_("Passer « en cours d'examen »"))
    def mark_under_review(self, request, queryset):
        result = selection_services.proposals_bulk(
            proposals=queryset, action="under_review", by=request.user
        )
        self._report(
            request,
            result,
            lambda n: (
                ngettext(
                    "%(n)s candidature en cours d'examen.",
                    "%(n)s candidatures en cours d'examen.",
                    n,
                )
                % {"n": n}
            ),
        )

    @admin.action(description=_("Demander une correction (avec message)"))
    def request_correction(self, request, queryset):
        form = MessageForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            result = selection_services.BulkResult()
            for proposal in queryset:
                try:
                    proposal_request_correction(
                        proposal=proposal, by=request.user, message=form.cleaned_data["message"]
                    )
                except ValidationError as error:
                    result.failed[proposal] = " ".join(error.messages)
                else:
                    result.done.append(proposal)
            self._report(
                request,
                result,
                lambda n: (
                    ngettext(
                        "Correction demandée pour %(n)s candidature.",
                        "Correction demandée pour %(n)s candidatures.",
                        n,
                    )
                    % {"n": n}
                ),
            )
            return None
        return self._intermediate(
            request,
            queryset,
            action="request_correction",
            title=gettext("Demander une correction"),
            form=form,
            intro=gettext(
                "Les agents de l'administration reçoivent ce message par courriel ; la "
                "candidature redevient modifiable jusqu'à ce qu'ils la déposent à nouveau."
            ),
            submit=gettext("Demander la correction"),
        )

    def _bulk_decision(
        self, request, queryset, *, action, form_class, done_message, title, intro, submit
    ):
        """A ``proposals_bulk`` decision with a message, behind an intermediate confirmation page.

        First call (or invalid form): the page listing ``queryset`` with a ``form_class`` form
        (``message``) and ``intro``/``submit`` texts. Once posted with « apply » and valid:
        ``selection_services.proposals_bulk(action=action, message=…)`` on the selection, and
        the outcome reported (``done_message(n)`` gives the sentence); returns ``None`` (back to the
        list).
        """
        form = form_class(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            result = selection_services.proposals_bulk(
                proposals=queryset,
                action=action,
                by=request.user,
                message=form.cleaned_data["message"],
            )
            self._report(request, result, done_message)
            return None
        return self._intermediate(
            request, queryset, action=action, title=title, form=form, intro=intro, submit=submit
        )

    @admin.action(description=_("Retenir (crée le défi)"))
    def select(self, request, queryset):
        return self._bulk_decision(
            request,
            queryset,
            action="select",
            form_class=OptionalMessageForm,
            done_message=lambda n: (
                ngettext(
                    "%(n)s candidature retenue : défi créé.",
                    "%(n)s candidatures retenues : défis créés.",
                    n,
                )
                % {"n": n}
            ),
            title=gettext("Retenir ces candidatures"),
            intro=gettext(
                "Chaque candidature retenue devient un défi publié de la promotion de l'appel, "
                "avec son administration et ses mentors ; ses agents reçoivent la décision par "
                "courriel."
            ),
            submit=gettext("Retenir"),
        )

    @admin.action(description=_("Ne pas retenir (avec message)"))
    def not_select(self, request, queryset):
        return self._bulk_decision(
            request,
            queryset,
            action="not_select",
            form_class=MessageForm,
            done_message=lambda n: (
                ngettext("%(n)s candidature non retenue.", "%(n)s candidatures non retenues.", n)
                % {"n": n}
            ),
            title=gettext("Ne pas retenir ces candidatures"),
            intro=gettext(
                "Le message est envoyé aux agents de chaque administration avec la décision."
            ),
            submit=gettext("Ne pas retenir"),
        )

    @admin.action(description=_("Comparer (deux candidatures)"))
    def compare(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True)[:3])
        if len(ids) != 2:
            self.message_user(
                request, gettext("Choisissez exactement deux candidatures."), messages.WARNING
            )
            return None
        url = reverse("admin:challenges_challengeproposal_compare")
        return HttpResponseRedirect(f"{url}?ids={ids[0]}&ids={ids[1]}")

    @admin.action(description=_("Exporter en CSV"))
    def export_csv(self, request, queryset):
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return csv_response(
            header=EXPORT_HEADER,
            rows=export_rows(queryset.order_by(*RANKING_ORDER)),
            filename=f"candidatures-{stamp}.csv",
            sep=";" if request.POST.get("sep") == ";" else ",",
        )

    @admin.action(description=_("Exporter en XLSX"))
    def export_xlsx(self, request, queryset):
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return xlsx_response(
            sheets=[
                Sheet(
                    title="Candidatures",
                    header=EXPORT_HEADER,
                    rows=export_rows(queryset.order_by(*RANKING_ORDER)),
                )
            ],
            filename=f"candidatures-{stamp}.xlsx",
        )

    # --- comparison -----------------------------------------------------------------------

    def compare_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            ids = [int(i) for i in request.GET.getlist("ids")][:2]
        except ValueError:
            ids = []
        first = ChallengeProposal.objects.select_related("call").filter(pk__in=ids[:1]).first()
        if len(ids) != 2 or first is None:
            self.message_user(
                request, gettext("Choisissez exactement deux candidatures."), messages.WARNING
            )
            return HttpResponseRedirect(reverse("admin:challenges_challengeproposal_changelist"))
        comparison = proposal_comparison(call=first.call, proposal_ids=ids)
        if len(comparison["proposals"]) != 2:
            self.message_user(
                request,
                gettext("Les deux candidatures doivent être reçues et du même appel."),
                messages.WARNING,
            )
            return HttpResponseRedirect(reverse("admin:challenges_challengeproposal_changelist"))
        fields = [
            "summary",
            "context",
            "objectives",
            "beneficiaries",
            "available_data",
            "systems",
            "environment_notes",
            "mentor_name",
            "mentor_time_commitment",
            "sponsor_name",
            "sponsor_time_commitment",
            "profiles_wanted_total",
            "cofunding_share",
        ]
        meta = ChallengeProposal._meta
        rows = [
            {
                "label": meta.get_field(f).verbose_name
                if f != "profiles_wanted_total"
                else gettext("EIG souhaités"),
                "values": [getattr(p, f) for p in comparison["proposals"]],
            }
            for f in fields
        ]
        commitments = [
            "commits_equipment",
            "commits_internet_access",
            "commits_servers",
            "commits_remote_work",
            "commits_offsite_work",
        ]
        commitment_rows = [
            {
                "label": meta.get_field(f).verbose_name,
                "values": [getattr(p, f) for p in comparison["proposals"]],
            }
            for f in commitments
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Comparer deux candidatures"),
            "opts": meta,
            "call": first.call,
            "comparison": comparison,
            "rows": rows,
            "commitment_rows": commitment_rows,
            "threshold": SPREAD_FLAG_THRESHOLD,
        }
        return TemplateResponse(request, "admin/challenges/challengeproposal/compare.html", context)
