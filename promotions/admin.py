"""Django admin of promotions, administrations, EIG, mentors, budget and declared figures.

Every admin combines django-import-export (CSV/XLSX import and export, one transaction per
import) with django-simple-history (history of changes) where the model keeps a history.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from import_export import fields, widgets

from eig_portal.common.admin import (
    PortalHistoryAdmin,
    PortalImportExportAdmin,
    PortalResource,
    StrictManyToManyWidget,
)
from eig_portal.common.admin_lists import AutocompleteListFilter
from eig_portal.common.subqueries import count_of, count_related

from . import beat_admin  # noqa: F401  (Celery beat schedules checked before saving)
from .models import (
    Administration,
    BudgetLine,
    DeclaredFigure,
    Fellow,
    Mentor,
    PrintedTotal,
    Promotion,
)

admin.site.site_header = _("Portail EIG — coordination")
admin.site.site_title = _("Portail EIG — coordination")
admin.site.index_title = _("Administration du programme EIG")


def promotion_field() -> fields.Field:
    """A resource column holding the promotion's code (« EIG 3 ») instead of its id."""
    return fields.Field(
        attribute="promotion",
        column_name="promotion",
        widget=widgets.ForeignKeyWidget(Promotion, field="code"),
    )


def administration_field(attribute: str = "administration") -> fields.Field:
    """A resource column holding the administration's name instead of its id."""
    return fields.Field(
        attribute=attribute,
        column_name=attribute,
        widget=widgets.ForeignKeyWidget(Administration, field="name"),
    )


# -- resources (CSV/XLSX columns) ---------------------------------------------------------------
class PromotionResource(PortalResource):
    """CSV/XLSX columns of promotions, matched on ``code``."""

    class Meta:
        model = Promotion
        import_id_fields = ["code"]
        fields = (
            "code",
            "slug",
            "number",
            "rank",
            "year",
            "title",
            "theme",
            "start_date",
            "end_date",
        )
        skip_unchanged = True
        report_skipped = True


class AdministrationResource(PortalResource):
    """CSV/XLSX columns of administrations, matched on ``name``; ``parent`` by name."""

    parent = administration_field("parent")

    class Meta:
        model = Administration
        import_id_fields = ["name"]
        fields = ("name", "acronym", "parent", "website", "town", "is_confirmed")
        skip_unchanged = True
        report_skipped = True


class FellowResource(PortalResource):
    """CSV/XLSX columns of EIG, matched on ``id``; ``promotion`` by code."""

    promotion = promotion_field()

    class Meta:
        model = Fellow
        fields = ("id", "name", "email", "profile", "job_title", "promotion", "source_key")
        skip_unchanged = True
        report_skipped = True


class MentorResource(PortalResource):
    """CSV/XLSX columns of mentors, matched on ``id``; promotion by code, administration by name."""

    promotion = promotion_field()
    administration = administration_field()

    class Meta:
        model = Mentor
        fields = (
            "id",
            "name",
            "email",
            "role",
            "job_title",
            "administration",
            "promotion",
            "source_key",
        )
        skip_unchanged = True
        report_skipped = True


class BudgetLineResource(PortalResource):
    """CSV/XLSX columns of budget lines (euros), matched on promotion, category and label."""

    promotion = promotion_field()

    class Meta:
        model = BudgetLine
        import_id_fields = ["promotion", "category", "label"]
        fields = ("promotion", "category", "label", "amount", "is_forecast", "source")
        skip_unchanged = True
        report_skipped = True


class DeclaredFigureResource(PortalResource):
    """CSV/XLSX columns of declared figures, matched on promotion and metric."""

    promotion = promotion_field()

    class Meta:
        model = DeclaredFigure
        import_id_fields = ["promotion", "metric"]
        fields = ("promotion", "metric", "value", "source")
        skip_unchanged = True
        report_skipped = True


class PrintedTotalResource(PortalResource):
    """CSV/XLSX columns of printed totals, matched on source and metric; promotions as « A|B »."""

    promotions = fields.Field(
        attribute="promotions",
        column_name="promotions",
        widget=StrictManyToManyWidget(Promotion, field="code", separator="|"),
    )

    class Meta:
        model = PrintedTotal
        import_id_fields = ["source", "metric"]
        fields = ("source", "metric", "value", "promotions", "note")
        skip_unchanged = True
        report_skipped = True


# -- inlines ------------------------------------------------------------------------------------
class BudgetLineInline(admin.TabularInline):
    """The budget lines of a promotion, edited on its page."""

    model = BudgetLine
    extra = 0
    fields = ("category", "label", "amount", "is_forecast", "source")


class DeclaredFigureInline(admin.TabularInline):
    """The declared figures of a promotion, edited on its page."""

    model = DeclaredFigure
    extra = 0
    fields = ("metric", "value", "source")


