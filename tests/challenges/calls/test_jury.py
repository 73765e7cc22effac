"""Jury services and the ranking selector."""

import math

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from challenges.calls.jury import (
    JURY_GROUP,
    jury_assign,
    jury_declare_conflict,
    jury_unassign,
    review_save,
)
from challenges.calls.selectors import (
    SPREAD_FLAG_THRESHOLD,
    jury_assignments_of,
    proposal_comparison,
    proposal_ranking,
    proposals_submitted_by_promotion,
    reviews_visible_to,
)
from challenges.models import ChallengeProposal, JuryAssignment, Review, ReviewScore
from tests.challenges.call_builders import make_agent, make_call, make_proposal, make_review
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
Status = ChallengeProposal.Status


def scores_of(call, *values):
    return {c.pk: v for c, v in zip(call.criteria.all(), values, strict=True)}


# --- assignment -----------------------------------------------------------------------------


def test_assign_in_bulk_creates_each_pair_once(coordinator):
    call = make_call()
    proposals = [make_proposal(call), make_proposal(call, status=Status.UNDER_REVIEW)]
    jurors = [UserFactory(), UserFactory()]

    assert jury_assign(proposals=proposals, jurors=jurors, by=coordinator) == 4
    assert jury_assign(proposals=proposals, jurors=jurors, by=coordinator) == 0
    assert JuryAssignment.objects.count() == 4
    assert all(j.groups.filter(name=JURY_GROUP).exists() for j in jurors)
    assert JuryAssignment.objects.filter(assigned_by=coordinator).count() == 4


def test_assign_refuses_drafts_and_decided_proposals(coordinator):
    call = make_call()
    draft = make_proposal(call, status=Status.DRAFT)
    with pytest.raises(ValidationError):
        jury_assign(proposals=[draft], jurors=[UserFactory()], by=coordinator)
    assert not JuryAssignment.objects.exists()


def test_assign_skips_a_juror_of_the_proposals_own_administration(coordinator):
    call = make_call()
    proposal = make_proposal(call)
    colleague = make_agent(proposal.administration)
    outsider = UserFactory()

    assert jury_assign(proposals=[proposal], jurors=[colleague, outsider], by=coordinator) == 1
    assert list(proposal.jury_assignments.values_list("juror", flat=True)) == [outsider.pk]


def test_unassign_refused_once_the_review_is_submitted(coordinator):
    call = make_call()
    proposal = make_proposal(call)
    juror = UserFactory()
    review = make_review(proposal, juror, [4, 4])
    with pytest.raises(ValidationError):
        jury_unassign(assignment=review.assignment)
    other = JuryAssignment.objects.create(proposal=proposal, juror=UserFactory())
    jury_unassign(assignment=other)
    assert not JuryAssignment.objects.filter(pk=other.pk).exists()


# --- conflict of interest -------------------------------------------------------------------


def test_conflict_excludes_the_juror_and_discards_their_review():
    call = make_call()
    proposal = make_proposal(call)
    juror = UserFactory()
    review = make_review(proposal, juror, [5, 5])
    assignment = review.assignment

    jury_declare_conflict(assignment=assignment, by=juror)

    assignment.refresh_from_db()
    assert assignment.conflict_of_interest and assignment.conflict_declared_at
    assert not Review.objects.filter(pk=review.pk).exists()
    assert list(jury_assignments_of(juror=juror)) == []
    ranked = proposal_ranking(call=call).get(pk=proposal.pk)
    assert ranked.review_count == 0 and ranked.juror_count == 0
    with pytest.raises(ValidationError):
        review_save(assignment=assignment, by=juror, scores=scores_of(call, 3, 3), submit=True)


def test_only_the_juror_declares_their_conflict():
    call = make_call()
    assignment = JuryAssignment.objects.create(proposal=make_proposal(call), juror=UserFactory())
    with pytest.raises(PermissionDenied):
        jury_declare_conflict(assignment=assignment, by=UserFactory())
    assignment.refresh_from_db()
    assert not assignment.conflict_of_interest


