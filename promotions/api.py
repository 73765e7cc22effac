"""Open-data API of promotions: ``/api/v1/figures/`` and ``/api/v1/promotions/``.

``/api/v1/figures/`` gives the figures of « Le programme en chiffres » with the key names of
``data/reference/report-2019-figures.json``: per promotion code (rank order) and ``total``, the
headline figures (declared where declared, else computed from records), ``records`` (computed
from records only), ``differences`` (keys whose declared figure differs from records), and
``printed_totals`` (totals printed by a publication compared with the true sum of the rows).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from eig_portal.common import data_versions
from eig_portal.common.api import OpenDataListView

from .figures import (
    BUDGET_KEYS,
    COUNT_KEYS,
    METRICS_BY_KEY,
    MONEY,
    SHARE_KEYS,
    Cell,
    Column,
    programme_figures,
)
from .models import Promotion
from .selectors import promotion_list_public

#: API key of each budget metric (``budget_eur.<key>``).
BUDGET_API_KEYS = {**{k: k for k in BUDGET_KEYS}, "budget_total": "total"}


def _money(**kwargs):
    return serializers.DecimalField(
        max_digits=14, decimal_places=2, coerce_to_string=True, allow_null=True, **kwargs
    )


class BudgetSerializer(serializers.Serializer):
    """Euros as strings with two decimals (``"756553.38"``); null when no budget line exists."""

    pia_envelope = _money(help_text=_("Enveloppe PIA : plafond de financement, pas un coût."))
    salaries = _money(help_text=_("Salaires des EIG."))
    communication = _money()
    support_programme = _money(help_text=_("Programme d'accompagnement."))
    research_links = _money(help_text=_("Liens avec la recherche."))
    total = _money(help_text=_("Coût : salaires + communication + accompagnement + recherche."))


def _count(help_text):
    return serializers.IntegerField(min_value=0, allow_null=True, help_text=help_text)


def _share(help_text):
    return serializers.FloatField(min_value=0, max_value=1, allow_null=True, help_text=help_text)


class FigureValuesSerializer(serializers.Serializer):
    """One set of figures; null = unknown (no record and nothing declared)."""

    fellows = _count(_("Nombre d'EIG."))
    mentors = _count(_("Nombre de mentors."))
    challenges = _count(_("Nombre de défis."))
    new_host_organisations = _count(_("Administrations dont le premier défi est de la promotion."))
    candidates = _count(
        _("Candidats à l'appel à candidatures (candidatures déposées, retirées comprises).")
    )
    candidates_interviewed_by_jury = _count(
        _("Candidats reçus en entretien par un jury (candidatures dont l'entretien a eu lieu).")
    )
    challenges_proposed = _count(_("Défis proposés par les administrations."))
    share_designers = _share(_("Part des designers parmi les EIG, de 0 à 1, arrondie au centième."))
    share_developers = _share(_("Part des développeurs, de 0 à 1, arrondie au centième."))
    share_data_scientists = _share(_("Part des data scientists, de 0 à 1, arrondie au centième."))
    budget_eur = BudgetSerializer()


class ColumnFiguresSerializer(FigureValuesSerializer):
    """Headline figures of a promotion (or of the total), then those computed from records."""

    records = FigureValuesSerializer(
        help_text=_("Les mêmes indicateurs calculés sur les registres.")
    )
    differences = serializers.ListField(
        child=serializers.CharField(),
        help_text=_("Indicateurs dont le chiffre retenu diffère de celui des registres."),
    )
    budget_is_forecast = serializers.BooleanField(help_text=_("Budget prévisionnel."))


class PromotionFiguresSerializer(ColumnFiguresSerializer):
    """Figures of one promotion (``ColumnFiguresSerializer``) plus its ``year``."""

    year = serializers.IntegerField()


class PrintedTotalSerializer(serializers.Serializer):
    """A total printed by a publication vs the exact sum of its promotions (``PrintedTotalCheck``).

    Numbers as text: counts as integers (``"85"``), euros with two decimals; ``sum`` is null when
    no covered promotion has a figure.
    """

    source = serializers.CharField()
    metric = serializers.CharField(
        help_text=_("Clé : « challenges_proposed », « budget_eur.salaries »…")
    )
    promotions = serializers.ListField(child=serializers.CharField())
    printed = serializers.CharField(help_text=_("Total imprimé (nombre décimal en texte)."))
    sum = serializers.CharField(allow_null=True, help_text=_("Somme exacte des lignes."))
    differs = serializers.BooleanField()
    note = serializers.CharField(allow_blank=True)


class FiguresSerializer(serializers.Serializer):
    """The ``/api/v1/figures/`` document built by ``figures_data``."""

    promotions = serializers.DictField(
        child=PromotionFiguresSerializer(), help_text=_("Par code de promotion, dans l'ordre.")
    )
    total = ColumnFiguresSerializer(help_text=_("Sommes exactes des promotions retenues."))
    printed_totals = PrintedTotalSerializer(many=True)


def _values(column: Column, attr: str) -> dict[str, Any]:
    """The figures of ``column``: ``attr`` is ``headline`` or ``records``."""
    values: dict[str, Any] = {
        key: getattr(column.cells[key], attr) for key in COUNT_KEYS + SHARE_KEYS
    }
    values["budget_eur"] = {
        api_key: getattr(column.cells[key], attr) for key, api_key in BUDGET_API_KEYS.items()
    }
    return values


def _column_data(column: Column) -> dict[str, Any]:
    data = _values(column, "headline")
    data["records"] = _values(column, "records")
    data["differences"] = [key for key, cell in column.cells.items() if _cell_differs(cell)]
    data["budget_is_forecast"] = column.budget_is_forecast
    if column.promotion is not None:
        data["year"] = column.promotion.year
    return data


def _cell_differs(cell: Cell) -> bool:
    return cell.headline is not None and cell.records is not None and cell.headline != cell.records


def _api_metric(key: str) -> str:
    if METRICS_BY_KEY[key].kind == MONEY:
        return f"budget_eur.{BUDGET_API_KEYS[key]}"
    return key


def _decimal_text(value, kind) -> str | None:
    if value is None:
        return None
    if kind == MONEY:
        return str(Decimal(value).quantize(Decimal("0.01")))
    return str(int(value))


def figures_data(*, promotions=None) -> dict[str, Any]:
    """The ``/api/v1/figures/`` document (see ``FiguresSerializer``)."""
    figures = programme_figures(promotions=promotions)
    return {
        "promotions": {c.key: _column_data(c) for c in figures.promotion_columns},
        "total": _column_data(figures.total),
        "printed_totals": [
            {
                "source": check.source,
                "metric": _api_metric(check.metric),
                "promotions": list(check.promotion_codes),
                "printed": _decimal_text(check.printed, METRICS_BY_KEY[check.metric].kind),
                "sum": _decimal_text(check.true_sum, METRICS_BY_KEY[check.metric].kind),
                "differs": check.differs,
                "note": check.note,
            }
            for check in figures.printed_totals
        ],
    }


SLUG_RE = re.compile(r"[-\w]+")

FIGURES_DESCRIPTION = _(
    "Les chiffres du programme EIG par promotion (code) et au total, avec les clés de "
    "report-2019-figures.json. Chiffres retenus : le chiffre déclaré (rapport) s'il existe, sinon "
    "celui des registres ; `records` : les mêmes indicateurs calculés sur les registres ; "
    "`differences` : les indicateurs où les deux diffèrent ; `printed_totals` : les totaux "
    "imprimés comparés à la somme exacte des lignes. Parts de 0 à 1 arrondies au centième "
    "(la moitié vers le haut) ; montants en euros, en texte avec deux décimales."
)


class FiguresView(APIView):
    """« Le programme en chiffres » as open data."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    #: Serializer of the document; a view composing more figures replaces both.
    serializer_class = FiguresSerializer

    def figures(self, promotions: list[Promotion] | None) -> dict[str, Any]:
        """The document for ``promotions`` (``None`` = all), see ``figures_data``."""
        return figures_data(promotions=promotions)

    @extend_schema(
        summary=_("Le programme en chiffres"),
        description=FIGURES_DESCRIPTION,
        parameters=[
            OpenApiParameter(
                "promotion",
                OpenApiTypes.STR,
                many=True,
                description=_(
                    "Identifiant d'URL (slug) d'une promotion ; répétable. Par défaut : toutes."
                ),
            )
        ],
        responses={200: FiguresSerializer, 400: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        """Figures of the ``?promotion=`` slugs (default: all); 400 on an unknown slug."""
        slugs = request.query_params.getlist("promotion")
        # Only well-formed slugs reach the database (PostgreSQL refuses NUL characters).
        wellformed = [s for s in slugs if SLUG_RE.fullmatch(s)]
        promotions = list(Promotion.objects.filter(slug__in=wellformed)) if slugs else None
        unknown = sorted(set(slugs) - {p.slug for p in promotions or []})
        if unknown:
            # An unknown slug is an error, never a silent « all promotions ».
            raise ValidationError(
                {"promotion": [_("Promotion inconnue : %(slug)s.") % {"slug": s} for s in unknown]}
            )
        # The serialised document is stored until the programme's data change.
        data = data_versions.cached(
            f"figures-api-{type(self).__name__}",
            ["programme"],
            lambda: self.serializer_class(self.figures(promotions or None)).data,
            ",".join(str(p.pk) for p in promotions or []),
            get_language(),
        )
        return Response(data)


class PromotionSerializer(serializers.ModelSerializer):
    """A promotion's public fields with its record counts and absolute page URL."""

    fellows_count = serializers.IntegerField(
        source="n_fellows", help_text=_("EIG dans les registres.")
    )
    challenges_count = serializers.IntegerField(source="n_challenges", help_text=_("Défis publiés"))
    url = serializers.SerializerMethodField()

    class Meta:
        model = Promotion
        fields = [
            "code",
            "slug",
            "number",
            "year",
            "title",
            "theme",
            "start_date",
            "end_date",
            "fellows_count",
            "challenges_count",
            "url",
        ]

    def get_url(self, obj) -> str:
        """Absolute URL of the promotion's public page (needs ``request`` in the context)."""
        return self.context["request"].build_absolute_uri(obj.get_absolute_url())


class PromotionListView(OpenDataListView):
    """Promotions (public fields), in chronological order; filter ``?year=``."""

    serializer_class = PromotionSerializer
    filterset_fields = ["year"]
    csv_filename = "promotions-eig.csv"

    def get_queryset(self):
        """All promotions via ``promotion_list_public`` (rank order; ``n_challenges`` counts published défis only)."""
        return promotion_list_public()
