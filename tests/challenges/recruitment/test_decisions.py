"""Proposed teams and decisions: the matching on the database, adjustments, confirmation that
creates each EIG once, the waiting list when someone declines."""

import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection

from challenges.models import Application, Placement
from challenges.recruitment import decisions, placements
from promotions.models import Fellow

from .builders import make_application, make_opening, make_recruitment_call

pytestmark = pytest.mark.django_db
Status = Application.Status


def _interviewed(call, challenges, profile="developer", **kw):
    return make_application(
        call, challenges=challenges, status=Status.INTERVIEW, profile=profile, **kw
    )


def test_the_matching_follows_jury_scores_and_places_per_profile():
    call = make_recruitment_call()
    one = make_opening(call, developers=1, designers=0, data_scientists=0)
    two = make_opening(call, developers=1, designers=1, data_scientists=0)
    ada = _interviewed(call, [one.challenge, two.challenge])
    bob = _interviewed(call, [one.challenge, two.challenge])
    eve = _interviewed(call, [one.challenge], profile="designer")
    scores = {(ada.pk, one.challenge_id): 3.0, (bob.pk, one.challenge_id): 4.5}
    result = placements.matching_propose(call=call, scores=scores)
    placed = {p.application_id: (p.challenge_id, p.preference_rank) for p in result}
    assert placed == {bob.pk: (one.challenge_id, 1), ada.pk: (two.challenge_id, 2)}
    assert eve.pk not in placed  # no designer place on the first défi


def test_a_new_proposal_keeps_confirmed_placements(coordinator):
    call = make_recruitment_call()
    opening = make_opening(call, developers=2, designers=0)
    ada = _interviewed(call, [opening.challenge])
    placements.matching_propose(call=call, scores={})
    placements.team_confirm(challenge=opening.challenge, by=coordinator)
    bob = _interviewed(call, [opening.challenge])
    result = placements.matching_propose(call=call, scores={})
    assert [p.application_id for p in result] == [bob.pk]
    assert Placement.objects.filter(application=ada, is_confirmed=True).exists()


def test_an_adjustment_cannot_exceed_the_places(coordinator):
    call = make_recruitment_call()
    opening = make_opening(call, developers=1, designers=0)
    ada = _interviewed(call, [opening.challenge])
    bob = _interviewed(call, [opening.challenge])
    placements.placement_set(application=ada, challenge=opening.challenge, by=coordinator)
    with pytest.raises(ValidationError) as error:
        placements.placement_set(application=bob, challenge=opening.challenge, by=coordinator)
    assert error.value.code == "full"
    placements.placement_remove(application=ada, by=coordinator)
    placements.placement_set(application=bob, challenge=opening.challenge, by=coordinator)
    assert Placement.objects.get().application == bob


def test_a_defi_the_candidate_did_not_choose_cannot_be_given(coordinator):
    call = make_recruitment_call()
    chosen, other = make_opening(call), make_opening(call)
    ada = _interviewed(call, [chosen.challenge])
    with pytest.raises(ValidationError):
        placements.placement_set(application=ada, challenge=other.challenge, by=coordinator)


def test_confirming_creates_the_fellow_once_with_the_decision_email(
    coordinator, django_capture_on_commit_callbacks
):
    call = make_recruitment_call()
    opening = make_opening(call)
    ada = _interviewed(call, [opening.challenge], first_name="Ada", last_name="Lovelace")
    placements.placement_set(application=ada, challenge=opening.challenge, by=coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        placements.team_confirm(challenge=opening.challenge, by=coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        placements.team_confirm(challenge=opening.challenge, by=coordinator)
    fellow = Fellow.objects.get()
    assert (fellow.name, fellow.promotion, fellow.profile) == (
        "Ada Lovelace",
        call.promotion,
        "developer",
    )
    assert list(opening.challenge.fellows.all()) == [fellow]
    ada.refresh_from_db()
    assert (ada.status, ada.fellow, ada.selected_challenge) == (
        Status.SELECTED,
        fellow,
        opening.challenge,
    )
    assert [m.to for m in mail.outbox] == [[ada.email]]


def test_a_decision_beyond_the_places_is_refused(coordinator):
    call = make_recruitment_call()
    opening = make_opening(call, developers=1, designers=0)
    ada = _interviewed(call, [opening.challenge])
    bob = _interviewed(call, [opening.challenge])
    decisions.decision_select(application=ada, challenge=opening.challenge, by=coordinator)
    with pytest.raises(ValidationError) as error:
        decisions.decision_select(application=bob, challenge=opening.challenge, by=coordinator)
    assert error.value.code == "full"
    assert Fellow.objects.count() == 1


def test_when_a_selected_candidate_declines_the_waiting_list_is_offered(coordinator):
    call = make_recruitment_call()
    opening = make_opening(call, developers=1, designers=0)
    ada = _interviewed(call, [opening.challenge])
    bob = make_application(call, challenges=[opening.challenge], status=Status.WAITING_LIST)
    decisions.decision_select(application=ada, challenge=opening.challenge, by=coordinator)
    offered = decisions.decision_decline(application=ada, by=coordinator, message="Autre poste")
    assert offered == bob
    assert not Fellow.objects.exists()
    decisions.decision_select(application=bob, challenge=opening.challenge, by=coordinator)
    assert Fellow.objects.get().application == bob


def test_waiting_list_and_not_selected_decisions_send_one_email_each(
    coordinator, django_capture_on_commit_callbacks
):
    call = make_recruitment_call()
    opening = make_opening(call)
    ada = _interviewed(call, [opening.challenge])
    bob = _interviewed(call, [opening.challenge])
    with django_capture_on_commit_callbacks(execute=True):
        decisions.decision_waiting_list(application=ada, by=coordinator)
        decisions.decision_not_select(application=bob, by=coordinator)
    from challenges.recruitment.tasks import send_decision

    assert send_decision(ada.pk) is False  # a retried task sends nothing more
    assert sorted(m.to[0] for m in mail.outbox) == sorted([ada.email, bob.email])


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_confirmations_create_one_fellow(coordinator):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    call = make_recruitment_call()
    opening = make_opening(call)
    ada = _interviewed(call, [opening.challenge])
    barrier = threading.Barrier(3)
    results, errors = [], []

    def click():
        from django.db import connections

        try:
            barrier.wait(timeout=10)
            results.append(
                decisions.decision_select(
                    application=Application.objects.get(pk=ada.pk),
                    challenge=opening.challenge,
                    by=coordinator,
                ).pk
            )
        except Exception as exc:  # noqa: BLE001 — asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors, errors
    assert len(results) == 3 and len(set(results)) == 1
    assert Fellow.objects.count() == 1
    assert ada.status_changes.filter(to_status=Status.SELECTED).count() == 1