# --- reviews --------------------------------------------------------------------------------


def test_a_draft_review_may_be_partial_and_submission_needs_every_criterion():
    call = make_call()
    juror = UserFactory()
    assignment = JuryAssignment.objects.create(proposal=make_proposal(call), juror=juror)
    first, second = call.criteria.all()

    review = review_save(
        assignment=assignment,
        by=juror,
        scores={first.pk: 4, second.pk: None},
        score_comments={first.pk: " Solide. "},
        comment="À revoir",
    )
    assert review.submitted_at is None
    assert list(review.scores.values_list("score", "comment")) == [(4, "Solide.")]

    with pytest.raises(ValidationError) as error:
        review_save(assignment=assignment, by=juror, scores={first.pk: 4}, submit=True)
    assert list(error.value.message_dict) == [f"score_{second.pk}"]
    assert Review.objects.get(pk=review.pk).submitted_at is None

    review = review_save(
        assignment=assignment, by=juror, scores={first.pk: 4, second.pk: 2}, submit=True
    )
    assert review.submitted_at is not None
    assert ReviewScore.objects.filter(review=review).count() == 2


def test_a_draft_comment_on_an_unscored_criterion_is_refused_not_dropped():
    call = make_call()
    juror = UserFactory()
    assignment = JuryAssignment.objects.create(proposal=make_proposal(call), juror=juror)
    first, second = call.criteria.all()

    with pytest.raises(ValidationError) as error:
        review_save(
            assignment=assignment,
            by=juror,
            scores={first.pk: 4, second.pk: None},
            score_comments={second.pk: "Données à préciser."},
        )
    assert list(error.value.message_dict) == [f"score_{second.pk}"]
    assert not ReviewScore.objects.filter(review__assignment=assignment).exists()


@pytest.mark.parametrize("bad", [0, 6, -1])
def test_a_score_outside_one_to_five_is_refused(bad):
    call = make_call()
    juror = UserFactory()
    assignment = JuryAssignment.objects.create(proposal=make_proposal(call), juror=juror)
    with pytest.raises(ValidationError):
        review_save(assignment=assignment, by=juror, scores=scores_of(call, bad, 3))
    assert not ReviewScore.objects.exists()


def test_a_submitted_review_is_frozen():
    call = make_call()
    juror = UserFactory()
    assignment = JuryAssignment.objects.create(proposal=make_proposal(call), juror=juror)
    review_save(assignment=assignment, by=juror, scores=scores_of(call, 3, 3), submit=True)
    with pytest.raises(ValidationError):
        review_save(assignment=assignment, by=juror, scores=scores_of(call, 5, 5), submit=True)
    assert set(ReviewScore.objects.values_list("score", flat=True)) == {3}


def test_only_the_assigned_juror_writes_the_review():
    call = make_call()
    assignment = JuryAssignment.objects.create(proposal=make_proposal(call), juror=UserFactory())
    with pytest.raises(PermissionDenied):
        review_save(assignment=assignment, by=UserFactory(), scores=scores_of(call, 3, 3))


def test_a_criterion_of_another_call_is_refused():
    call, other = make_call(), make_call()
    juror = UserFactory()
    assignment = JuryAssignment.objects.create(proposal=make_proposal(call), juror=juror)
    foreign = other.criteria.first()
    with pytest.raises(ValidationError):
        review_save(assignment=assignment, by=juror, scores={foreign.pk: 3})


def test_a_decided_proposal_can_no_longer_be_scored():
    call = make_call()
    juror = UserFactory()
    proposal = make_proposal(call, status=Status.NOT_SELECTED)
    assignment = JuryAssignment.objects.create(proposal=proposal, juror=juror)
    with pytest.raises(ValidationError):
        review_save(assignment=assignment, by=juror, scores=scores_of(call, 3, 3))


