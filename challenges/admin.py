"""Django admin of the challenges app.

Sections (each engineer keeps to their own):
1. Défis, themes, expertises, key figures (h1, issue 2) — just below.
2. Call for projects, proposals, jury (issue 3) — add at the end of the file.
"""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from import_export import fields, widgets

from promotions.admin import (
    PortalHistoryAdmin,
    PortalImportExportAdmin,
    PortalResource,
    StrictManyToManyWidget,
    administration_field,
    promotion_field,
)

from .models import Challenge, Expertise, KeyFigure, Theme

# =============================================================================================
# 1. Défis, themes, expertises, key figures (h1, issue 2)
# =============================================================================================


class ThemeResource(PortalResource):
    class Meta:
        model = Theme
        import_id_fields = ["name"]
        fields = ("name", "slug")
        skip_unchanged = True
        report_skipped = True


class ExpertiseResource(PortalResource):
    class Meta:
        model = Expertise
        import_id_fields = ["name"]
        fields = ("name", "slug")
        skip_unchanged = True
        report_skipped = True


class ChallengeResource(PortalResource):
    promotion = promotion_field()
    administration = administration_field()
    themes = fields.Field(
        attribute="themes",
        column_name="themes",
        widget=StrictManyToManyWidget(Theme, field="name", separator="|"),
    )
    expertises = fields.Field(
        attribute="expertises",
        column_name="expertises",
        widget=StrictManyToManyWidget(Expertise, field="name", separator="|"),
    )

    class Meta:
        model = Challenge
        import_id_fields = ["slug"]
        fields = (
            "slug",
            "title",
            "promotion",
            "administration",
            "town",
            "summary",
            "description",
            "themes",
            "expertises",
            "website",
            "source_code_url",
            "startup_url",
            "is_public",
            "production_status",
            "is_maintained",
            "open_datasets",
            "annex_tools",
        )
        skip_unchanged = True
        report_skipped = True

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("promotion", "administration")
            .prefetch_related("themes", "expertises")
        )


class KeyFigureResource(PortalResource):
    challenge = fields.Field(
        attribute="challenge",
        column_name="challenge",
        widget=widgets.ForeignKeyWidget(Challenge, field="slug"),
    )

    class Meta:
        model = KeyFigure
        fields = ("id", "challenge", "order", "amount", "description")
        skip_unchanged = True
        report_skipped = True


class KeyFigureInline(admin.TabularInline):
    model = KeyFigure
    extra = 0
    fields = ("order", "amount", "description")


class ChallengeFellowInline(admin.TabularInline):
    """The défi's EIG (links of ``Challenge.fellows``)."""

    model = Challenge.fellows.through
    extra = 0
    autocomplete_fields = ["fellow"]
    verbose_name = _("EIG")
    verbose_name_plural = _("EIG du défi")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("fellow__promotion")


class ChallengeMentorInline(admin.TabularInline):
    """The défi's mentors (links of ``Challenge.mentors``)."""

    model = Challenge.mentors.through
    extra = 0
    autocomplete_fields = ["mentor"]
    verbose_name = _("mentor")
    verbose_name_plural = _("mentors du défi")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("mentor")


@admin.register(Theme)
class ThemeAdmin(PortalImportExportAdmin):
    resource_classes = [ThemeResource]
    list_display = ("name", "slug", "n_challenges")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_challenges=Count("challenges"))

    @admin.display(description=_("défis"), ordering="n_challenges")
    def n_challenges(self, obj):
        return obj.n_challenges


@admin.register(Expertise)
class ExpertiseAdmin(ThemeAdmin):
    resource_classes = [ExpertiseResource]


