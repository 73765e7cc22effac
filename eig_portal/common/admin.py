"""Admin of the common ground: base classes every app's admin builds on (CSV/XLSX import and
export with spreadsheet-safe cells, history of changes, strict many-to-many columns) and the
read-only email log."""

import io
from decimal import InvalidOperation

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import CSV, XLSX
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from .admin_lists import PortalListMixin
from .cells import FORMULA_PREFIXES, Sheet, write_csv, xlsx_bytes
from .models import NotificationLog


class PortalCSV(CSV):
    """CSV export written by the portal's one CSV writer (``cells.write_csv``): text cells
    cannot run as formulas, booleans ``oui``/``non``, datetimes in Paris time with the offset."""

    def export_data(self, dataset, **kwargs):
        """``dataset`` (typed cells, see ``PortalResource.export_field``) as CSV text."""
        buffer = io.StringIO()
        write_csv(buffer, header=dataset.headers or [], rows=list(dataset))
        return buffer.getvalue()


class PortalXLSX(XLSX):
    """XLSX export written by the portal's one XLSX writer (``cells.xlsx_bytes``): numbers as
    numbers (a budget line's amount is a number cell), text never a formula."""

    def export_data(self, dataset, **kwargs):
        """``dataset`` (typed cells, see ``PortalResource.export_field``) as XLSX bytes."""
        title = (dataset.title or "Export")[:31]
        return xlsx_bytes(sheets=[Sheet(title=title, header=dataset.headers or [], rows=dataset)])


class PortalImportExportAdmin(PortalListMixin, ImportExportModelAdmin):
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


class PortalBooleanWidget(widgets.BooleanWidget):
    """A boolean column that also reads the ``oui``/``non`` (``yes``/``no``) of our exports."""

    TRUE_VALUES = [*widgets.BooleanWidget.TRUE_VALUES, "oui", "Oui", "OUI", "yes", "Yes"]
    FALSE_VALUES = [*widgets.BooleanWidget.FALSE_VALUES, "non", "Non", "NON", "no", "No"]


#: Widgets whose values are exported typed (number, boolean, date) rather than as text.
TYPED_WIDGETS = (
    widgets.DecimalWidget,
    widgets.FloatWidget,
    widgets.IntegerWidget,
    widgets.BooleanWidget,
    widgets.DateWidget,
    widgets.DateTimeWidget,
)


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

    def export_field(self, field, instance, **kwargs):
        """Numbers, booleans and dates stay typed (the CSV and XLSX writers of ``cells`` write
        them the portal's one way); other columns are rendered by their widget."""
        dehydrate = field.get_dehydrate_method(self.get_field_name(field))
        if isinstance(field.widget, TYPED_WIDGETS) and not hasattr(self, dehydrate):
            return field.get_value(instance)
        return super().export_field(field, instance, **kwargs)

    @classmethod
    def widget_from_django_field(cls, f, default=widgets.Widget):
        """Booleans read ``oui``/``non`` (what the portal's exports write) as well."""
        widget = super().widget_from_django_field(f, default)
        return PortalBooleanWidget if widget is widgets.BooleanWidget else widget

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
    (« amount » → « Montant (€) »); the attribute itself when it is not a model field."""
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


@admin.register(NotificationLog)
class NotificationLogAdmin(admin.ModelAdmin):
    """The emails sent, by idempotency key (read-only: the log is written by ``send_once``)."""

    list_display = ("key", "recipients", "sent_at")
    search_fields = ("key", "recipients")
    date_hierarchy = "sent_at"
    readonly_fields = ("key", "recipients", "sent_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
