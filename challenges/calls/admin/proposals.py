"""Admin of proposals: the ranking list (database annotations), read-only history inlines."""

from django.contrib import admin
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from challenges.calls.admin.proposal_actions import ProposalActionsMixin
from challenges.calls.admin.scores import score_text
from challenges.calls.models import (
    ChallengeProposal,
    JuryAssignment,
    ProposalAttachment,
    ProposalStatusChange,
    ProposalVersion,
)
from challenges.calls.selectors import (
    RANKING_ORDER,
    RECEIVED_STATUSES,
    SPREAD_FLAG_THRESHOLD,
    annotate_ranking,
    proposal_submitted_content,
    proposals_left_without_juror,
)
from challenges.calls.services import EDITABLE_FIELDS, SECTION_FIELDS
from eig_portal.common.admin_lists import AutocompleteListFilter, PortalListMixin
from eig_portal.common.markdown import render_markdown

#: The proposal's narrative fields, written in markdown by the agents (the défi's description is
#: built from them): rendered, not raw, on the read-only change page.
MARKDOWN_FIELDS = (
    "context",
    "objectives",
    "beneficiaries",
    "available_data",
    "systems",
    "environment_notes",
    "profiles_notes",
    "funding_notes",
)


def _markdown_display(name: str):
    """A read-only admin column showing field ``name`` rendered from markdown (safe HTML)."""

    @admin.display(description=ChallengeProposal._meta.get_field(name).verbose_name)
    def show(self, obj):
        return render_markdown(getattr(obj, name))

    return show


def _shown(fields: list[str]) -> list[str]:
    """``fields`` with the markdown ones replaced by their rendered column."""
    return [f"{f}_rendered" if f in MARKDOWN_FIELDS else f for f in fields]


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


@admin.register(ChallengeProposal)
class ChallengeProposalAdmin(PortalListMixin, ProposalActionsMixin, admin.ModelAdmin):
    list_display = (
        "__str__",
        "administration",
        "call",
        "status",
        "submitted_at",
        "changed_since_submission",
        "no_juror_left",
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
        # Chosen in a search box: listing the administrations that proposed means a DISTINCT
        # over the call's proposals and one sidebar link each, on every page.
        ("administration", AutocompleteListFilter),
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
        (_("Le défi"), {"fields": _shown(SECTION_FIELDS["defi"])}),
        (
            _("Données et environnement technique"),
            {"fields": _shown(SECTION_FIELDS["environnement"])},
        ),
        (_("L'équipe"), {"fields": _shown(SECTION_FIELDS["equipe"])}),
        (
            _("Profils et financement"),
            {"fields": _shown(SECTION_FIELDS["profils"] + SECTION_FIELDS["financement"])},
        ),
        (
            _("Modifications non déposées"),
            {
                "fields": ("unsubmitted_draft",),
                "description": _(
                    "Ce que les agents ont enregistré depuis le dernier dépôt, sans le déposer : "
                    "cela ne compte pas pour le jury ni pour la sélection."
                ),
            },
        ),
        (_("Suivi"), {"fields": ("created_by", "updated_by", "created_at", "updated_at")}),
    )

    # Proposals are written by the agents; coordinators act through the actions (services).
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_object(self, request, object_id, from_field=None):
        """The proposal as last submitted (what the jury and the selection use); the live row,
        with any unsubmitted draft, is kept on ``live_draft`` for the flagged section."""
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            return None
        content = proposal_submitted_content(proposal=obj)
        content.live_draft = obj
        return content

    def save_model(self, request, obj, form, change):
        """Never write: every field is read-only here and ``obj`` shows the submitted version;
        coordinators act through the actions (services)."""

    def save_related(self, request, form, formsets, change):
        """Nothing to write (see ``save_model``)."""

    def get_readonly_fields(self, request, obj=None):
        return [f for fieldset in self.fieldsets for f in fieldset[1]["fields"]]

    def get_queryset(self, request):
        # Annotate before ordering (ModelAdmin.get_queryset orders by get_ordering()).
        queryset = annotate_ranking(self.model._default_manager.get_queryset()).annotate(
            no_juror=Exists(proposals_left_without_juror().filter(pk=OuterRef("pk")))
        )
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

    # --- markdown rendered -----------------------------------------------------------------

    context_rendered = _markdown_display("context")
    objectives_rendered = _markdown_display("objectives")
    beneficiaries_rendered = _markdown_display("beneficiaries")
    available_data_rendered = _markdown_display("available_data")
    systems_rendered = _markdown_display("systems")
    environment_notes_rendered = _markdown_display("environment_notes")
    profiles_notes_rendered = _markdown_display("profiles_notes")
    funding_notes_rendered = _markdown_display("funding_notes")

    # --- submitted version and unsubmitted draft -----------------------------------------

    @admin.display(description=_("modifiée depuis le dépôt"), boolean=True)
    def changed_since_submission(self, obj):
        return obj.has_unsubmitted_changes

    @admin.display(description=_("sans juré (conflit)"), boolean=True, ordering="no_juror")
    def no_juror_left(self, obj):
        return obj.no_juror

    @admin.display(description=_("brouillon non déposé"))
    def unsubmitted_draft(self, obj):
        live = getattr(obj, "live_draft", None)
        if live is None or not live.has_unsubmitted_changes:
            return gettext("Aucune : la version déposée est à jour.")
        rows = [
            (live._meta.get_field(name).verbose_name, getattr(obj, name), getattr(live, name))
            for name in EDITABLE_FIELDS
            if getattr(obj, name) != getattr(live, name)
        ]
        return render_to_string(
            "admin/challenges/challengeproposal/unsubmitted_draft.html", {"rows": rows}
        )

    # --- ranking columns ------------------------------------------------------------------

    @admin.display(description=_("note pondérée"), ordering="weighted_score")
    def weighted_score_display(self, obj):
        return score_text(obj.weighted_score)

    @admin.display(description=_("évaluations / jurés"), ordering="review_count")
    def reviews_display(self, obj):
        return f"{obj.review_count} / {obj.juror_count}"

    @admin.display(description=_("min – max"), ordering="score_spread")
    def spread_display(self, obj):
        if obj.score_min is None:
            return "—"
        return f"{score_text(obj.score_min)} – {score_text(obj.score_max)}"

    @admin.display(description=_("écart-type"), ordering="score_stddev")
    def stddev_display(self, obj):
        return score_text(obj.score_stddev)

    @admin.display(description=_("écart fort"), boolean=True, ordering="spread_flag")
    def spread_flag_display(self, obj):
        return obj.spread_flag

    # --- actions --------------------------------------------------------------------------