def test_a_juror_sees_other_scores_only_after_submitting_their_own():
    call = make_call()
    proposal = make_proposal(call)
    make_review(proposal, UserFactory(), [5, 1])
    make_review(proposal, UserFactory(), [2, 2], submitted=False)  # someone's draft: never shown
    juror = UserFactory()
    assignment = JuryAssignment.objects.create(proposal=proposal, juror=juror)

    assert reviews_visible_to(assignment=assignment) is None
    review_save(assignment=assignment, by=juror, scores=scores_of(call, 3, 3))
    assignment = JuryAssignment.objects.select_related("review").get(pk=assignment.pk)
    assert reviews_visible_to(assignment=assignment) is None  # a draft is not enough

    review_save(assignment=assignment, by=juror, scores=scores_of(call, 3, 3), submit=True)
    assignment = JuryAssignment.objects.select_related("review").get(pk=assignment.pk)
    visible = reviews_visible_to(assignment=assignment)
    assert [sorted(s.score for s in r.scores.all()) for r in visible] == [[1, 5]]


def test_a_juror_lists_only_their_own_assignments():
    call = make_call()
    juror, other = UserFactory(), UserFactory()
    mine = JuryAssignment.objects.create(proposal=make_proposal(call), juror=juror)
    JuryAssignment.objects.create(proposal=make_proposal(call), juror=other)
    assert list(jury_assignments_of(juror=juror)) == [mine]


# --- ranking --------------------------------------------------------------------------------


def test_ranking_maths_on_a_hand_built_case(django_assert_num_queries):
    """Weights 2 and 1. A: reviews 4.0, 3.0, 3.0; B: 5.0, 2.0; C: none; D: a draft."""
    call = make_call(weights=(2, 1))
    a = make_proposal(call, title="A")
    b = make_proposal(call, title="B", status=Status.UNDER_REVIEW)
    make_proposal(call, title="C")
    make_proposal(call, title="D", status=Status.DRAFT)
    make_proposal(call, title="W", status=Status.WITHDRAWN)
    make_review(a, UserFactory(), [5, 2])  # (10 + 2) / 3 = 4
    make_review(a, UserFactory(), [3, 3])  # 3
    make_review(a, UserFactory(), [2, 5])  # (4 + 5) / 3 = 3
    make_review(a, UserFactory(), [1, 1], submitted=False)  # a draft: not counted
    conflicted = make_review(a, UserFactory(), [1, 1])
    JuryAssignment.objects.filter(pk=conflicted.assignment_id).update(
        conflict_of_interest=True, conflict_declared_at=conflicted.submitted_at
    )
    make_review(b, UserFactory(), [5, 5])  # 5
    make_review(b, UserFactory(), [2, 2])  # 2

    with django_assert_num_queries(1):
        ranked = list(proposal_ranking(call=call))

    assert [p.title for p in ranked] == ["B", "A", "C"]
    rb, ra, rc = ranked
    assert ra.weighted_score == pytest.approx(10 / 3)
    assert ra.review_count == 3 and ra.juror_count == 4
    assert (ra.score_min, ra.score_max, ra.score_spread) == pytest.approx((3, 4, 1))
    assert ra.score_stddev == pytest.approx(math.sqrt(2 / 9))  # population std dev
    assert ra.spread_flag is False
    assert rb.weighted_score == pytest.approx(3.5)
    assert rb.score_spread == pytest.approx(3) and rb.score_stddev == pytest.approx(1.5)
    assert rb.spread_flag is True and SPREAD_FLAG_THRESHOLD == 1.5
    assert rc.weighted_score is None and rc.review_count == 0 and rc.spread_flag is False


def test_ranking_query_count_does_not_grow_with_proposals(django_assert_num_queries):
    call = make_call()
    for _ in range(6):
        proposal = make_proposal(call)
        make_review(proposal, UserFactory(), [3, 4])
    with django_assert_num_queries(1):
        assert len([p.administration.name for p in proposal_ranking(call=call)]) == 6


