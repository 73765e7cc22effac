"""Django admin of promotions, administrations, EIG, mentors, budget and declared figures.

Every admin combines django-import-export (CSV/XLSX import and export, one transaction per
import) with django-simple-history (history of changes) where the model keeps a history.
"""

from decimal import InvalidOperation

import tablib
from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.db.models import Count
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import CSV, XLSX
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from challenges.models import Challenge
from eig_portal.exports import FORMULA_PREFIXES, neutralise_formula

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


def _spreadsheet_safe(value):
    """A text cell a spreadsheet would run as a formula gets a leading ``'``; numbers (even
    rendered as text, like ``-12.5``) are left alone."""
    if isinstance(value, str):
        try:
            float(value)
        except ValueError:
            return neutralise_formula(value)
    return value


def _spreadsheet_safe_dataset(dataset: tablib.Dataset) -> tablib.Dataset:
    safe = tablib.Dataset(headers=dataset.headers, title=dataset.title)
    for row in dataset:
        safe.append([_spreadsheet_safe(cell) for cell in row])
    return safe


class PortalCSV(CSV):
    """CSV export whose text cells cannot run as formulas (« =HYPERLINK(…) » in a défi title)."""

    def export_data(self, dataset, **kwargs):
        """Export ``dataset`` as CSV after neutralising text cells that look like formulas."""
        return super().export_data(_spreadsheet_safe_dataset(dataset), **kwargs)


class PortalXLSX(XLSX):
    """XLSX export whose text cells are text, never formulas (openpyxl runs « =… » strings)."""

    def export_data(self, dataset, **kwargs):
        """Export ``dataset`` as XLSX after neutralising text cells that look like formulas."""
        return super().export_data(_spreadsheet_safe_dataset(dataset), **kwargs)


class PortalImportExportAdmin(ImportExportModelAdmin):
    """Import/export limited to CSV and XLSX (the coordinators' spreadsheets).

    Exports: CSV in UTF-8 with a BOM (Excel reads the accents), formulas neutralised in both
    formats; imports take such files back unchanged (``PortalResource`` removes the ``'``).
    """

    formats = [PortalCSV, PortalXLSX]
    to_encoding = "utf-8-sig"


class LabelledHistoryContextHelper(HistoricalRecordContextHelper):
    """History changes of a field with choices read with their labels (« Développeur·se →
    Designer »), not the stored codes (« developer → designer »)."""

    def prepare_delta_change_value(self, change, value):
        """The choice's label for a field with choices; the default preparation otherwise."""
        field = self.model._meta.get_field(change.field)
        if field.choices and not isinstance(value, list):
            return str(dict(field.flatchoices).get(value, value))
        return super().prepare_delta_change_value(change, value)


class PortalHistoryAdmin(PortalImportExportAdmin, SimpleHistoryAdmin):
    """Import/export plus the « Historique » page of django-simple-history (choices shown with
    their labels)."""

    def get_historical_record_context_helper(self, request, historical_record):
        """The helper that formats each change of the « Historique » page."""
        return LabelledHistoryContextHelper(self.model, historical_record)


class PortalResource(resources.ModelResource):
    """Base of the portal's CSV/XLSX resources.

    Each imported row is validated like a form (``full_clean``: choices, emails, constraints),
    and a value that cannot be read (an unknown promotion, « douze euros » in an amount) is
    reported on its row and column with the value typed, never as a raw Python exception.
    Rows in error are never written (django-import-export imports in one transaction).
    """

    class Meta:
        clean_model_instances = True

    def __init__(self, **kwargs):
        """Columns are named in French after the model fields (« Promotion », « Montant »)."""
        super().__init__(**kwargs)
        for name, field in self.fields.items():
            if field.column_name == name:
                field.column_name = french_column_name(self._meta.model, field.attribute or name)

    def before_import(self, dataset, **kwargs):
        """Accept the former English column names (« amount ») of files exported before the
        French ones: they are renamed to the French column before anything is read."""
        renames = {name: f.column_name for name, f in self.fields.items() if f.column_name != name}
        if dataset.headers:
            headers = list(dataset.headers)
            dataset.headers = [
                renames[h] if h in renames and renames[h] not in headers else h for h in headers
            ]
        super().before_import(dataset, **kwargs)

    def before_import_row(self, row, **kwargs):
        """Strip the ``'`` that our exports put before a formula-like text cell."""
        # Take back what PortalCSV/PortalXLSX exported: « '=x » was « =x ».
        for key, value in row.items():
            if (
                isinstance(value, str)
                and value.startswith("'")
                and value[1:].startswith(FORMULA_PREFIXES)
            ):
                row[key] = value[1:]
        super().before_import_row(row, **kwargs)

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        """Set one field; raise ``ValueError`` with a readable message for an unreadable cell."""
        try:
            return super().import_field(field, instance, row, is_m2m=is_m2m, **kwargs)
        except ValueError:
            raise
        except (ObjectDoesNotExist, InvalidOperation, TypeError) as exc:
            raise ValueError(import_value_error(field, row.get(field.column_name))) from exc

    def import_instance(self, instance, row, **kwargs):
        """Fill the instance, checking many-to-many columns too; ``ValidationError`` per field."""
        # django-import-export checks many-to-many columns only after saving the row; check them
        # here too, so that an unknown name is a validation error of its row and column.
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                try:
                    field.clean(row, **kwargs)
                except ValueError as exc:
                    errors[field.attribute] = ValidationError(str(exc), code="invalid")
        if errors:
            raise ValidationError(errors)


