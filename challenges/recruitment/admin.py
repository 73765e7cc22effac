"""Coordinators' admin of the call for candidates: calls with their défis and criteria,
applications screened with filters (profile, défi, status) and bulk actions that call the same
services as the pages, the import of past campaigns, juries, slots and interviews."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from eig_portal.common.admin_lists import AutocompleteListFilter, PortalListMixin
from promotions.models import Promotion

from . import decisions, jury, services
from .importer import ApplicationImportError, import_applications
from .models import (
    Application,
    ApplicationChoice,
    ApplicationCriterion,
    ApplicationStatusChange,
    CallForApplications,
    ChallengeOpening,
    Interview,
    InterviewSlot,
    JuryMember,
)

Status = Application.Status


class ChallengeOpeningInline(admin.TabularInline):
    model = ChallengeOpening
    extra = 0
    autocomplete_fields = ["challenge"]


class CriterionInline(admin.TabularInline):
    model = ApplicationCriterion
    extra = 0


@admin.register(CallForApplications)
class CallForApplicationsAdmin(PortalListMixin, admin.ModelAdmin):
    """A promotion's call for candidates, its défis open to candidates and jury criteria."""

    list_display = ["title", "promotion", "opens_at", "closes_at", "is_published", "teams_link"]
    list_filter = ["is_published", "promotion"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ChallengeOpeningInline, CriterionInline]
    actions = ["invite_mentors"]

    @admin.display(description=_("Équipes"))
    def teams_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("recruitment:matching", args=[obj.slug]), _("Équipes")
        )

    @admin.action(description=_("Inviter les mentors des défis au jury"))
    def invite_mentors(self, request, queryset):
        seated = 0
        for call in queryset:
            for opening in call.openings.select_related("challenge"):
                seated += len(
                    jury.jury_invite_mentors(challenge=opening.challenge, by=request.user)
                )
        self.message_user(
            request,
            ngettext("%(n)s mentor invité au jury.", "%(n)s mentors invités au jury.", seated)
            % {"n": seated},
            messages.SUCCESS,
        )


class ChoiceInline(admin.TabularInline):
    model = ApplicationChoice
    extra = 0
    fields = ["rank", "challenge", "motivation"]
    readonly_fields = fields
    can_delete = False


class StatusChangeInline(admin.TabularInline):
    model = ApplicationStatusChange
    extra = 0
    fields = ["at", "by", "from_status", "to_status", "message"]
    readonly_fields = fields
    can_delete = False


class ImportForm(forms.Form):
    """A CSV of a past campaign for a promotion (see ``importer``)."""

    promotion = forms.ModelChoiceField(label=_("Promotion"), queryset=Promotion.objects.all())
    file = forms.FileField(label=_("Fichier CSV"))


class MessageForm(forms.Form):
    message = forms.CharField(
        label=_("Message pour les candidat·es"), required=False, widget=forms.Textarea
    )


