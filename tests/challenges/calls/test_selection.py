"""Selection services: decisions, the défi created once, decision emails."""

import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection

from challenges.calls.selection import (
    proposal_mark_under_review,
    proposal_not_select,
    proposal_select,
    proposals_bulk,
)
from challenges.models import Challenge, ChallengeProposal, ProposalStatusChange
from challenges.selectors import challenge_list_public
from promotions.models import Mentor
from tests.challenges.call_builders import make_agent, make_call, make_proposal

Status = ChallengeProposal.Status


@pytest.mark.django_db
def test_selecting_creates_the_public_challenge_with_administration_and_mentors(
    coordinator, django_capture_on_commit_callbacks
):
    call = make_call()
    proposal = make_proposal(
        call, status=Status.UNDER_REVIEW, title="Signaux faibles", town="Paris"
    )
    make_agent(proposal.administration, username="collegue")

    with django_capture_on_commit_callbacks(execute=True):
        challenge = proposal_select(proposal=proposal, by=coordinator)

    proposal.refresh_from_db()
    assert proposal.status == Status.SELECTED and proposal.challenge == challenge
    assert challenge.promotion == call.promotion
    assert challenge.administration == proposal.administration
    assert challenge.title == "Signaux faibles" and challenge.slug == "signaux-faibles"
    assert challenge.is_public and challenge.town == "Paris"
    assert "## Contexte et problème" in challenge.description
    assert challenge in challenge_list_public()
    mentors = {m.role: m for m in challenge.mentors.all()}
    assert mentors[Mentor.Role.OPERATIONAL].name == "Camille Martin"
    assert mentors[Mentor.Role.OPERATIONAL].job_title == "Cheffe de bureau"
    assert mentors[Mentor.Role.SPONSOR].name == "Dominique Bernard"
    assert {m.promotion for m in mentors.values()} == {call.promotion}
    change = proposal.status_changes.get(to_status=Status.SELECTED)
    assert change.by == coordinator and change.from_status == Status.UNDER_REVIEW
    assert sorted(mail.outbox[0].to) == sorted(
        [proposal.created_by.email, "collegue@example.gouv.fr"]
    )
    assert "est retenu" in mail.outbox[0].body


@pytest.mark.django_db
def test_selecting_twice_creates_one_challenge_and_one_email(
    coordinator, django_capture_on_commit_callbacks
):
    proposal = make_proposal(make_call())
    with django_capture_on_commit_callbacks(execute=True):
        first = proposal_select(proposal=proposal, by=coordinator)
        second = proposal_select(
            proposal=ChallengeProposal.objects.get(pk=proposal.pk), by=coordinator
        )
    assert first == second
    assert Challenge.objects.count() == 1
    assert ProposalStatusChange.objects.filter(to_status=Status.SELECTED).count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_selections_create_one_challenge(coordinator):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    proposal = make_proposal(make_call())
    barrier = threading.Barrier(2)
    results, errors = [], []

    def click():
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            results.append(
                proposal_select(
                    proposal=ChallengeProposal.objects.get(pk=proposal.pk), by=coordinator
                ).pk
            )
        except Exception as error:  # noqa: BLE001 — reported below
            errors.append(error)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert len(set(results)) == 1 and len(results) == 2
    assert Challenge.objects.count() == 1
    assert ProposalStatusChange.objects.filter(to_status=Status.SELECTED).count() == 1


@pytest.mark.django_db
def test_slug_is_made_unique_when_a_challenge_has_the_same_title(coordinator):
    Challenge.objects.create(title="Datajust", slug="datajust")
    challenge = proposal_select(
        proposal=make_proposal(make_call(), title="Datajust"), by=coordinator
    )
    assert challenge.slug == "datajust-2"


@pytest.mark.django_db
def test_an_existing_mentor_of_the_promotion_is_reused(coordinator):
    call = make_call()
    proposal = make_proposal(call, mentor_email="Camille@Example.gouv.fr")
    known = Mentor.objects.create(
        name="Camille M.",
        email="camille@example.gouv.fr",
        role=Mentor.Role.OPERATIONAL,
        promotion=call.promotion,
    )
    challenge = proposal_select(proposal=proposal, by=coordinator)
    assert known in challenge.mentors.all()
    assert Mentor.objects.filter(role=Mentor.Role.OPERATIONAL).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Status.DRAFT, Status.WITHDRAWN, Status.NOT_SELECTED])
