"""Admin of the calls for projects and their criteria."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from challenges.calls.models import (
    CallForProjects,
    ChallengeProposal,
    Criterion,
)
from challenges.calls.review_scores import call_reviews_rescore
from eig_portal.common.admin_lists import PortalListMixin
from eig_portal.common.subqueries import count_of


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ("order", "label", "weight", "description")


@admin.register(CallForProjects)
class CallForProjectsAdmin(PortalListMixin, admin.ModelAdmin):
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
        """Calls annotated with ``received`` (int): proposals submitted and not withdrawn,
        counted by a correlated subquery for the calls shown (no join of every proposal)."""
        received = ChallengeProposal.objects.filter(submitted_at__isnull=False).exclude(
            status=ChallengeProposal.Status.WITHDRAWN
        )
        return super().get_queryset(request).annotate(received=count_of(received, "call"))

    def save_related(self, request, form, formsets, change):
        """Save the criteria, then recompute the reviews' weighted scores (weights may change)."""
        super().save_related(request, form, formsets, change)
        if change:
            call_reviews_rescore(call=form.instance)

    @admin.display(description=_("candidatures reçues"), ordering="received")
    def received(self, obj):
        return obj.received

    @admin.display(description=_("classement"))
    def ranking_link(self, obj):
        url = reverse("admin:challenges_challengeproposal_changelist")
        return format_html(
            '<a href="{}?call__id__exact={}">{}</a>', url, obj.pk, gettext("Voir le classement")
        )
