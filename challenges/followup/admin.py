"""Coordinators' admin of the ten months and after: events and invitations, progress cadences
and updates, expertise requests, outcomes (history kept), outcome requests and alumni.

Actions call the services (invitations and links are created, emails queued after commit).
"""

import datetime as dt

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from eig_portal.common.admin_lists import PortalListMixin
from promotions.alumni.models import AlumniProfile, AlumniSituation
from promotions.events.models import Event, EventInvitation
from promotions.events.services import event_invitations_send

from . import sending, services
from .models import (
    ExpertiseRequest,
    Outcome,
    OutcomeRequest,
    ProgressCadence,
    ProgressUpdate,
)


class EventInvitationInline(admin.TabularInline):
    """The event's invitations: answers, waiting list and attendance (read-only but attendance)."""

    model = EventInvitation
    extra = 0
    fields = ("email", "answer", "is_waitlisted", "answered_at", "attended", "sent_at")
    readonly_fields = ("email", "answer", "is_waitlisted", "answered_at", "sent_at")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        """Invitations are created by the sending action, never by hand."""
        return False


@admin.register(Event)
class EventAdmin(PortalListMixin, SimpleHistoryAdmin):
    """Events of the support programme; the action invites the audience and sends the emails."""

    list_display = ("title", "promotion", "kind", "starts_at", "audience", "capacity")
    list_filter = ("promotion", "kind", "audience")
    search_fields = ("title", "place")
    inlines = [EventInvitationInline]
    actions = ["send_invitations"]

    @admin.action(description=_("Inviter le public et envoyer les invitations (.ics)"))
    def send_invitations(self, request, queryset):
        """Create the invitations of each event and queue their emails."""
        total = sum(event_invitations_send(event=event) for event in queryset)
        self.message_user(
            request,
            ngettext("%(n)d invitation envoyée.", "%(n)d invitations envoyées.", total)
            % {"n": total},
        )


@admin.register(ProgressCadence)
class ProgressCadenceAdmin(PortalListMixin, admin.ModelAdmin):
    """How often the défis of each promotion post an update."""

    list_display = ("promotion", "every_days")


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(PortalListMixin, admin.ModelAdmin):
    """Progress updates posted by the défi teams (read and search)."""

    list_display = ("challenge", "posted_at", "is_blocked")
    list_filter = ("is_blocked", "challenge__promotion")
    search_fields = ("challenge__title", "progress", "blockers")
    list_select_related = ("challenge",)
    date_hierarchy = "posted_at"