class StrictManyToManyWidget(widgets.ManyToManyWidget):
    """A many-to-many column (names joined by ``separator``) that refuses unknown names
    instead of dropping them silently."""

    def clean(self, value, row=None, **kwargs):
        """The objects named in ``value``; ``ValueError`` listing the names that match none."""
        objects = super().clean(value, row=row, **kwargs)
        if value is None or not str(value).strip():
            return objects
        wanted = {part.strip() for part in str(value).split(self.separator) if part.strip()}
        found = {str(getattr(obj, self.field)) for obj in objects}
        missing = sorted(wanted - found)
        if missing:
            raise ValueError(
                _("« %(values)s » : aucun élément « %(model)s » de ce nom.")
                % {"values": " | ".join(missing), "model": self.model._meta.verbose_name}
            )
        return objects


def french_column_name(model, attribute: str) -> str:
    """The spreadsheet column of a model field: its verbose name, capitalised, in French
    (« amount » → « Montant »); the attribute itself when it is not a model field."""
    try:
        verbose_name = model._meta.get_field(attribute).verbose_name
    except FieldDoesNotExist:
        return attribute
    with translation.override("fr"):
        return capfirst(str(verbose_name))


def import_value_error(field: fields.Field, value) -> str:
    """The message shown for an unreadable cell: column, value typed and what was expected."""
    widget = field.widget
    if isinstance(widget, widgets.ForeignKeyWidget):
        return _(
            "Colonne « %(column)s » : « %(value)s » ne correspond à aucun élément « %(model)s » "
            "(valeur attendue : %(field)s existant)."
        ) % {
            "column": field.column_name,
            "value": value,
            "model": widget.model._meta.verbose_name,
            "field": widget.field,
        }
    if isinstance(widget, widgets.NumberWidget):
        return _(
            "Colonne « %(column)s » : « %(value)s » n'est pas un nombre (exemple : 1234.56)."
        ) % {"column": field.column_name, "value": value}
    return _("Colonne « %(column)s » : valeur « %(value)s » illisible.") % {
        "column": field.column_name,
        "value": value,
    }


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


class FellowChallengeInline(admin.TabularInline):
    """The défis of an EIG (links of ``Challenge.fellows``)."""

    model = Challenge.fellows.through
    extra = 0
    autocomplete_fields = ["challenge"]
    verbose_name = _("défi")
    verbose_name_plural = _("défis")


class MentorChallengeInline(admin.TabularInline):
    """The défis of a mentor (links of ``Challenge.mentors``)."""

    model = Challenge.mentors.through
    extra = 0
    autocomplete_fields = ["challenge"]
    verbose_name = _("défi")
    verbose_name_plural = _("défis")


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
        """Promotions annotated with ``n_challenges`` and ``n_fellows`` (distinct counts)."""
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_challenges=Count("challenges", distinct=True),
                n_fellows=Count("fellows", distinct=True),
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

    The list's queryset is annotated with ``Count("challenges")`` (one query, no N+1); for a
    model whose reverse/many-to-many relation to ``Challenge`` is named ``challenges``.
    """

    def get_queryset(self, request):
        """The admin's queryset annotated with ``n_challenges``."""
        return super().get_queryset(request).annotate(n_challenges=Count("challenges"))

    @admin.display(description=_("défis"), ordering="n_challenges")
    def n_challenges(self, obj):
        """Number of défis linked to ``obj`` (the annotation)."""
        return obj.n_challenges


@admin.register(Administration)
class AdministrationAdmin(ChallengeCountAdminMixin, PortalHistoryAdmin):
    """Administrations with their parent and number of défis."""

    resource_classes = [AdministrationResource]
    list_display = ("name", "acronym", "parent", "town", "is_confirmed", "n_challenges")
    list_filter = ("is_confirmed", ("parent", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "acronym", "town")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)


@admin.register(Fellow)
class FellowAdmin(ChallengeCountAdminMixin, PortalHistoryAdmin):
    """EIG with their promotion, profile and défis (inline)."""

    resource_classes = [FellowResource]
    list_display = ("name", "profile", "promotion", "job_title", "email", "n_challenges")
    list_filter = (
        "promotion",
        "profile",
        ("challenges__administration", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("name", "email", "source_key", "job_title", "challenges__title")
    list_select_related = ("promotion",)
    inlines = [FellowChallengeInline]


@admin.register(Mentor)
class MentorAdmin(PortalHistoryAdmin):
    """Mentors with their role, administration, promotion and défis (inline)."""

    resource_classes = [MentorResource]
    list_display = ("name", "role", "administration", "promotion", "job_title", "email")
    list_filter = ("role", "promotion", ("administration", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "email", "source_key", "job_title", "administration__name")
    list_select_related = ("administration", "promotion")
    autocomplete_fields = ("administration",)
    inlines = [MentorChallengeInline]


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
