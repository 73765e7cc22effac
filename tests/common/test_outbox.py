"""No lost email or job when the broker is down: the outbox keeps every job written with the
change, the person is told it is delayed (never « envoyé », never a 500), and the beat task
hands the jobs over once the broker is back.

These tests commit for real (``transaction=True``): jobs are handed over at commit, during the
request, as in production.
"""

from datetime import timedelta

import pytest
from celery.app.task import Task
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from eig_portal.common.models import OutboxJob
from eig_portal.common.tasks import outbox_flush
from tests.factories import QuestionFactory, SurveyFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def broker_down(monkeypatch):
    """Every ``delay`` fails as with Redis unreachable; ``broker_down.restore()`` ends it."""

    def refuse(self, *args, **kwargs):
        raise OperationalError("Error 111 connecting to redis:6379. Connection refused.")

    monkeypatch.setattr(Task, "delay", refuse)

    class Switch:
        @staticmethod
        def restore():
            monkeypatch.undo()

    return Switch


@pytest.fixture
def superuser(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def _flush_later():
    OutboxJob.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    return outbox_flush()


def test_deferred_export_with_the_broker_down_is_kept_and_said_delayed(
    client, superuser, broker_down
):
    survey = SurveyFactory(code="suivi")
    QuestionFactory(section__survey=survey)
    response = client.post(reverse("survey_results:export_later", args=["suivi"]), follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "momentanément indisponible" in page
    assert "vous sera envoyé par courriel." not in page.split("momentanément")[0]
    job = OutboxJob.objects.get()
    assert job.queued_at is None and job.attempts == 1 and "refused" in job.last_error

    assert _flush_later() == 0  # still down: kept, one more attempt
    assert OutboxJob.objects.get().attempts == 2
    broker_down.restore()
    assert _flush_later() == 1
    assert OutboxJob.objects.get().queued_at is not None
    assert len(mail.outbox) == 1 and "/exports/" in mail.outbox[0].body
    assert _flush_later() == 0  # handed over once


def test_send_invitations_with_the_broker_down_answers_and_loses_nothing(
    client, superuser, broker_down
):
    from promotions.models import Fellow, Promotion
    from surveys.models import Invitation

    promotion = Promotion.objects.create(code="EIG 9", slug="eig-9", rank=9, year=2026)
    survey = SurveyFactory(code="bilan", audience_fellows=True)
    QuestionFactory(section__survey=survey)
    survey.promotions.set([promotion])
    for n in range(3):
        Fellow.objects.create(name=f"F{n}", email=f"f{n}@example.org", promotion=promotion)
    changelist = reverse("admin:surveys_survey_changelist")
    client.post(changelist, {"action": "create_invitations", "_selected_action": [survey.pk]})
    assert Invitation.objects.count() == 3

    response = client.post(
        changelist, {"action": "send_invitations", "_selected_action": [survey.pk]}, follow=True
    )
    assert response.status_code == 200
    assert "3 envois sont en attente" in response.content.decode()
    assert OutboxJob.objects.filter(queued_at__isnull=True).count() == 3
    assert mail.outbox == []

    broker_down.restore()
    assert _flush_later() == 3
    assert len(mail.outbox) == 3


def test_a_juror_invitation_is_not_said_sent_when_only_waiting(client, superuser, broker_down):
    response = client.post(
        reverse("admin:challenges_juryassignment_invite"),
        {"email": "jure@example.gouv.fr", "first_name": "Jo", "last_name": "Ré"},
        follow=True,
    )
    page = response.content.decode()
    assert response.status_code == 200
    message = page[page.index("Invitation enregistrée") :].split("</li>")[0]
    assert "momentanément indisponible" in message and "envoyée" not in message
    broker_down.restore()
    assert _flush_later() == 1
    assert "/comptes/invitation/" in mail.outbox[0].body


def test_with_the_broker_up_jobs_are_handed_over_at_commit(client, superuser):
    survey = SurveyFactory(code="direct")
    QuestionFactory(section__survey=survey)
    response = client.post(reverse("survey_results:export_later", args=["direct"]))
    assert response.status_code == 302
    assert OutboxJob.objects.get().queued_at is not None
    assert len(mail.outbox) == 1  # built and sent (no broker in tests: eager)
    assert outbox_flush() == 0
