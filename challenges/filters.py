"""Search, filters and sorting of défis (django-filter): one FilterSet for the public list
``/defis/`` and the open-data API ``/api/v1/challenges/``, so ``q`` answers the same on both."""

import django_filters
from django.utils.translation import gettext_lazy as _

from eig_portal.common.search import FrenchOrder, search_words
from promotions.models import Administration, Promotion

from .models import Challenge, Theme

#: Sort options of the public list: value → (label, order_by).
SORTS = {
    "recent": (
        _("Promotion la plus récente"),
        ("-promotion__rank", "-promotion__year", FrenchOrder("title")),
    ),
    "oldest": (
        _("Promotion la plus ancienne"),
        ("promotion__rank", "promotion__year", FrenchOrder("title")),
    ),
    "title": (_("Titre (A → Z)"), (FrenchOrder("title"), "pk")),
    "administration": (
        _("Administration (A → Z)"),
        (FrenchOrder("administration__name"), FrenchOrder("title")),
    ),
}


#: Fields searched by ``q``.
SEARCH_FIELDS = ["title", "summary", "administration__name", "administration__acronym"]


class ChallengeFilter(django_filters.FilterSet):
    """Filters of ``/defis/`` and ``/api/v1/challenges/``: ``q`` (words searched in the title,
    summary and administration, accents and case ignored), ``promotion`` (slug), ``theme``
    (slug), ``administration`` (id), ``production_status`` and ``tri`` (a key of SORTS)."""

    q = django_filters.CharFilter(
        method="search", label=_("Rechercher un défi (titre, résumé, administration)")
    )
    promotion = django_filters.ModelChoiceFilter(
        queryset=Promotion.objects.order_by("rank", "code"),
        to_field_name="slug",
        label=_("Promotion"),
        empty_label=_("Toutes les promotions"),
    )
    theme = django_filters.ModelChoiceFilter(
        field_name="themes",
        queryset=Theme.objects.filter(challenges__is_public=True).distinct().order_by("name"),
        to_field_name="slug",
        label=_("Thème"),
        empty_label=_("Tous les thèmes"),
    )
    administration = django_filters.ModelChoiceFilter(
        queryset=Administration.objects.filter(challenges__is_public=True)
        .distinct()
        .order_by("name"),
        label=_("Administration"),
        empty_label=_("Toutes les administrations"),
    )
    production_status = django_filters.ChoiceFilter(
        choices=Challenge.ProductionStatus.choices, label=_("Mise en production")
    )
    tri = django_filters.ChoiceFilter(
        choices=[(key, label) for key, (label, _order) in SORTS.items()],
        method="sort",
        label=_("Trier par"),
        empty_label=None,
    )

    class Meta:
        model = Challenge
        fields = ["q", "promotion", "theme", "administration", "production_status", "tri"]

    def search(self, queryset, name, value):
        """Every word in one of SEARCH_FIELDS (``eig_portal.common.search``)."""
        return search_words(queryset, value, SEARCH_FIELDS)

    def sort(self, queryset, name, value):
        return queryset.order_by(*SORTS.get(value, SORTS["recent"])[1])