def test_comparison_gives_per_criterion_means_side_by_side(django_assert_max_num_queries):
    call = make_call(weights=(2, 1))
    a, b = make_proposal(call, title="A"), make_proposal(call, title="B")
    make_review(a, UserFactory(), [5, 2])
    make_review(a, UserFactory(), [4, 4])
    make_review(b, UserFactory(), [1, 3])
    with django_assert_max_num_queries(3):
        comparison = proposal_comparison(call=call, proposal_ids=[b.pk, a.pk])
    assert [p.title for p in comparison["proposals"]] == ["B", "A"]
    assert [row["means"] for row in comparison["rows"]] == [[1.0, 4.5], [3.0, 3.0]]


def test_proposals_received_per_promotion_for_the_dashboard(django_assert_num_queries):
    call = make_call()
    make_proposal(call)
    make_proposal(call, status=Status.CORRECTION_REQUESTED)
    make_proposal(call, status=Status.SELECTED)
    make_proposal(call, status=Status.DRAFT)
    make_proposal(call, status=Status.WITHDRAWN)
    empty = make_call(promotion=None)
    make_call(is_published=False, promotion=None)  # a call that did not run: absent
    with django_assert_num_queries(1):
        figures = proposals_submitted_by_promotion()
    assert figures == {call.promotion_id: 3, empty.promotion_id: 0}


# --- jury pages -----------------------------------------------------------------------------


@pytest.fixture
def juror_client(client):
    juror = UserFactory(username="jure")
    client.force_login(juror)
    client.juror = juror
    return client


def test_jury_pages_need_a_login(client):
    assert client.get(reverse("jury:list")).status_code == 302
    assert client.get(reverse("jury:review", args=[1])).status_code == 302


def test_a_juror_lists_and_opens_only_their_assignments(juror_client):
    call = make_call()
    mine = JuryAssignment.objects.create(
        proposal=make_proposal(call, title="La mienne"), juror=juror_client.juror
    )
    theirs = JuryAssignment.objects.create(
        proposal=make_proposal(call, title="Pas la mienne"), juror=UserFactory()
    )
    html = juror_client.get(reverse("jury:list")).content.decode()
    assert "La mienne" in html and "Pas la mienne" not in html
    assert juror_client.get(reverse("jury:review", args=[mine.pk])).status_code == 200
    assert juror_client.get(reverse("jury:review", args=[theirs.pk])).status_code == 404
    assert juror_client.post(reverse("jury:review", args=[theirs.pk])).status_code == 404
    assert juror_client.get(reverse("jury:conflict", args=[theirs.pk])).status_code == 404
    assert juror_client.delete(reverse("jury:review", args=[mine.pk])).status_code == 405


