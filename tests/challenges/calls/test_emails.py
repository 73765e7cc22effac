"""Withdrawal emails and the submission summary's wording."""

import pytest
from django.core import mail

from challenges.calls import tasks
from challenges.calls.services import proposal_withdraw
from challenges.models import ChallengeProposal, NotificationLog
from tests.challenges.call_builders import make_agent, make_call, make_proposal

pytestmark = pytest.mark.django_db
Status = ChallengeProposal.Status


def test_withdrawal_is_acknowledged_to_the_agents_and_notified_to_coordinators(
    settings, django_capture_on_commit_callbacks
):
    settings.COORDINATORS_EMAIL = "coordination@eig.example.gouv.fr"
    author = make_agent(username="auteur", first_name="Lou", last_name="Petit")
    proposal = make_proposal(make_call(title="Appel EIG 9"), author=author, title="Datajust")
    make_agent(proposal.administration, username="collegue")
    make_agent(proposal.administration, username="pasconfirme", confirmed=False)

    with django_capture_on_commit_callbacks(execute=True):
        proposal_withdraw(proposal_id=proposal.pk, user=author, message="Projet repoussé à 2028.")
        assert mail.outbox == []  # queued on commit

    assert len(mail.outbox) == 2
    to_agents = next(m for m in mail.outbox if "auteur@example.gouv.fr" in m.to)
    assert sorted(to_agents.to) == ["auteur@example.gouv.fr", "collegue@example.gouv.fr"]
    assert "Datajust" in to_agents.subject and "retirée" in to_agents.subject
    body = to_agents.body
    assert "Appel EIG 9" in body and "Retrait fait par Lou Petit." in body
    assert "Projet repoussé à 2028." in body and "heure de Paris" in body
    assert f"/candidatures/{proposal.pk}/" in body
    assert "Projet repoussé à 2028." in to_agents.alternatives[0][0]

    notice = next(m for m in mail.outbox if m.to == ["coordination@eig.example.gouv.fr"])
    assert "Candidature retirée : Datajust" in notice.subject
    assert f"/admin/challenges/challengeproposal/{proposal.pk}/change/" in notice.body

    # Idempotent: a duplicate delivery sends nothing more.
    assert tasks.send_withdrawal_acknowledgement(proposal.pk) is False
    assert tasks.send_withdrawal_coordinators_notice(proposal.pk) is False
    assert len(mail.outbox) == 2
    assert NotificationLog.objects.filter(key__startswith="withdrawal").count() == 2


def test_no_withdrawal_email_for_a_proposal_that_is_not_withdrawn():
    proposal = make_proposal(make_call())
    assert tasks.send_withdrawal_acknowledgement(proposal.pk) is False
    assert tasks.send_withdrawal_coordinators_notice(proposal.pk) is False
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("wanted", "commitments", "profiles_line", "commitments_line"),
    [
        (
            {"developers_wanted": 2, "designers_wanted": 0, "data_scientists_wanted": 1},
            {"commits_equipment": True, "commits_remote_work": True},
            "Profils recherchés : 2 développeur·ses et 1 data scientist",
            "Engagements de l'administration : matériel adapté et télétravail",
        ),
        (
            {"developers_wanted": 1, "designers_wanted": 3, "data_scientists_wanted": 2},
            {
                "commits_equipment": True,
                "commits_internet_access": True,
                "commits_servers": True,
                "commits_remote_work": True,
                "commits_offsite_work": True,
            },
            "Profils recherchés : 1 développeur·se, 3 designers et 2 data scientists",
            "Engagements de l'administration : matériel adapté, accès internet non filtré, "
            "serveurs, télétravail et travail hors les murs",
        ),
        (
            {"developers_wanted": 0, "designers_wanted": 0, "data_scientists_wanted": 0},
            {},
            "Profils recherchés : —",
            "Engagements de l'administration : —",
        ),
    ],
)
def test_summary_lists_only_the_wanted_profiles_and_commitments_well_punctuated(
    wanted, commitments, profiles_line, commitments_line
):
    proposal = make_proposal(make_call(), **wanted, **commitments)
    assert tasks.send_submission_acknowledgement(proposal.pk) is True
    body = mail.outbox[0].body
    lines = body.splitlines()
    assert profiles_line in lines
    assert commitments_line in lines
    assert " 0 " not in profiles_line
    assert ";" not in "".join(line for line in lines if line.startswith(("Profils", "Engagements")))
    html = mail.outbox[0].alternatives[0][0]
    assert profiles_line.split(" : ")[1] in html
    assert commitments_line.split(" : ")[1] in html