@admin.register(ExpertiseRequest)
class ExpertiseRequestAdmin(PortalListMixin, SimpleHistoryAdmin):
    """Expertise requests; actions assign them to the coordinator and close them (services)."""

    list_display = ("challenge", "topic", "status", "expert", "created_at", "closed_at")
    list_filter = ("status", "topic", "challenge__promotion")
    search_fields = ("challenge__title", "description")
    list_select_related = ("challenge", "expert")
    autocomplete_fields = ["challenge"]
    readonly_fields = ("status", "closed_at")
    actions = ["assign_to_me", "close"]

    @admin.action(description=_("M'attribuer les demandes"))
    def assign_to_me(self, request, queryset):
        """The coordinator becomes the expert of the selected open requests."""
        for item in queryset:
            try:
                services.expertise_request_assign(request=item, expert=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{item} : {' '.join(exc.messages)}", messages.ERROR)

    @admin.action(description=_("Clore les demandes attribuées"))
    def close(self, request, queryset):
        """Close the selected assigned requests."""
        for item in queryset:
            try:
                services.expertise_request_close(request=item, resolution=item.resolution)
            except ValidationError as exc:
                self.message_user(request, f"{item} : {' '.join(exc.messages)}", messages.ERROR)


@admin.register(Outcome)
class OutcomeAdmin(PortalListMixin, SimpleHistoryAdmin):
    """Dated outcomes of the défis, editable by coordinators, history kept."""

    list_display = ("challenge", "as_of", "production_status", "is_maintained", "source")
    list_filter = ("production_status", "is_maintained", "source", "challenge__promotion")
    search_fields = ("challenge__title",)
    list_select_related = ("challenge",)
    autocomplete_fields = ["challenge"]
    date_hierarchy = "as_of"


@admin.register(OutcomeRequest)
class OutcomeRequestAdmin(PortalListMixin, admin.ModelAdmin):
    """Outcome requests sent to mentors (read-only: created by the défi list's actions)."""

    list_display = ("challenge", "mentor", "milestone", "due_on", "outcome")
    list_filter = ("milestone",)
    list_select_related = ("challenge", "mentor", "outcome")
    readonly_fields = ("challenge", "mentor", "milestone", "due_on", "sent_at", "outcome")

    def has_add_permission(self, request):
        """Requests are created by the défi list's actions."""
        return False


class AlumniSituationInline(admin.TabularInline):
    """An alumni's situations over time."""

    model = AlumniSituation
    extra = 0
    fields = ("as_of", "situation", "detail")


@admin.register(AlumniProfile)
class AlumniProfileAdmin(PortalListMixin, SimpleHistoryAdmin):
    """Alumni entries with their situations; the action sends the yearly link."""

    list_display = ("fellow", "is_listed", "current_position", "link_sent_at")
    list_filter = ("is_listed", "fellow__promotion")
    search_fields = ("fellow__name", "current_position", "organisation")
    list_select_related = ("fellow__promotion",)
    readonly_fields = ("fellow", "link_sent_at")
    inlines = [AlumniSituationInline]
    actions = ["send_yearly_link"]

    def has_add_permission(self, request):
        """Entries are created by the yearly link, never by hand."""
        return False

    @admin.action(description=_("Envoyer le lien annuel de mise à jour"))
    def send_yearly_link(self, request, queryset):
        """A fresh link to each selected alumni (the previous one stops working)."""
        fellows = [profile.fellow for profile in queryset.select_related("fellow")]
        total = sending.alumni_links_send(fellows=fellows, year=timezone.localdate().year)
        self.message_user(
            request, ngettext("%(n)d lien envoyé.", "%(n)d liens envoyés.", total) % {"n": total}
        )


def _milestone_due_on(challenge, milestone: str):
    """End of the ten months = the promotion's end date (today if unknown); six months later."""
    end = (challenge.promotion and challenge.promotion.end_date) or timezone.localdate()
    if milestone == OutcomeRequest.Milestone.SIX_MONTHS:
        return end + dt.timedelta(days=182)
    return end


@admin.action(description=_("Envoyer leurs liens de suivi aux équipes"))
def send_followup_links(modeladmin, request, queryset):
    """Give each selected défi's team their follow-up links (new ones only) by email."""
    total = sum(sending.followup_links_send(challenge=c) for c in queryset)
    modeladmin.message_user(
        request, ngettext("%(n)d lien envoyé.", "%(n)d liens envoyés.", total) % {"n": total}
    )


def _ask_outcomes(modeladmin, request, queryset, milestone):
    total = 0
    for challenge in queryset.select_related("promotion"):
        total += sending.outcome_requests_send(
            challenge=challenge, milestone=milestone, due_on=_milestone_due_on(challenge, milestone)
        )
    modeladmin.message_user(
        request,
        ngettext("%(n)d demande envoyée.", "%(n)d demandes envoyées.", total) % {"n": total},
    )


@admin.action(description=_("Demander la réalisation aux mentors (fin des dix mois)"))
def ask_outcomes_at_end(modeladmin, request, queryset):
    """Ask the mentors of the selected défis for the outcome at the end of the ten months."""
    _ask_outcomes(modeladmin, request, queryset, OutcomeRequest.Milestone.END)


@admin.action(description=_("Demander la réalisation aux mentors (six mois après)"))
def ask_outcomes_six_months_later(modeladmin, request, queryset):
    """Ask the mentors of the selected défis for the outcome six months after the end."""
    _ask_outcomes(modeladmin, request, queryset, OutcomeRequest.Milestone.SIX_MONTHS)


#: Actions the défi admin offers (added by ``challenges.admin``).
CHALLENGE_ACTIONS = [send_followup_links, ask_outcomes_at_end, ask_outcomes_six_months_later]