def test_review_page_hides_other_scores_until_submitted_and_keeps_input_on_error(juror_client):
    call = make_call()
    proposal = make_proposal(call)
    other = make_review(proposal, UserFactory(), [5, 1])
    other.comment = "Avis secret du voisin"
    other.save()
    assignment = JuryAssignment.objects.create(proposal=proposal, juror=juror_client.juror)
    first, second = call.criteria.all()
    url = reverse("jury:review", args=[assignment.pk])

    assert "Avis secret du voisin" not in juror_client.get(url).content.decode()

    response = juror_client.post(
        url,
        {f"score_{first.pk}": "4", "comment": "Mon avis à garder", "submit": "1"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Mon avis à garder" in html and "Notez « Critère 2 » de 1 à 5." in html
    assert "Avis secret du voisin" not in html
    assert not Review.objects.filter(assignment=assignment, submitted_at__isnull=False).exists()

    response = juror_client.post(
        url,
        {f"score_{first.pk}": "4", f"score_{second.pk}": "2", "comment": "Ok", "submit": "1"},
    )
    # Submitting asks for confirmation first (the draft is saved, not yet submitted).
    confirm_url = reverse("jury:review_confirm", args=[assignment.pk])
    assert response.status_code == 302 and response.url == confirm_url
    assert not Review.objects.filter(assignment=assignment, submitted_at__isnull=False).exists()
    assert "Confirmer la soumission" in juror_client.get(confirm_url).content.decode()
    assert juror_client.post(confirm_url).status_code == 302
    html = juror_client.get(url).content.decode()
    assert "Avis secret du voisin" in html and "Évaluation soumise" in html
    assert juror_client.post(url, {f"score_{first.pk}": "1"}).status_code == 302
    assert ReviewScore.objects.get(review__assignment=assignment, criterion=first).score == 4


def test_a_draft_can_be_saved_partially_and_comes_back(juror_client):
    call = make_call()
    assignment = JuryAssignment.objects.create(
        proposal=make_proposal(call), juror=juror_client.juror
    )
    first = call.criteria.first()
    url = reverse("jury:review", args=[assignment.pk])
    response = juror_client.post(url, {f"score_{first.pk}": "3", "save": "1"})
    assert response.status_code == 302
    html = juror_client.get(url).content.decode()
    assert f'name="score_{first.pk}" value="3" checked' in html


def test_a_score_out_of_range_posted_by_hand_is_a_form_error(juror_client):
    call = make_call()
    assignment = JuryAssignment.objects.create(
        proposal=make_proposal(call), juror=juror_client.juror
    )
    first = call.criteria.first()
    url = reverse("jury:review", args=[assignment.pk])
    response = juror_client.post(url, {f"score_{first.pk}": "9", "save": "1"})
    assert response.status_code == 200 and "fr-fieldset--error" in response.content.decode()
    assert not ReviewScore.objects.exists()


def test_declaring_a_conflict_needs_confirmation_then_removes_the_proposal(juror_client):
    call = make_call()
    assignment = JuryAssignment.objects.create(
        proposal=make_proposal(call, title="Conflit"), juror=juror_client.juror
    )
    url = reverse("jury:conflict", args=[assignment.pk])
    assert juror_client.post(url, {}).status_code == 200
    assignment.refresh_from_db()
    assert not assignment.conflict_of_interest

    assert juror_client.post(url, {"confirm": "on"}).status_code == 302
    assignment.refresh_from_db()
    assert assignment.conflict_of_interest
    listing = juror_client.get(reverse("jury:list")).content.decode()
    assert reverse("jury:review", args=[assignment.pk]) not in listing
    assert juror_client.get(reverse("jury:review", args=[assignment.pk])).status_code == 404


def test_the_jury_reads_the_last_submitted_version_not_unsubmitted_edits(juror_client):
    call = make_call()
    proposal = make_proposal(call, context="Texte modifié, pas encore déposé")
    proposal.versions.update(snapshot={"context": "Texte déposé au jury"})
    ChallengeProposal.objects.filter(pk=proposal.pk).update(has_unsubmitted_changes=True)
    assignment = JuryAssignment.objects.create(proposal=proposal, juror=juror_client.juror)
    html = juror_client.get(reverse("jury:review", args=[assignment.pk])).content.decode()
    assert "Texte déposé au jury" in html and "pas encore déposé" not in html
    assert "Version déposée n° 1" in html


def test_the_review_page_shows_the_proposal_before_the_scoring_form(juror_client):
    call = make_call()
    assignment = JuryAssignment.objects.create(
        proposal=make_proposal(call), juror=juror_client.juror
    )
    html = juror_client.get(reverse("jury:review", args=[assignment.pk])).content.decode()
    assert html.index("La candidature") < html.index("Votre évaluation")


def test_the_confirmation_page_is_the_jurors_own(juror_client):
    assignment = JuryAssignment.objects.create(
        proposal=make_proposal(make_call()), juror=UserFactory()
    )
    url = reverse("jury:review_confirm", args=[assignment.pk])
    assert juror_client.get(url).status_code == 404
    assert juror_client.post(url).status_code == 404
