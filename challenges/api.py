"""Open-data API of défis: ``/api/v1/challenges/`` (published défis, public fields only).

No personal data: people are not listed, only the number of EIG on record.
"""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from eig_portal.common.api import OpenDataListView
from eig_portal.common.search import FrenchOrder

from .filters import ChallengeFilter
from .models import Challenge
from .selectors import challenge_list_public


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
            .order_by("-promotion__rank", FrenchOrder("title"), "pk")
        )
