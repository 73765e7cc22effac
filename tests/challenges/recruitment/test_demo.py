"""The call for candidates' demo: every stage present, accounts printed, idempotent."""

import pytest

from challenges.models import Application, JuryMember
from challenges.recruitment.demo import (
    DEMO_CANDIDATE_EMAIL,
    DEMO_MENTOR_EMAIL,
    create_demo_recruitment,
)

pytestmark = pytest.mark.django_db


def test_the_demo_has_candidates_at_every_stage_and_runs_twice(coordinator):
    lines = create_demo_recruitment()
    create_demo_recruitment()
    statuses = set(Application.objects.values_list("status", flat=True))
    assert statuses == set(Application.Status.values)
    assert Application.objects.count() == 9
    assert any(DEMO_CANDIDATE_EMAIL in line for line in lines)
    assert JuryMember.objects.get(user__email=DEMO_MENTOR_EMAIL).kind == JuryMember.Kind.MENTOR
    assert Application.objects.get(status="selected").fellow is not None
