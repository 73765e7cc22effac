"""``/api/v1/figures/`` with the figures of the ten months and after.

Each promotion (and ``total``) of « Le programme en chiffres » gains ``events``, ``outcomes``
(counts from each défi's latest outcome by ``as_of``), ``outcome_shares``, ``expertise`` and
``alumni`` (see ``challenges.followup.programme_figures``).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers

from promotions.alumni.figures import SITUATION_KEYS
from promotions.api import (
    FIGURES_DESCRIPTION,
    ColumnFiguresSerializer,
    FiguresSerializer,
    FiguresView,
    PromotionFiguresSerializer,
    figures_data,
)
from promotions.models import Promotion

from .figures import TOPIC_KEYS
from .programme_figures import SHARE_KEYS, followup_figures


def _count(help_text=""):
    return serializers.IntegerField(min_value=0, help_text=help_text)


def _share(help_text=""):
    return serializers.FloatField(min_value=0, max_value=1, allow_null=True, help_text=help_text)


class EventFiguresSerializer(serializers.Serializer):
    """Events of the support programme that have ended."""

    held = _count(_("Événements terminés."))
    confirmed = _count(_("Places confirmées (« oui », hors liste d'attente)."))
    attended = _count(_("Personnes présentes."))
    attendance_rate = _share(_("Présents / places confirmées, de 0 à 1, arrondi au centième."))


class OutcomeCountsSerializer(serializers.Serializer):
    """Counts from each défi's latest outcome (by ``as_of``)."""

    challenges = _count(_("Défis ayant une réalisation."))
    in_production = _count(_("En production."))
    planned = _count(_("En développement, mise en production prévue."))
    not_planned = _count(_("En développement, sans mise en production prévue."))
    stopped = _count(_("Arrêtés."))
    maintained = _count(_("Maintenus."))
    open_source = _count(_("Avec une adresse de code source."))
    open_data = _count(_("Avec au moins un jeu de données ouvert."))
    reused = _count(_("Réutilisés par au moins une autre administration."))


class OutcomeSharesSerializer(serializers.Serializer):
    """The outcome counts over ``outcomes.challenges``, from 0 to 1 (null: no outcome)."""

    in_production = _share()
    planned = _share()
    not_planned = _share()
    stopped = _share()
    maintained = _share()
    open_source = _share()
    open_data = _share()
    reused = _share()


class ExpertiseFiguresSerializer(serializers.Serializer):
    """Requests to the programme's experts."""

    fellows = _count(_("EIG de la promotion."))
    fellows_with_request = _count(_("EIG ayant fait au moins une demande d'expertise."))
    share_fellows_with_request = _share(_("Leur part, de 0 à 1, arrondie au centième."))
    requests_by_topic = serializers.DictField(
        child=serializers.IntegerField(min_value=0),
        help_text=_("Demandes des EIG par sujet : ") + ", ".join(TOPIC_KEYS),
    )


class AlumniFiguresSerializer(serializers.Serializer):
    """Alumni by current situation (latest by date)."""

    civil_servant = _count()
    contractual = _count()
    independent = _count()
    private_sector = _count()
    research = _count()
    other = _count()


class FollowUpFieldsMixin(serializers.Serializer):
    """The follow-up objects added to each column."""

    events = EventFiguresSerializer()
    outcomes = OutcomeCountsSerializer()
    outcome_shares = OutcomeSharesSerializer()
    expertise = ExpertiseFiguresSerializer()
    alumni = AlumniFiguresSerializer()


class PromotionProgrammeFiguresSerializer(FollowUpFieldsMixin, PromotionFiguresSerializer):
    """A promotion's figures with its follow-up figures."""


class TotalProgrammeFiguresSerializer(FollowUpFieldsMixin, ColumnFiguresSerializer):
    """The total's figures with the follow-up figures summed over the promotions shown."""


class ProgrammeFiguresSerializer(FiguresSerializer):
    """The ``/api/v1/figures/`` document with the follow-up figures."""

    promotions = serializers.DictField(
        child=PromotionProgrammeFiguresSerializer(), help_text=_("Par code de promotion.")
    )
    total = TotalProgrammeFiguresSerializer()


assert set(SHARE_KEYS) == set(OutcomeSharesSerializer().fields)  # noqa: S101
assert set(SITUATION_KEYS) == set(AlumniFiguresSerializer().fields)  # noqa: S101


@extend_schema_view(
    get=extend_schema(
        summary="Le programme en chiffres",
        description=FIGURES_DESCRIPTION
        + " Chaque promotion et le total ont aussi `events`, `outcomes` (décomptes tirés de la "
        "dernière réalisation de chaque défi, par date), `outcome_shares`, `expertise` et `alumni`.",
        parameters=[
            OpenApiParameter(
                "promotion",
                OpenApiTypes.STR,
                many=True,
                description="Identifiant d'URL (slug) d'une promotion ; répétable.",
            )
        ],
        responses={200: ProgrammeFiguresSerializer, 400: OpenApiTypes.OBJECT},
    )
)
class ProgrammeFiguresView(FiguresView):
    """« Le programme en chiffres » as open data, with the follow-up figures."""

    serializer_class = ProgrammeFiguresSerializer

    def figures(self, promotions: list[Promotion] | None) -> dict[str, Any]:
        """The promotions' document plus their follow-up figures (four more queries)."""
        data = figures_data(promotions=promotions)
        ids = dict(
            Promotion.objects.filter(code__in=list(data["promotions"])).values_list("code", "pk")
        )
        followup = followup_figures(promotion_ids=list(ids.values()), now=timezone.now())
        for code, column in data["promotions"].items():
            column.update(followup[ids[code]].as_api())
        data["total"].update(followup["total"].as_api())
        return data
