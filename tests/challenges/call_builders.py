"""Builders for the jury, selection and email tests: calls, proposals, reviews.

Plain functions (not factories) so each test states the rows it needs in a line or two.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from challenges.calls.review_scores import reviews_rescore
from challenges.models import (
    AgentProfile,
    CallForProjects,
    ChallengeProposal,
    Criterion,
    JuryAssignment,
    ProposalVersion,
    Review,
    ReviewScore,
)
from tests.factories import AdministrationFactory, PromotionFactory, UserFactory

Status = ChallengeProposal.Status


def make_call(*, weights=(2, 1), closes_in=timedelta(days=10), promotion=None, **kwargs):
    """A published call open now, with one criterion per weight (« Critère 1 » …)."""
    now = timezone.now()
    promotion = promotion or PromotionFactory()
    n = CallForProjects.objects.count() + 1
    call = CallForProjects.objects.create(
        promotion=promotion,
        title=kwargs.pop("title", f"Appel à projets {n}"),
        slug=kwargs.pop("slug", f"appel-{n}"),
        opens_at=kwargs.pop("opens_at", now - timedelta(days=30)),
        closes_at=now + closes_in,
        is_published=kwargs.pop("is_published", True),
        **kwargs,
    )
    for i, weight in enumerate(weights, start=1):
        Criterion.objects.create(call=call, label=f"Critère {i}", weight=Decimal(weight), order=i)
    return call


def make_agent(administration=None, *, confirmed=True, **user_kwargs):
    """A user with an agent profile in ``administration`` (a new one by default)."""
    user = UserFactory(**user_kwargs)
    AgentProfile.objects.create(
        user=user,
        administration=administration or AdministrationFactory(),
        is_confirmed=confirmed,
    )
    return user


def make_proposal(call, *, status=Status.SUBMITTED, author=None, title=None, **fields):
    """A proposal of ``author``'s administration (new agent by default) in ``status``.

    Rows are written directly (not through the agent services) so that any status can be set
    up; a submitted-like status gets ``submitted_at`` and a first ``ProposalVersion``.
    """
    author = author or make_agent()
    n = ChallengeProposal.objects.count() + 1
    defaults = {
        "title": title or f"Défi proposé {n}",
        "summary": "Mieux servir les usagers grâce aux données.",
        "context": "Un contexte.",
        "objectives": "Des objectifs.",
        "beneficiaries": "Des usagers.",
        "mentor_name": "Camille Martin",
        "mentor_position": "Cheffe de bureau",
        "mentor_email": f"camille.martin{n}@example.gouv.fr",
        "sponsor_name": "Dominique Bernard",
        "sponsor_position": "Directeur",
        "sponsor_email": f"dominique.bernard{n}@example.gouv.fr",
    }
    defaults.update(fields)
    submitted = status != Status.DRAFT
    proposal = ChallengeProposal.objects.create(
        call=call,
        administration=author.agent_profile.administration,
        created_by=author,
        status=status,
        submitted_at=timezone.now() if submitted else None,
        **defaults,
    )
    if submitted:
        ProposalVersion.objects.create(
            proposal=proposal, number=1, submitted_at=proposal.submitted_at, submitted_by=author
        )
    return proposal


def make_review(proposal, juror, scores, *, submitted=True):
    """A review of ``proposal`` by ``juror`` with ``scores`` (one per criterion, in order)."""
    assignment, _ = JuryAssignment.objects.get_or_create(proposal=proposal, juror=juror)
    review = Review.objects.create(
        assignment=assignment, submitted_at=timezone.now() if submitted else None
    )
    criteria = list(proposal.call.criteria.all())
    ReviewScore.objects.bulk_create(
        ReviewScore(review=review, criterion=c, score=s)
        for c, s in zip(criteria, scores, strict=True)
    )
    reviews_rescore(reviews=Review.objects.filter(pk=review.pk))  # as the jury's save does
    review.refresh_from_db(fields=["weighted_score"])
    return review
