"""Admin lists that stay fast whatever the size of the tables: :class:`PortalListMixin`, the
base of every list of the portal's apps, and :class:`AutocompleteListFilter`.

Django's default filter on a relation prints one sidebar link per related object: at 100× the
real data that is 13,200 défis or 9,000 administrations loaded and rendered on every page of
the list (half a second). :class:`AutocompleteListFilter` instead shows one search box (the
admin's own autocomplete, select2, searching the related admin's ``search_fields``) holding the
chosen object: one query, for the chosen object only. The filter keeps Django's URL parameter
(``challenge__id__exact=12``), so links built for the default filter keep working.

Usage, in a ``ModelAdmin`` that inherits :class:`PortalListMixin` (which adds the select2
scripts to the list page)::

    list_filter = [("challenge", AutocompleteListFilter)]

The related model's admin must be registered with ``search_fields`` (Django's autocomplete
rule), and the coordinator needs the view permission on it.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

#: Django's label of a row's selection box, translated by Django's own catalogue (held in a
#: name, so that ``makemessages`` does not copy it into the portal's).
DJANGO_CHECKBOX_LABEL = "Select this object for an action - {}"
#: Rows of a list page (Django's default is 100): each row costs about as much to render as
#: the page's frame, so a page of 50 answers in about half the time; 50 stays a useful page.
LIST_PER_PAGE = 50

#: Scripts and styles of the filter besides select2's (submit on choice, sidebar width).
FILTER_MEDIA = forms.Media(
    js=["admin/js/jquery.init.js", "js/admin-autocomplete-filter.js"],  # after django.jQuery
    css={"screen": ["css/admin-autocomplete-filter.css"]},
)


class AutocompleteListFilter(admin.RelatedFieldListFilter):
    """A filter on a relation (foreign key or many-to-many, possibly through a path such as
    ``choices__challenge``) chosen in a search box instead of a list of every related object.

    Renders a GET form (the list's other parameters kept as hidden fields) whose select is
    turned into a select2 autocomplete, as Django's ``autocomplete_fields``; choosing an object
    submits it. Facet counts are not shown for this filter.
    """

    template = "admin/portal/autocomplete_filter.html"

    def field_choices(self, field, request, model_admin):
        """None listed: the related objects are searched (the widget shows the chosen one)."""
        return []

    def _valid_values(self, field) -> list:
        """The filter's values that the related key can hold (a bad one is left to Django's
        changelist, which answers it with its error page)."""
        values = []
        for raw in self.lookup_val or []:
            try:
                values.append(field.target_field.to_python(raw))
            except ValidationError:
                continue
        return values

    def has_output(self) -> bool:
        """Always shown: the search box is the way to choose."""
        return True

    def get_facet_counts(self, pk_attname, filtered_qs):
        """No facet counts: counting per related object is what this filter avoids."""
        return {}

    def choices(self, changelist):
        """One entry for the template: the form's hidden fields, the widget, the « all » link.

        Yields a single dict: ``selected`` (a value is chosen), ``query_string`` (the list
        without this filter), ``display``, ``hidden`` (``[(name, value)]`` of the list's other
        parameters) and ``widget`` (the select's HTML).
        """
        own = {self.lookup_kwarg, self.lookup_kwarg_isnull}
        hidden = [
            (name, value)
            for name, values in changelist.filter_params.items()  # without page and error
            if name not in own
            for value in values
        ]
        yield {
            "selected": bool(self.lookup_val or self.lookup_val_isnull),
            "query_string": changelist.get_query_string(remove=sorted(own)),
            "display": _("Tous"),
            "hidden": hidden,
            "widget": self._widget_html(changelist.model_admin),
            "field_id": f"filter-{self.lookup_kwarg}",
        }

    def _widget_html(self, model_admin) -> str:
        """The select2 select named after the lookup, holding the chosen object (one query)."""
        remote = self.field.remote_field.model
        form_field = forms.ModelChoiceField(
            queryset=remote._default_manager.all(),
            to_field_name=self.field.target_field.name,
            required=False,
            widget=AutocompleteSelect(
                self.field,
                model_admin.admin_site,
                attrs={"id": f"filter-{self.lookup_kwarg}"},
            ),
        )
        values = self._valid_values(self.field)
        return form_field.widget.render(self.lookup_kwarg, values[0] if values else None)


class PortalListMixin:
    """Base of the portal's ``ModelAdmin`` classes (before ``admin.ModelAdmin`` in the bases):

    - 50 rows a page (:data:`LIST_PER_PAGE`); a filtered list shows « n résultats » without
      counting the whole table a second time (``show_full_result_count``);
    - the rows' selection boxes written directly, as Django renders them: Django renders a
      widget template for each row's box, 40 % of the cost of a row;
    - select2 and the filter's script on the pages of an admin whose ``list_filter`` uses
      :class:`AutocompleteListFilter`.
    """

    list_per_page = LIST_PER_PAGE
    show_full_result_count = False

    def action_checkbox(self, obj):
        """The row's selection box: the HTML of Django's ``ModelAdmin.action_checkbox``
        (a ``CheckboxInput``), without a template rendered per row."""
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            str(obj.pk),
            format_html(gettext(DJANGO_CHECKBOX_LABEL), str(obj)),
        )

    @property
    def media(self):
        """The admin's media, plus the autocomplete filter's when a list filter needs it."""
        media = super().media
        if any(
            isinstance(item, (list, tuple)) and issubclass(item[1], AutocompleteListFilter)
            for item in self.list_filter
        ):
            media = media + AutocompleteSelect(None, self.admin_site).media + FILTER_MEDIA
        return media