@admin.register(Challenge)
class ChallengeAdmin(PortalHistoryAdmin):
    resource_classes = [ChallengeResource]
    list_display = (
        "title",
        "promotion",
        "administration",
        "production_status",
        "is_maintained",
        "is_public",
        "n_fellows",
        "n_mentors",
    )
    list_filter = (
        "promotion",
        ("administration", admin.RelatedOnlyFieldListFilter),
        "production_status",
        "is_maintained",
        "is_public",
        "themes",
    )
    search_fields = (
        "title",
        "summary",
        "slug",
        "administration__name",
        "administration__acronym",
    )
    list_select_related = ("promotion", "administration")
    autocomplete_fields = ("administration",)
    filter_horizontal = ("themes", "expertises")
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = ("source_key", "created_at", "updated_at")
    inlines = [ChallengeFellowInline, ChallengeMentorInline, KeyFigureInline]
    fieldsets = (
        (None, {"fields": ("title", "slug", "promotion", "administration", "town", "is_public")}),
        (_("Contenu"), {"fields": ("summary", "description", "themes", "expertises")}),
        (_("Liens"), {"fields": ("website", "source_code_url", "startup_url")}),
        (
            _("Réalisation"),
            {"fields": ("production_status", "is_maintained", "open_datasets", "annex_tools")},
        ),
        (_("Suivi"), {"fields": ("published_at", "source_key", "created_at", "updated_at")}),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_fellows=Count("fellows", distinct=True),
                n_mentors=Count("mentors", distinct=True),
            )
        )

    @admin.display(description=_("EIG"), ordering="n_fellows")
    def n_fellows(self, obj):
        return obj.n_fellows

    @admin.display(description=_("mentors"), ordering="n_mentors")
    def n_mentors(self, obj):
        return obj.n_mentors


# =============================================================================================
# 2. Call for projects, proposals, jury (issue 3) — below this line
# =============================================================================================
# Owner: h4. Coordinators run the call for projects here: calls with their criteria, proposals
# by call and status with the jury's ranking (changelist annotations), bulk actions that call the
# same services as everywhere else, a side-by-side comparison, CSV/XLSX exports, agent accounts.

from decimal import ROUND_HALF_UP, Decimal  # noqa: E402

from django import forms  # noqa: E402
from django.contrib import messages  # noqa: E402
from django.contrib.admin import helpers  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.exceptions import PermissionDenied, ValidationError  # noqa: E402
from django.db.models import Q  # noqa: E402
from django.http import HttpResponseRedirect  # noqa: E402
from django.template.response import TemplateResponse  # noqa: E402
from django.urls import path, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.html import format_html  # noqa: E402
from django.utils.translation import gettext  # noqa: E402

from eig_portal.exports import Sheet, csv_response, xlsx_response  # noqa: E402

from . import jury as jury_services  # noqa: E402
from . import selection as selection_services  # noqa: E402
from .coordination import agent_profiles_confirm  # noqa: E402
from .models import (  # noqa: E402
    AgentProfile,
    CallForProjects,
    ChallengeProposal,
    Criterion,
    JuryAssignment,
    NotificationLog,
    ProposalAttachment,
    ProposalStatusChange,
    ProposalVersion,
)
from .selectors import (  # noqa: E402
    RANKING_ORDER,
    RECEIVED_STATUSES,
    SPREAD_FLAG_THRESHOLD,
    annotate_ranking,
    proposal_comparison,
)
from .services import SECTION_FIELDS, proposal_request_correction  # noqa: E402


def _round2(value):
    """A score to two decimals, half up (as ``floatformat`` on the comparison page: 4.125 → 4.13
    everywhere, not 4.12 in the list and 4.13 side by side); None stays None."""
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _score(value) -> str:
    return "—" if value is None else str(_round2(value)).replace(".", ",")


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ("order", "label", "weight", "description")


@admin.register(CallForProjects)
class CallForProjectsAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "promotion",
        "opens_at",
        "closes_at",
        "is_published",
        "received",
        "ranking_link",
    )
    list_filter = ("is_published", "promotion")
    search_fields = ("title", "slug", "promotion__code")
    list_select_related = ("promotion",)
    prepopulated_fields = {"slug": ("title",)}
    date_hierarchy = "closes_at"
    inlines = [CriterionInline]

    def get_queryset(self, request):
        received = Q(proposals__submitted_at__isnull=False) & ~Q(
            proposals__status=ChallengeProposal.Status.WITHDRAWN
        )
        return super().get_queryset(request).annotate(received=Count("proposals", filter=received))

    @admin.display(description=_("candidatures reçues"), ordering="received")
    def received(self, obj):
        return obj.received

    @admin.display(description=_("classement"))
    def ranking_link(self, obj):
        url = reverse("admin:challenges_challengeproposal_changelist")
        return format_html(
            '<a href="{}?call__id__exact={}">{}</a>', url, obj.pk, gettext("Voir le classement")
        )


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class StatusChangeInline(ReadOnlyInline):
    model = ProposalStatusChange
    fields = ("at", "from_status", "to_status", "by", "message")
    readonly_fields = fields
    verbose_name_plural = _("historique des statuts")


class VersionInline(ReadOnlyInline):
    model = ProposalVersion
    fields = ("number", "submitted_at", "submitted_by")
    readonly_fields = fields


