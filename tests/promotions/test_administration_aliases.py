"""Administrations written differently across défis are merged at import (alias table) and the
merges are reported next to the title aliases."""

import pytest
from django.db.models import Count, Q

from challenges.filters import ChallengeFilter
from promotions.importers import import_eig_data, normalise_title
from promotions.importers.matching import ADMINISTRATION_ALIASES
from promotions.models import Administration

pytestmark = pytest.mark.django_db


def _filter_names() -> list[str]:
    return [a.name for a in ChallengeFilter().filters["administration"].queryset]


@pytest.mark.parametrize(
    "needle",
    [
        "sécurité du médicament",  # ANSM
        "Cerema",
        "développement durable",  # CGDD
        "cohésion des territoires",  # ANCT
        "ANCT",
        "de l’évaluation et des statistiques",  # DREES
    ],
)
def test_the_challenge_filter_lists_each_administration_once(real_data, needle):
    names = _filter_names()
    variants = {normalise_title(a) for a in ADMINISTRATION_ALIASES}
    assert not [n for n in names if normalise_title(n) in variants]
    hits = Administration.objects.filter(
        Q(name__icontains=needle) | Q(acronym__iexact=needle), challenges__is_public=True
    ).distinct()
    assert hits.count() == 1, list(hits.values_list("name", flat=True))


def test_merged_administration_keeps_all_its_challenges_and_its_acronym(real_data):
    cerema = Administration.objects.annotate(n=Count("challenges")).get(acronym="Cerema")
    assert cerema.name.startswith("Centre d'études et d'expertise")
    titles = set(cerema.challenges.values_list("title", flat=True))
    assert {"Estim'Action", "SOS Ponts"} <= titles


def test_each_merge_is_reported_with_the_alias_matches(real_data):
    report = import_eig_data()

    aliased = "\n".join(report.aliased)
    assert "who « ANCT » → « Agence nationale de la cohésion des territoires (ANCT) »" in aliased
    assert "who « Cerema » → « Centre d'études" in aliased
    assert report.changed == 0
