"""Search, filters and sorting of the public list of défis (django-filter)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from promotions.models import Administration, Promotion

from .models import Challenge, Theme

#: Sort options of the public list: value → (label, order_by).
SORTS = {
    "recent": (_("Promotion la plus récente"), ("-promotion__rank", "-promotion__year", "title")),
    "oldest": (_("Promotion la plus ancienne"), ("promotion__rank", "promotion__year", "title")),
    "title": (_("Titre (A → Z)"), ("title",)),
    "administration": (_("Administration (A → Z)"), ("administration__name", "title")),
}


class ChallengeFilter(django_filters.FilterSet):
    """Filters of ``/defis/``: ``q`` (title, summary, administration), ``promotion`` (slug),
    ``theme`` (slug), ``administration`` (id) and ``tri`` (a key of SORTS)."""

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
    tri = django_filters.ChoiceFilter(
        choices=[(key, label) for key, (label, _order) in SORTS.items()],
        method="sort",
        label=_("Trier par"),
        empty_label=None,
    )

    class Meta:
        model = Challenge
        fields = ["q", "promotion", "theme", "administration", "tri"]

    def search(self, queryset, name, value):
        words = value.split()
        for word in words:
            queryset = queryset.filter(
                Q(title__icontains=word)
                | Q(summary__icontains=word)
                | Q(administration__name__icontains=word)
                | Q(administration__acronym__icontains=word)
            )
        return queryset

    def sort(self, queryset, name, value):
        return queryset.order_by(*SORTS.get(value, SORTS["recent"])[1])