@admin.register(Application)
class ApplicationAdmin(PortalListMixin, admin.ModelAdmin):
    """Screening: filters by profile, défi and status; bulk actions call the pipeline services."""

    list_display = ["__str__", "email", "profile", "status", "submitted_at", "interviewed"]
    # The défi (thousands at scale) is chosen in a search box, not from a list of every défi.
    list_filter = [
        "status",
        "profile",
        "call",
        ("choices__challenge", AutocompleteListFilter),
        "interviewed",
    ]
    search_fields = ["first_name", "last_name", "email"]
    readonly_fields = [
        "call",
        "candidate",
        "status",
        "version",
        "submitted_at",
        "notice_acknowledged_at",
        "fellow",
        "selected_challenge",
        "erased_at",
        "creation_token",
    ]
    exclude = ["cv"]
    inlines = [ChoiceInline, StatusChangeInline]
    list_select_related = ["call"]
    actions = ["preselect", "not_preselect", "waiting_list", "not_select", "declines"]

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="challenges_application_import",
            ),
            *super().get_urls(),
        ]

    def _move(self, request, queryset, to_status, done_message):
        done, errors = services.applications_bulk_change_status(
            applications=queryset, to_status=to_status, by=request.user
        )
        self.message_user(request, done_message(done) % {"n": done}, messages.SUCCESS)
        for error in errors:
            self.message_user(request, error, messages.WARNING)

    @admin.action(description=_("Présélectionner"))
    def preselect(self, request, queryset):
        self._move(
            request,
            queryset,
            Status.PRESELECTED,
            lambda n: ngettext("%(n)s présélectionnée.", "%(n)s présélectionnées.", n),
        )

    @admin.action(description=_("Ne pas présélectionner"))
    def not_preselect(self, request, queryset):
        self._move(
            request,
            queryset,
            Status.NOT_PRESELECTED,
            lambda n: ngettext("%(n)s non présélectionnée.", "%(n)s non présélectionnées.", n),
        )

    def _decide(self, request, queryset, decide, done_message):
        done = 0
        for application in queryset:
            try:
                decide(application=application, by=request.user)
                done += 1
            except ValidationError as error:
                self.message_user(
                    request, f"{application}: {' '.join(error.messages)}", messages.WARNING
                )
        self.message_user(request, done_message(done) % {"n": done}, messages.SUCCESS)

    @admin.action(description=_("Liste d'attente (courriel de décision)"))
    def waiting_list(self, request, queryset):
        self._decide(
            request,
            queryset,
            decisions.decision_waiting_list,
            lambda n: ngettext("%(n)s en liste d'attente.", "%(n)s en liste d'attente.", n),
        )

    @admin.action(description=_("Non retenue (courriel de décision)"))
    def not_select(self, request, queryset):
        self._decide(
            request,
            queryset,
            decisions.decision_not_select,
            lambda n: ngettext("%(n)s non retenue.", "%(n)s non retenues.", n),
        )

    @admin.action(description=_("Se désiste (proposer la place au suivant)"))
    def declines(self, request, queryset):
        for application in queryset:
            try:
                offered = decisions.decision_decline(application=application, by=request.user)
            except ValidationError as error:
                self.message_user(
                    request, f"{application}: {' '.join(error.messages)}", messages.WARNING
                )
                continue
            if offered is None:
                message = gettext("%(who)s se désiste ; personne en liste d'attente.")
            else:
                message = gettext("%(who)s se désiste ; place à proposer à %(next)s.")
            self.message_user(
                request, message % {"who": application, "next": offered}, messages.SUCCESS
            )

    def import_view(self, request):
        """Import a past campaign's CSV: every error names its row and column; nothing is
        written on error."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        errors = []
        if request.method == "POST" and form.is_valid():
            try:
                result = import_applications(
                    promotion_code=form.cleaned_data["promotion"].code,
                    content=form.cleaned_data["file"].read(),
                )
            except ApplicationImportError as error:
                errors = error.errors
            else:
                self.message_user(
                    request,
                    result.summary(),
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:challenges_application_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Importer des candidatures (CSV)"),
            "form": form,
            "errors": errors,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/challenges/application/import.html", context)


@admin.register(JuryMember)
class JuryMemberAdmin(PortalListMixin, admin.ModelAdmin):
    """Members of each défi's recruitment jury."""

    list_display = ["user", "challenge", "kind"]
    list_filter = ["kind"]
    search_fields = ["user__email", "challenge__title"]
    autocomplete_fields = ["challenge", "user", "mentor"]


@admin.register(InterviewSlot)
class InterviewSlotAdmin(PortalListMixin, admin.ModelAdmin):
    """Interview slots per défi (the défi chosen in a search box)."""

    list_display = ["challenge", "starts_at", "ends_at", "place", "video_url"]
    list_filter = [("challenge", AutocompleteListFilter)]


@admin.register(Interview)
class InterviewAdmin(PortalListMixin, admin.ModelAdmin):
    """Invitations and booked interviews."""

    list_display = ["application", "challenge", "status", "slot"]
    list_filter = ["status"]
    readonly_fields = ["token"]