# -- admins -------------------------------------------------------------------------------------
@admin.register(Promotion)
class PromotionAdmin(PortalHistoryAdmin):
    """Promotions with their numbers of défis and EIG, budget and declared figures inline."""

    resource_classes = [PromotionResource]
    list_display = ("code", "title", "year", "rank", "n_challenges", "n_fellows", "start_date")
    list_filter = ("year",)
    search_fields = ("code", "title", "theme")
    prepopulated_fields = {"slug": ("code",)}
    inlines = [BudgetLineInline, DeclaredFigureInline]

    def get_queryset(self, request):
        """Promotions annotated with ``n_challenges`` and ``n_fellows`` (ints).

        Correlated subqueries (``eig_portal.common.subqueries``), computed for the rows shown only:
        the list, its count and the year filter stay queries on the promotion table alone.
        """
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_challenges=count_related(Promotion, "challenges"),
                n_fellows=count_of(Fellow.objects.all(), "promotion"),
            )
        )

    @admin.display(description=_("défis"), ordering="n_challenges")
    def n_challenges(self, obj):
        """Number of défis of the promotion (all, published or not)."""
        return obj.n_challenges

    @admin.display(description=_("EIG"), ordering="n_fellows")
    def n_fellows(self, obj):
        """Number of EIG records of the promotion."""
        return obj.n_fellows


class ChallengeCountAdminMixin:
    """The ``n_challenges`` column (« défis », sortable): how many défis a row is linked to.

    The list's queryset is annotated with a correlated subquery counting the défis of each row
    shown (one query, no N+1, no join of the whole table); for a model whose reverse or
    many-to-many relation to ``Challenge`` is named ``challenges``.
    """

    def get_queryset(self, request):
        """The admin's queryset annotated with ``n_challenges`` (int)."""
        return (
            super()
            .get_queryset(request)
            .annotate(n_challenges=count_related(self.model, "challenges"))
        )

    @admin.display(description=_("défis"), ordering="n_challenges")
    def n_challenges(self, obj):
        """Number of défis linked to ``obj`` (the annotation)."""
        return obj.n_challenges


@admin.register(Administration)
class AdministrationAdmin(ChallengeCountAdminMixin, PortalHistoryAdmin):
    """Administrations with their parent and number of défis."""

    resource_classes = [AdministrationResource]
    list_display = ("name", "acronym", "parent", "town", "is_confirmed", "n_challenges")
    # The parent is searched among thousands of administrations, not listed.
    list_filter = ("is_confirmed", ("parent", AutocompleteListFilter))
    search_fields = ("name", "acronym", "town")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)


@admin.register(Fellow)
class FellowAdmin(ChallengeCountAdminMixin, PortalHistoryAdmin):
    """EIG with their promotion, profile and défis (inline)."""

    resource_classes = [FellowResource]
    list_display = ("name", "profile", "promotion", "job_title", "email", "n_challenges")
    # Eight promotions and four profiles: short filters. The administration (thousands of
    # entries at scale) is searched instead: « Rechercher » matches the défis' administrations.
    list_filter = ("promotion", "profile")
    # By name, read from the index (name, id): the model's order (by promotion) sorts every EIG.
    ordering = ("name", "pk")
    search_fields = (
        "name",
        "email",
        "source_key",
        "job_title",
        "challenges__title",
        "challenges__administration__name",
    )
    list_select_related = ("promotion",)


@admin.register(Mentor)
class MentorAdmin(PortalHistoryAdmin):
    """Mentors with their role, administration, promotion and défis (inline)."""

    resource_classes = [MentorResource]
    list_display = ("name", "role", "administration", "promotion", "job_title", "email")
    # The administration (thousands of entries at scale) is chosen in a search box.
    list_filter = ("role", "promotion", ("administration", AutocompleteListFilter))
    ordering = ("name", "pk")  # read from the index (name, id)
    search_fields = ("name", "email", "source_key", "job_title", "administration__name")
    list_select_related = ("administration", "promotion")
    autocomplete_fields = ("administration",)


@admin.register(BudgetLine)
class BudgetLineAdmin(PortalHistoryAdmin):
    """Budget lines (euros) by promotion and category."""

    resource_classes = [BudgetLineResource]
    list_display = ("promotion", "category", "label", "amount", "is_forecast", "source")
    list_filter = ("promotion", "category", "is_forecast")
    search_fields = ("label", "source", "promotion__code")
    list_select_related = ("promotion",)


@admin.register(DeclaredFigure)
class DeclaredFigureAdmin(PortalHistoryAdmin):
    """Figures published by the programme, by promotion and metric."""

    resource_classes = [DeclaredFigureResource]
    list_display = ("promotion", "metric", "value", "source")
    list_filter = ("promotion", "metric")
    search_fields = ("source", "promotion__code")
    list_select_related = ("promotion",)


@admin.register(PrintedTotal)
class PrintedTotalAdmin(PortalImportExportAdmin):
    """Totals printed by publications, with the promotions they cover."""

    resource_classes = [PrintedTotalResource]
    list_display = ("source", "metric", "value", "covered_promotions", "note")
    list_filter = ("source",)
    search_fields = ("source", "metric", "note")
    filter_horizontal = ("promotions",)

    def get_queryset(self, request):
        """Printed totals with their promotions prefetched."""
        return super().get_queryset(request).prefetch_related("promotions")

    @admin.display(description=_("promotions couvertes"))
    def covered_promotions(self, obj):
        """Codes of the covered promotions, comma-separated."""
        return ", ".join(p.code for p in obj.promotions.all())