class AttachmentInline(ReadOnlyInline):
    model = ProposalAttachment
    fields = ("original_name", "size", "uploaded_by", "uploaded_at")
    readonly_fields = fields


class JuryAssignmentInline(ReadOnlyInline):
    model = JuryAssignment
    fields = ("juror", "assigned_at", "conflict_of_interest", "review_state")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("juror", "review")

    @admin.display(description=_("évaluation"))
    def review_state(self, obj):
        review = getattr(obj, "review", None)  # the missing reverse one-to-one is an AttributeError
        if review is None:
            return gettext("non commencée")
        if review.submitted_at is None:
            return gettext("brouillon")
        return gettext("soumise le %(date)s") % {
            "date": timezone.localtime(review.submitted_at).strftime("%d/%m/%Y %H:%M")
        }


class SpreadFlagFilter(admin.SimpleListFilter):
    title = _("écart entre jurés")
    parameter_name = "ecart"

    def lookups(self, request, model_admin):
        return [
            ("fort", _("Écart fort (≥ %(t)s point)") % {"t": SPREAD_FLAG_THRESHOLD}),
            ("non_note", _("Pas encore notée")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "fort":
            return queryset.filter(spread_flag=True)
        if self.value() == "non_note":
            return queryset.filter(review_count=0)
        return queryset


class ReceivedFilter(admin.SimpleListFilter):
    """Received proposals by default (drafts are the agents' business until submitted)."""

    title = _("réception")
    parameter_name = "recues"

    def lookups(self, request, model_admin):
        return [("tout", _("Toutes, brouillons compris"))]

    def queryset(self, request, queryset):
        if self.value() == "tout" or request.GET.get("status__exact"):
            return queryset
        return queryset.filter(status__in=RECEIVED_STATUSES)


class MessageForm(forms.Form):
    message = forms.CharField(
        label=_("Message à l'administration"),
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
        required=True,
    )


class OptionalMessageForm(forms.Form):
    message = forms.CharField(
        label=_("Message à l'administration (facultatif)"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        required=False,
    )


class AssignJurorsForm(forms.Form):
    jurors = forms.ModelMultipleChoiceField(
        label=_("Membres du jury"),
        queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Comptes du groupe « jury » et coordinateurs. Une personne manque ? « Inviter un "
            "membre du jury », en haut de la liste des candidatures."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurors"].queryset = (
            get_user_model()
            .objects.filter(is_active=True)
            .filter(Q(groups__name=jury_services.JURY_GROUP) | Q(is_staff=True))
            .distinct()
            .order_by("last_name", "email")
        )
        self.fields["jurors"].label_from_instance = lambda u: (
            f"{u.get_full_name()} <{u.email}>" if u.get_full_name() else u.email or u.username
        )


EXPORT_HEADER = [
    "id",
    "appel",
    "administration",
    "titre",
    "résumé",
    "statut",
    "déposée le (heure de Paris)",
    "note pondérée",
    "évaluations",
    "jurés",
    "note min",
    "note max",
    "écart",
    "écart-type (population)",
    "écart fort",
    "développeur·ses",
    "designers",
    "data scientists",
    "cofinancement (%)",
    "mentor opérationnel",
    "mentor de haut niveau",
    "défi créé",
]


def _export_rows(queryset):
    def rounded(value):
        return None if value is None else float(_round2(value))

    for p in queryset.select_related("call", "administration", "challenge"):
        yield [
            p.pk,
            p.call.title,
            p.administration.name,
            p.title,
            p.summary,
            p.get_status_display(),
            timezone.localtime(p.submitted_at).replace(microsecond=0) if p.submitted_at else None,
            rounded(p.weighted_score),
            p.review_count,
            p.juror_count,
            rounded(p.score_min),
            rounded(p.score_max),
            rounded(p.score_spread),
            rounded(p.score_stddev),
            p.spread_flag,
            p.developers_wanted,
            p.designers_wanted,
            p.data_scientists_wanted,
            p.cofunding_share,
            p.mentor_name,
            p.sponsor_name,
            p.challenge.slug if p.challenge_id else None,
        ]


@admin.register(ChallengeProposal)
class ChallengeProposalAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "administration",
        "call",
        "status",
        "submitted_at",
        "weighted_score_display",
        "reviews_display",
        "spread_display",
        "stddev_display",
        "spread_flag_display",
    )
    list_display_links = ("__str__",)
    list_filter = (
        "call",
        "status",
        ReceivedFilter,
        SpreadFlagFilter,
        ("administration", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = (
        "title",
        "summary",
        "administration__name",
        "administration__acronym",
        "mentor_name",
        "sponsor_name",
    )
    list_select_related = ("administration", "call")
    list_per_page = 50
    inlines = [JuryAssignmentInline, StatusChangeInline, VersionInline, AttachmentInline]
    actions = [
        "assign_jurors",
        "mark_under_review",
        "request_correction",
        "select",
        "not_select",
        "compare",
        "export_csv",
        "export_xlsx",
    ]
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "call",
                    "administration",
                    "status",
                    "submitted_at",
                    "version",
                    "challenge",
                )
            },
        ),
        # The agent's fields, grouped as in their form (one list: services.SECTION_FIELDS).
        (_("Le défi"), {"fields": SECTION_FIELDS["defi"]}),
        (_("Données et environnement technique"), {"fields": SECTION_FIELDS["environnement"]}),
        (_("L'équipe"), {"fields": SECTION_FIELDS["equipe"]}),
        (
            _("Profils et financement"),
            {"fields": SECTION_FIELDS["profils"] + SECTION_FIELDS["financement"]},
        ),
        (_("Suivi"), {"fields": ("created_by", "updated_by", "created_at", "updated_at")}),
    )

    # Proposals are written by the agents; coordinators act through the actions (services).
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [f for fieldset in self.fieldsets for f in fieldset[1]["fields"]]

    def get_queryset(self, request):
        # Annotate before ordering (ModelAdmin.get_queryset orders by get_ordering()).
        queryset = annotate_ranking(self.model._default_manager.get_queryset())
        return queryset.order_by(*self.get_ordering(request))

    def get_ordering(self, request):
        # The ranking (annotations), so not in ``ordering``: the system check wants fields.
        return RANKING_ORDER

    def get_urls(self):
        return [
            path(
                "comparer/",
                self.admin_site.admin_view(self.compare_view),
                name="challenges_challengeproposal_compare",
            ),
            *super().get_urls(),
        ]

    # --- ranking columns ------------------------------------------------------------------

    @admin.display(description=_("note pondérée"), ordering="weighted_score")
    def weighted_score_display(self, obj):
        return _score(obj.weighted_score)

    @admin.display(description=_("évaluations / jurés"), ordering="review_count")
    def reviews_display(self, obj):
        return f"{obj.review_count} / {obj.juror_count}"

    @admin.display(description=_("min – max"), ordering="score_spread")
    def spread_display(self, obj):
        if obj.score_min is None:
            return "—"
        return f"{_score(obj.score_min)} – {_score(obj.score_max)}"

    @admin.display(description=_("écart-type"), ordering="score_stddev")
    def stddev_display(self, obj):
        return _score(obj.score_stddev)

    @admin.display(description=_("écart fort"), boolean=True, ordering="spread_flag")
    def spread_flag_display(self, obj):
        return obj.spread_flag

    # --- actions --------------------------------------------------------------------------

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
        if result.done:
            self.message_user(request, done_message % {"n": len(result.done)}, messages.SUCCESS)
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
                gettext("%(n)s affectation(s) créée(s).") % {"n": created},
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
        self._report(request, result, gettext("%(n)s candidature(s) en cours d'examen."))

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
            self._report(request, result, gettext("Correction demandée pour %(n)s candidature(s)."))
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
        the outcome reported (``done_message`` takes ``%(n)s``); returns ``None`` (back to the
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
            done_message=gettext("%(n)s candidature(s) retenue(s) : défis créés."),
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
            done_message=gettext("%(n)s candidature(s) non retenue(s)."),
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
            rows=_export_rows(queryset.order_by(*RANKING_ORDER)),
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
                    rows=_export_rows(queryset.order_by(*RANKING_ORDER)),
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


@admin.register(JuryAssignment)
class JuryAssignmentAdmin(admin.ModelAdmin):
    """Who evaluates what, and how far they are (read-only: assign through the proposals)."""

    list_display = ("juror", "proposal", "assigned_at", "conflict_of_interest", "review_submitted")
    list_filter = ("conflict_of_interest", "proposal__call")
    search_fields = ("juror__email", "juror__last_name", "proposal__title")
    list_select_related = ("juror", "proposal", "review")
    readonly_fields = (
        "proposal",
        "juror",
        "assigned_by",
        "assigned_at",
        "conflict_of_interest",
        "conflict_declared_at",
    )
    actions = ["unassign"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("évaluation soumise"), boolean=True)
    def review_submitted(self, obj):
        review = getattr(obj, "review", None)  # the missing reverse one-to-one is an AttributeError
        return bool(review and review.submitted_at)

    @admin.action(description=_("Retirer ces affectations (sans évaluation soumise)"))
    def unassign(self, request, queryset):
        removed = 0
        for assignment in queryset:
            try:
                jury_services.jury_unassign(assignment=assignment)
            except ValidationError as error:
                self.message_user(
                    request, f"{assignment} : {' '.join(error.messages)}", messages.ERROR
                )
            else:
                removed += 1
        if removed:
            self.message_user(
                request,
                gettext("%(n)s affectation(s) retirée(s).") % {"n": removed},
                messages.SUCCESS,
            )


@admin.register(AgentProfile)
class AgentProfileAdmin(admin.ModelAdmin):
    list_display = (
        "user",
        "user_email",
        "administration",
        "requested_administration_name",
        "position",
        "is_confirmed",
        "created_at",
    )
    list_filter = ("is_confirmed", "administration__is_confirmed")
    search_fields = ("user__email", "user__last_name", "administration__name", "position")
    list_select_related = ("user", "administration")
    autocomplete_fields = ("administration",)
    readonly_fields = ("user", "requested_administration_name", "created_at")
    actions = ["confirm"]

    @admin.display(description=_("courriel"), ordering="user__email")
    def user_email(self, obj):
        return obj.user.email

    @admin.action(description=_("Confirmer le rattachement (et l'administration demandée)"))
    def confirm(self, request, queryset):
        n = agent_profiles_confirm(profiles=queryset)
        self.message_user(
            request, gettext("%(n)s agent(s) confirmé(s).") % {"n": n}, messages.SUCCESS
        )


@admin.register(NotificationLog)
class NotificationLogAdmin(admin.ModelAdmin):
    list_display = ("key", "recipients", "sent_at")
    search_fields = ("key", "recipients")
    date_hierarchy = "sent_at"
    readonly_fields = ("key", "recipients", "sent_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# =============================================================================================
# 3. Inviting jury members (r4) — below this line
# =============================================================================================
# Coordinators cannot add users in Django's user admin (and must not: auth.change_user would let
# them make anyone superuser). « Inviter un membre du jury » creates or reuses the account through
# ``jury.juror_invite`` (group « jury », verified email, set-password link by email).


class JurorInviteForm(forms.Form):
    email = forms.EmailField(label=_("Adresse électronique"), max_length=254)
    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)


class JuryAssignmentInviteAdmin(JuryAssignmentAdmin):
    """``JuryAssignmentAdmin`` plus the « Inviter un membre du jury » page (``inviter/``), linked
    from the jury assignments and proposals changelists."""

    def get_urls(self):
        return [
            path(
                "inviter/",
                self.admin_site.admin_view(self.invite_view),
                name="challenges_juryassignment_invite",
            ),
            *super().get_urls(),
        ]

    def invite_view(self, request):
        if not jury_services.juror_may_be_invited_by(request.user):
            raise PermissionDenied
        form = JurorInviteForm(request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            try:
                invitation = jury_services.juror_invite(
                    **form.cleaned_data, invited_by=request.user
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                user = invitation.user
                who = f"{user.get_full_name()} <{user.email}>".strip()
                message = (
                    gettext("Compte créé pour %(who)s et invitation envoyée.")
                    if invitation.created
                    else gettext("%(who)s a déjà un compte : ajouté·e au jury, invitation envoyée.")
                )
                self.message_user(
                    request,
                    (message % {"who": who})
                    + " "
                    + gettext(
                        "Ce membre du jury figure désormais dans l'action « Affecter des membres "
                        "du jury » des candidatures."
                    ),
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse("admin:challenges_challengeproposal_changelist")
                )
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Inviter un membre du jury"),
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/challenges/juryassignment/invite.html", context)


admin.site.unregister(JuryAssignment)
admin.site.register(JuryAssignment, JuryAssignmentInviteAdmin)


# The follow-up's admin (events, updates, expertise, outcomes, alumni) in its own module.
from .followup import admin as followup_admin  # noqa: E402

ChallengeAdmin.actions = [*(ChallengeAdmin.actions or []), *followup_admin.CHALLENGE_ACTIONS]
