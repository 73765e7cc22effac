"""Builders for the call for candidates' tests: calls, openings, candidates, applications.

Plain functions so each test states the rows it needs in a line or two.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from challenges.models import (
    Application,
    ApplicationChoice,
    ApplicationCriterion,
    CallForApplications,
    CandidateAccount,
    ChallengeOpening,
)
from tests.factories import ChallengeFactory, PromotionFactory, UserFactory

Status = Application.Status
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_file(name="cv.pdf", content=PDF):
    """An uploaded PDF (by content) named ``name``."""
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def make_recruitment_call(*, promotion=None, weights=(2, 1), closes_in=timedelta(days=10), **kw):
    """A published call for candidates open now, with one criterion per weight."""
    now = timezone.now()
    promotion = promotion or PromotionFactory()
    call = CallForApplications.objects.create(
        promotion=promotion,
        title=kw.pop("title", f"Appel à candidatures {promotion.code}"),
        slug=kw.pop("slug", f"candidatures-{promotion.slug}"),
        opens_at=kw.pop("opens_at", now - timedelta(days=30)),
        closes_at=now + closes_in,
        is_published=kw.pop("is_published", True),
        **kw,
    )
    for i, weight in enumerate(weights, start=1):
        ApplicationCriterion.objects.create(
            call=call, label=f"Critère {i}", weight=Decimal(weight), order=i
        )
    return call


def make_opening(call, *, developers=1, designers=1, data_scientists=0, **kw):
    """A défi of the call's promotion, open to candidates with the given places."""
    challenge = kw.pop("challenge", None) or ChallengeFactory(promotion=call.promotion)
    return ChallengeOpening.objects.create(
        call=call,
        challenge=challenge,
        developers=developers,
        designers=designers,
        data_scientists=data_scientists,
        conditions=kw.pop("conditions", "Salaire commun, 10 mois à Paris."),
        **kw,
    )


def make_candidate(**kwargs):
    """A user with a candidate account."""
    user = UserFactory(**kwargs)
    CandidateAccount.objects.create(user=user)
    return user


def make_application(call, *, challenges=(), status=Status.SUBMITTED, profile="developer", **kw):
    """An application to ``call`` choosing ``challenges`` in that order, in ``status``."""
    candidate = kw.pop("candidate", None)
    n = Application.objects.count() + 1
    submitted = status != Status.DRAFT
    application = Application.objects.create(
        call=call,
        candidate=candidate,
        status=status,
        email=kw.pop("email", candidate.email if candidate else f"candidat{n}@example.org"),
        first_name=kw.pop("first_name", "Camille"),
        last_name=kw.pop("last_name", f"Candidat {n}"),
        profile=profile,
        available_from=kw.pop("available_from", date(2027, 9, 1)),
        submitted_at=kw.pop("submitted_at", timezone.now() if submitted else None),
        **kw,
    )
    for rank, challenge in enumerate(challenges, start=1):
        ApplicationChoice.objects.create(
            application=application, challenge=challenge, rank=rank, motivation="Motivé·e."
        )
    return application


def complete_draft(call, candidate, challenges):
    """A complete draft of ``candidate`` (CV attached, notice read) ready to submit."""
    from challenges.recruitment import services

    application = services.application_create(call=call, user=candidate)
    services.application_save_draft(
        application=application,
        user=candidate,
        data={
            "first_name": "Ada",
            "last_name": "Lovelace",
            "email": candidate.email,
            "profile": "developer",
            "available_from": date(2027, 9, 1),
            "heard_from": "Bouche à oreille",
        },
    )
    services.application_set_choices(
        application=application,
        user=candidate,
        choices=[(c.pk, "Je veux ce défi.") for c in challenges],
    )
    services.application_attach_cv(
        application=application, user=candidate, uploaded_file=pdf_file()
    )
    services.application_acknowledge_notice(application=application, user=candidate)
    application.refresh_from_db()
    return application
