"""Open-data API of défis: ``/api/v1/challenges/`` (published défis, public fields only).

No personal data: people are not listed, only the number of EIG on record.
"""

import django_filters
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from eig_portal.common.api import OpenDataListView

from .models import Challenge
from .selectors import challenge_list_public


class ChallengeFilter(django_filters.FilterSet):
    """``?promotion=<slug>&theme=<slug>&administration=<id>&production_status=…&q=<text>``."""

    promotion = django_filters.CharFilter(
        field_name="promotion__slug", help_text=_("Slug de la promotion.")
    )
    theme = django_filters.CharFilter(field_name="themes__slug", help_text=_("Slug du thème."))
    administration = django_filters.NumberFilter(field_name="administration_id")
    production_status = django_filters.ChoiceFilter(choices=Challenge.ProductionStatus.choices)
    q = django_filters.CharFilter(
        method="search", help_text=_("Recherche dans le titre et le résumé.")
    )

    class Meta:
        model = Challenge
        fields = ["promotion", "theme", "administration", "production_status", "q"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(summary__icontains=value))


class ChallengeSerializer(serializers.ModelSerializer):
    promotion = serializers.CharField(source="promotion.code", allow_null=True, default=None)
    administration = serializers.CharField(
        source="administration.name", allow_null=True, default=None
    )
    themes = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    expertises = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    # Blank URLs are "" (a URLField would document oneOf[empty, uri], which "" matches twice).
    website = serializers.CharField(help_text=_("Adresse web (URL) ou vide."))
    source_code_url = serializers.CharField(help_text=_("Code source (URL) ou vide."))
    fellows_count = serializers.IntegerField(
        source="n_fellows", help_text=_("EIG dans les registres.")
    )
    url = serializers.SerializerMethodField()

    class Meta:
        model = Challenge
        fields = [
            "slug",
            "title",
            "summary",
            "promotion",
            "administration",
            "town",
            "themes",
            "expertises",
            "website",
            "source_code_url",
            "production_status",
            "is_maintained",
            "fellows_count",
            "url",
        ]

    def get_url(self, obj) -> str:
        return self.context["request"].build_absolute_uri(obj.get_absolute_url())


class ChallengeListView(OpenDataListView):
    """Published défis, most recent promotion first; filters as in ``ChallengeFilter``."""

    serializer_class = ChallengeSerializer
    filterset_class = ChallengeFilter
    csv_filename = "defis-eig.csv"

    def get_queryset(self):
        return (
            challenge_list_public()
            .annotate(n_fellows=Count("fellows", distinct=True))
            .prefetch_related("themes", "expertises")
            .order_by("-promotion__rank", "title", "pk")
        )
