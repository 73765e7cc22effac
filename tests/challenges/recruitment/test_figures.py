"""The call for candidates in « Le programme en chiffres » and ``/api/v1/figures/``."""

import pytest
from django.urls import reverse

from challenges.models import Application
from promotions.figures import programme_figures
from promotions.models import DeclaredFigure
from tests.factories import DeclaredFigureFactory

from .builders import make_application, make_recruitment_call

pytestmark = pytest.mark.django_db
Status = Application.Status


def test_candidates_count_submitted_applications_withdrawn_included_drafts_not():
    call = make_recruitment_call()
    make_application(call, status=Status.SUBMITTED)
    make_application(call, status=Status.WITHDRAWN)
    make_application(call, status=Status.INTERVIEW, interviewed=True)
    make_application(call, status=Status.SELECTED, interviewed=True)
    make_application(call, status=Status.DRAFT)
    column = programme_figures(promotions=[call.promotion]).columns[0]
    assert column.cells["candidates"].records == 4
    assert column.cells["candidates_interviewed_by_jury"].records == 2


def test_the_declared_interviews_are_the_headline_and_the_records_stay_visible(client):
    call = make_recruitment_call()
    make_application(call, status=Status.INTERVIEW, interviewed=True)
    DeclaredFigureFactory(
        promotion=call.promotion, metric=DeclaredFigure.Metric.CANDIDATES_INTERVIEWED, value=30
    )
    data = client.get(reverse("api:figures")).json()["promotions"][call.promotion.code]
    assert data["candidates_interviewed_by_jury"] == 30
    assert data["records"]["candidates_interviewed_by_jury"] == 1
    assert data["records"]["candidates"] == 1


def test_the_figures_survive_the_erasure_of_personal_data():
    from challenges.recruitment.retention import applications_erase

    call = make_recruitment_call()
    application = make_application(call, status=Status.NOT_SELECTED, interviewed=True)
    applications_erase(applications=Application.objects.filter(pk=application.pk))
    application.refresh_from_db()
    assert application.email == "" and application.erased_at is not None
    column = programme_figures(promotions=[call.promotion]).columns[0]
    assert column.cells["candidates"].records == 1
    assert column.cells["candidates_interviewed_by_jury"].records == 1


def test_only_unsuccessful_applications_past_the_retention_period_are_due(settings):
    from datetime import timedelta

    from django.utils import timezone

    from challenges.recruitment.retention import applications_due_for_erasure
    from challenges.recruitment.tasks import erase_expired_candidates_data

    settings.CANDIDATE_RETENTION_DAYS = 730
    old = make_recruitment_call(
        closes_in=timedelta(days=-731), opens_at=timezone.now() - timedelta(days=800)
    )
    recent = make_recruitment_call(closes_in=timedelta(days=-10))
    unsuccessful = make_application(old, status=Status.NOT_SELECTED)
    make_application(old, status=Status.SELECTED)
    make_application(recent, status=Status.NOT_SELECTED)
    assert list(applications_due_for_erasure()) == [unsuccessful]
    assert erase_expired_candidates_data() == 1
    assert erase_expired_candidates_data() == 0
    assert not applications_due_for_erasure(now=timezone.now()).exists()
