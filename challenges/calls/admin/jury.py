"""Admin of jury assignments and the invitation of jury members."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from challenges.calls import jury as jury_services
from challenges.calls.models import (
    JuryAssignment,
)
from eig_portal.common.admin_lists import PortalListMixin
from eig_portal.common.invitations import INVITATION_VALID_DAYS
from eig_portal.common.jobs import delayed_message, delivery_tracking


class JurorInviteForm(forms.Form):
    email = forms.EmailField(label=_("Adresse électronique"), max_length=254)
    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)


@admin.register(JuryAssignment)
class JuryAssignmentAdmin(PortalListMixin, admin.ModelAdmin):
    """Who evaluates what, and how far they are (read-only: assign through the proposals), with
    the « Inviter un membre du jury » page (``inviter/``) linked from the jury assignments and
    proposals changelists.

    Coordinators cannot add users in Django's user admin (and must not: auth.change_user would
    let them make anyone superuser): the invitation creates or reuses the account through
    ``jury.juror_invite`` (a single-use link: the role is granted when the person opens it)."""

    list_display = ("juror", "proposal", "assigned_at", "conflict_of_interest", "review_submitted")
    list_filter = ("conflict_of_interest", "proposal__call")
    # Newest proposals first, their jurors together: read backwards from the unique index
    # (proposal, juror); the model's order (proposals by last change) sorts every assignment.
    ordering = ("-proposal_id", "-juror_id")
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
                ngettext("%(n)s affectation retirée.", "%(n)s affectations retirées.", removed)
                % {"n": removed},
                messages.SUCCESS,
            )

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
                with delivery_tracking() as delayed:
                    invitation = jury_services.juror_invite(
                        **form.cleaned_data, invited_by=request.user
                    )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                pending = invitation.invitation
                who = f"{pending.first_name} {pending.last_name} <{pending.email}>".strip()
                message = gettext(
                    "Invitation enregistrée pour %(who)s : le courriel avec le lien part dès que "
                    "possible. La personne rejoindra le jury quand elle aura ouvert ce lien "
                    "(valable %(days)s jours) et choisi son mot de passe ; elle figurera alors "
                    "dans l'action « Affecter des membres du jury » des candidatures."
                ) % {"who": who, "days": INVITATION_VALID_DAYS}
                if invitation.existing_user is not None:
                    message += " " + gettext(
                        "Un compte utilise déjà cette adresse : il ne reçoit aucun droit avant "
                        "l'ouverture du lien, et son mot de passe sera remplacé."
                    )
                if delayed:
                    message += " " + delayed_message(len(delayed))
                self.message_user(
                    request,
                    message,
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
