"""Figures count people without naming them: the dashboard, ``/api/v1/figures/`` and the
questionnaires' results are identical before and after retention and erasure."""

import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from challenges.models import ChallengeProposal, NotificationLog
from eig_portal.privacy.models import RetentionRun
from eig_portal.privacy.services import person_erase
from promotions.models import Fellow
from surveys.definition_files import survey_import_definition
from surveys.models import Invitation, Survey
from tests.challenges.call_builders import make_agent, make_call, make_proposal, make_review
from tests.factories import (
    ChallengeFactory,
    FellowFactory,
    MentorFactory,
    PromotionFactory,
    UserFactory,
)
from tests.surveys.builders import build_responses, make_invitations

pytestmark = pytest.mark.django_db

DEFINITION = {
    "code": "bilan-eig",
    "title": "Bilan des EIG",
    "audience": ["fellows", "mentors"],
    "sections": [
        {
            "title": "Bilan",
            "questions": [
                {"code": "utile", "text": "Utile ?", "type": "yesno"},
                {
                    "code": "profil",
                    "text": "Profil",
                    "type": "single",
                    "choices": [{"code": "dev", "label": "Dev"}, {"code": "ds", "label": "DS"}],
                },
                {"code": "avis", "text": "Votre avis", "type": "long_text"},
            ],
        }
    ],
}


def build_programme():
    """Two promotions with named people, a closed questionnaire answered through personal
    links, a closed call with drafts, submitted proposals and a juror."""
    now = timezone.now()
    promotions = [PromotionFactory(), PromotionFactory()]
    fellows = [
        FellowFactory(
            promotion=promotions[i % 2],
            email=f"eig{i}@example.gouv.fr",
            profile=[Fellow.Profile.DEVELOPER, Fellow.Profile.DESIGNER][i % 2],
        )
        for i in range(6)
    ]
    mentors = [
        MentorFactory(promotion=promotions[i % 2], email=f"mentor{i}@example.gouv.fr")
        for i in range(3)
    ]
    ChallengeFactory(promotion=promotions[0], fellows=fellows[::2], mentors=mentors[:2])
    ChallengeFactory(promotion=promotions[1], fellows=fellows[1::2], mentors=mentors[2:])
    survey = survey_import_definition(data=DEFINITION)
    Survey.objects.filter(pk=survey.pk).update(
        opens_at=now - timedelta(days=60), closes_at=now - timedelta(days=5)
    )
    invitations = []
    for fellow in fellows[:5]:
        invitation = make_invitations(
            survey=survey, role="fellow", promotion=fellow.promotion, count=1
        )[0]
        invitation.email, invitation.fellow = fellow.email, fellow
        invitation.save()
        invitations.append(invitation)
    build_responses(
        survey=survey,
        people=[("fellow", i.promotion) for i in invitations[:4]],
        answers={
            "utile": [True, True, False, True],
            "profil": ["dev", "ds", "dev", None],
            "avis": ["Très bien", "", "Moyen", "Bien"],
        },
        invitations=invitations[:4],
    )
    call = make_call(promotion=promotions[1], closes_in=-timedelta(days=2))
    agent = make_agent()
    agent.last_login = now
    agent.save()
    submitted = [make_proposal(call, author=agent) for _ in range(3)]
    make_proposal(call, status=ChallengeProposal.Status.DRAFT, author=agent)
    make_proposal(call, status=ChallengeProposal.Status.DRAFT)
    juror = UserFactory(email="jure@example.gouv.fr")
    make_review(submitted[0], juror, [5, 4])
    NotificationLog.objects.create(key="ack:1", recipients=agent.email)
    return survey


def snapshot(client, survey):
    """The figures API JSON, the dashboard CSV and the questionnaire's results JSON."""
    figures = client.get("/api/v1/figures/", HTTP_ACCEPT="application/json")
    dashboard = client.get("/promotions/chiffres/?export=csv")
    assert figures.status_code == 200 and dashboard.status_code == 200
    results = io.StringIO()
    call_command("survey_results", survey.code, "--format", "json", stdout=results)
    return {
        "figures": figures.json(),
        "dashboard": b"".join(dashboard.streaming_content)
        if dashboard.streaming
        else dashboard.content,
        "results": json.loads(results.getvalue()),
    }


def test_figures_and_results_survive_retention_and_erasure(client, coordinator):
    survey = build_programme()
    client.force_login(coordinator)
    before = snapshot(client, survey)
    assert '"Très bien"' not in json.dumps(before["results"])  # results never quote a person

    person_erase(email="eig0@example.gouv.fr", by=coordinator, reason="Demande")
    for day in ("2031-01-01", "2031-03-01"):  # announced, then done 30 days later
        with TestCase.captureOnCommitCallbacks(execute=True):
            call_command("apply_retention", "--now", day, stdout=io.StringIO())

    # Retention did remove personal data (the comparison below is not vacuous).
    assert not ChallengeProposal.objects.filter(status=ChallengeProposal.Status.DRAFT).exists()
    assert not Invitation.objects.exclude(email="").exists()
    assert not Invitation.objects.filter(fellow__isnull=False).exists()
    assert NotificationLog.objects.get(key="ack:1").recipients == ""
    last = RetentionRun.objects.first().removed
    assert last["drafts"] == 2
    # Two agents (one wrote only a draft) and the juror.
    assert last["inactive_accounts"] + last["juror_accounts"] == 3
    assert not Fellow.objects.filter(email="eig0@example.gouv.fr").exists()

    client.force_login(coordinator)
    after = snapshot(client, survey)
    assert after["figures"] == before["figures"]
    assert after["dashboard"] == before["dashboard"]
    assert after["results"] == before["results"]