def test_only_submitted_or_reviewed_proposals_can_be_selected(coordinator, status):
    proposal = make_proposal(make_call(), status=status)
    with pytest.raises(ValidationError):
        proposal_select(proposal=proposal, by=coordinator)
    assert not Challenge.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("message", ["", "   "])
def test_not_selected_without_a_message_is_refused(coordinator, message):
    proposal = make_proposal(make_call(), status=Status.UNDER_REVIEW)
    with pytest.raises(ValidationError) as error:
        proposal_not_select(proposal=proposal, by=coordinator, message=message)
    assert "message" in error.value.message_dict
    proposal.refresh_from_db()
    assert proposal.status == Status.UNDER_REVIEW


@pytest.mark.django_db
def test_not_selected_records_the_message_and_emails_it_once(
    coordinator, django_capture_on_commit_callbacks
):
    proposal = make_proposal(make_call(), status=Status.UNDER_REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        proposal_not_select(proposal=proposal, by=coordinator, message="Périmètre trop large.")
        proposal_not_select(proposal=proposal, by=coordinator, message="Périmètre trop large.")
    proposal.refresh_from_db()
    assert proposal.status == Status.NOT_SELECTED and proposal.challenge is None
    change = proposal.status_changes.get(to_status=Status.NOT_SELECTED)
    assert change.message == "Périmètre trop large."
    assert len(mail.outbox) == 1 and "Périmètre trop large." in mail.outbox[0].body


@pytest.mark.django_db
def test_a_selected_proposal_cannot_become_not_selected(coordinator):
    proposal = make_proposal(make_call())
    proposal_select(proposal=proposal, by=coordinator)
    with pytest.raises(ValidationError):
        proposal_not_select(proposal=proposal, by=coordinator, message="Finalement non.")


@pytest.mark.django_db
def test_mark_under_review_is_recorded_once(coordinator):
    proposal = make_proposal(make_call())
    assert proposal_mark_under_review(proposal=proposal, by=coordinator) is True
    assert proposal_mark_under_review(proposal=proposal, by=coordinator) is False
    assert proposal.status_changes.filter(to_status=Status.UNDER_REVIEW).count() == 1


@pytest.mark.django_db
def test_bulk_decisions_report_refusals_without_undoing_the_others(coordinator):
    call = make_call()
    ok = [make_proposal(call), make_proposal(call, status=Status.UNDER_REVIEW)]
    draft = make_proposal(call, status=Status.DRAFT)

    result = proposals_bulk(proposals=[*ok, draft], action="select", by=coordinator)

    assert result.done == ok and list(result.failed) == [draft]
    assert Challenge.objects.count() == 2


@pytest.mark.django_db
def test_bulk_not_selected_needs_the_message_before_changing_anything(coordinator):
    proposals = [make_proposal(make_call()) for _ in range(2)]
    with pytest.raises(ValidationError):
        proposals_bulk(proposals=proposals, action="not_select", by=coordinator, message=" ")
    assert not ProposalStatusChange.objects.filter(to_status=Status.NOT_SELECTED).exists()


@pytest.mark.django_db
def test_selecting_builds_the_challenge_from_the_submitted_version_not_the_later_draft(
    coordinator,
):
    from challenges.calls.services import proposal_save_draft, proposal_snapshot

    call = make_call()
    proposal = make_proposal(call, status=Status.SUBMITTED, title="Cadastre", town="75012 Paris")
    proposal.versions.update(snapshot=proposal_snapshot(proposal=proposal))
    proposal_save_draft(
        proposal=proposal,
        user=proposal.created_by,
        data={"town": "Lyon", "title": "Cadastre lyonnais"},
        expected_version=proposal.version,
    )

    challenge = proposal_select(proposal=proposal, by=coordinator)

    assert challenge.town == "75012 Paris"
    assert challenge.title == "Cadastre"
    proposal.refresh_from_db()
    assert proposal.town == "Lyon"  # the draft stays, flagged, for the agents to resubmit
