"""Demo of the call for candidates (``manage.py setup_demo`` step): an open call for EIG 8.

Creates, idempotently: three défis of EIG 8 open to candidates with their places and
conditions, the call (closing in three weeks, 23:59:59 Paris time), its criteria, candidates at
every stage of the pipeline, interview slots, a demo candidate with a draft to finish and a
demo mentor sitting on a défi's jury (credentials printed; local demos only).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from challenges.models import Challenge
from promotions.models import Administration, Mentor, Promotion

from . import decisions, interviews, jury, services
from .models import (
    Application,
    ApplicationChoice,
    ApplicationCriterion,
    CallForApplications,
    CandidateAccount,
    ChallengeOpening,
    JuryMember,
)

PARIS = ZoneInfo("Europe/Paris")
DEMO_SLUG = "appel-a-candidatures-eig-8"
DEMO_CANDIDATE_EMAIL = "candidat.demo@example.org"
DEMO_CANDIDATE_PASSWORD = "demo-candidat-2027"
DEMO_MENTOR_EMAIL = "mentor.demo@example.gouv.fr"
DEMO_MENTOR_PASSWORD = "demo-mentor-2027"
CONDITIONS = (
    "- **Salaire commun** à tous les EIG, connu dès la candidature ;\n"
    "- 10 mois à partir de septembre, dans les locaux de l'administration ;\n"
    "- télétravail possible deux jours par semaine."
)
CRITERIA = [
    ("Motivation pour le défi", 2),
    ("Compétences au regard du défi", 2),
    ("Sens du service public", 1),
]
#: (slug, title, administration, developers, designers, data scientists)
DEFIS = [
    (
        "eig-8-donnees-eau",
        "Mieux partager les données de l'eau",
        "Office français de la biodiversité",
        1,
        1,
        0,
    ),
    (
        "eig-8-aides-agricoles",
        "Simplifier les aides agricoles",
        "Ministère de l'Agriculture",
        1,
        0,
        1,
    ),
    ("eig-8-justice-delais", "Prévoir les délais de jugement", "Ministère de la Justice", 1, 1, 1),
]
#: (first name, last name, profile, choice indexes in DEFIS, final status)
CANDIDATES = [
    ("Alice", "Martin", "developer", [0, 2], "submitted"),
    ("Bruno", "Petit", "designer", [0], "not_preselected"),
    ("Chloé", "Durand", "data_scientist", [1, 2], "preselected"),
    ("David", "Leroy", "developer", [1, 0], "interview"),
    ("Emma", "Moreau", "designer", [2, 0], "waiting_list"),
    ("Farid", "Simon", "developer", [2], "not_selected"),
    ("Gaëlle", "Laurent", "data_scientist", [2, 1], "withdrawn"),
    ("Hugo", "Lefebvre", "developer", [0, 1, 2], "selected"),
]


def _user(email, password, first_name, last_name):
    from allauth.account.models import EmailAddress

    user, _created = get_user_model().objects.get_or_create(
        username=email, defaults={"email": email, "first_name": first_name, "last_name": last_name}
    )
    if not user.check_password(password):
        user.set_password(password)
        user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def _promotion() -> Promotion:
    promotion = Promotion.objects.filter(code="EIG 8").first()
    if promotion is None:
        rank = (Promotion.objects.aggregate(m=Max("rank"))["m"] or 7) + 1
        promotion = Promotion.objects.create(
            code="EIG 8", slug="eig-8", number=8, rank=rank, year=timezone.now().year + 1
        )
    return promotion


def _call(promotion, now) -> CallForApplications:
    closes_day = (now + timedelta(days=21)).astimezone(PARIS).date()
    closes_at = datetime.combine(closes_day, time(23, 59, 59), tzinfo=PARIS)
    call, created = CallForApplications.objects.get_or_create(
        promotion=promotion,
        defaults={
            "slug": DEMO_SLUG,
            "title": f"Appel à candidatures {promotion.code}",
            "description": (
                "Développeurs, designers, data scientists : rejoignez une administration pendant "
                "dix mois pour relever un **défi d'intérêt général**.\n\n" + CONDITIONS
            ),
            "opens_at": now - timedelta(days=20),
            "closes_at": closes_at,
            "is_published": True,
        },
    )
    if not created and call.closes_at < now:
        call.closes_at, call.is_published = closes_at, True
        call.save(update_fields=["closes_at", "is_published", "updated_at"])
    for order, (label, weight) in enumerate(CRITERIA, start=1):
        ApplicationCriterion.objects.get_or_create(
            call=call, label=label, defaults={"weight": Decimal(weight), "order": order}
        )
    return call


def _openings(call) -> list[Challenge]:
    challenges = []
    for slug, title, admin_name, dev, des, ds in DEFIS:
        administration, _c = Administration.objects.get_or_create(name=admin_name)
        challenge, _c = Challenge.objects.get_or_create(
            slug=slug,
            defaults={
                "title": title,
                "promotion": call.promotion,
                "administration": administration,
            },
        )
        ChallengeOpening.objects.get_or_create(
            challenge=challenge,
            defaults={
                "call": call,
                "developers": dev,
                "designers": des,
                "data_scientists": ds,
                "conditions": CONDITIONS,
            },
        )
        challenges.append(challenge)
    return challenges


def _advance(application, final: str, challenges, coordinator) -> None:
    """Walk the application along the pipeline up to ``final`` with the real services."""
    status = Application.Status
    first = application.choices.order_by("rank").first().challenge
    if final == "not_preselected":
        services.application_change_status(application=application, to_status=final, by=coordinator)
        return
    if final == "withdrawn":
        services.application_withdraw(
            application=application, user=coordinator, message="Autre projet."
        )
        return
    if final == "submitted":
        return
    services.application_change_status(
        application=application, to_status=status.PRESELECTED, by=coordinator
    )
    if final == "preselected":
        return
    interview = interviews.interview_invite(
        application=application, challenge=first, by=coordinator
    )
    if final == "interview":
        start = timezone.now() + timedelta(days=5, hours=application.pk % 8)
        slot = interviews.slot_open(
            challenge=first,
            starts_at=start,
            ends_at=start + timedelta(minutes=45),
            by=coordinator,
            video_url="https://visio.example.org/eig-8",
        )
        interviews.interview_book(interview=interview, slot=slot)
        return
    interviews.interview_mark_held(interview=interview, by=coordinator)
    if final == "selected":
        decisions.decision_select(application=application, challenge=first, by=coordinator)
    elif final == "waiting_list":
        decisions.decision_waiting_list(application=application, by=coordinator)
    elif final == "not_selected":
        decisions.decision_not_select(application=application, by=coordinator)


def _candidates(call, challenges, coordinator) -> None:
    now = timezone.now()
    for first, last, profile, picks, final in CANDIDATES:
        email = f"{first.lower()}.{last.lower()}@example.org".replace("ë", "e").replace("é", "e")
        if Application.objects.filter(call=call, email=email).exists():
            continue
        application = Application.objects.create(
            call=call,
            email=email,
            first_name=first,
            last_name=last,
            profile=profile,
            status=Application.Status.SUBMITTED,
            submitted_at=now - timedelta(days=3),
            available_from=date(now.year + 1, 9, 1),
            heard_from="Réseaux sociaux",
            notice_acknowledged_at=now - timedelta(days=3),
        )
        ApplicationChoice.objects.bulk_create(
            ApplicationChoice(
                application=application,
                challenge=challenges[i],
                rank=rank,
                motivation=f"Je souhaite contribuer à « {challenges[i].title} ».",
            )
            for rank, i in enumerate(picks, start=1)
        )
        services._record_change(application, by=None, from_status="", to_status="submitted")
        _advance(application, final, challenges, coordinator)


def _demo_candidate(call, challenges):
    user = _user(DEMO_CANDIDATE_EMAIL, DEMO_CANDIDATE_PASSWORD, "Camille", "Candidate")
    CandidateAccount.objects.get_or_create(user=user)
    application = services.application_create(call=call, user=user)
    if not application.choices.exists():
        services.application_set_choices(
            application=application, user=user, choices=[(challenges[0].pk, "")]
        )
    return user


def _demo_mentor(challenge, coordinator):
    user = _user(DEMO_MENTOR_EMAIL, DEMO_MENTOR_PASSWORD, "Morgane", "Mentor")
    mentor, _c = Mentor.objects.get_or_create(
        email=DEMO_MENTOR_EMAIL,
        defaults={"name": "Morgane Mentor", "promotion": challenge.promotion},
    )
    challenge.mentors.add(mentor)
    jury.jury_member_add(
        challenge=challenge, user=user, kind=JuryMember.Kind.MENTOR, by=coordinator, mentor=mentor
    )
    return user


@transaction.atomic
def create_demo_recruitment() -> list[str]:
    """Open call for candidates of EIG 8 with candidates at every stage, a demo candidate and
    a demo mentor on a jury; returns the lines to print."""
    call = _call(_promotion(), timezone.now())
    challenges = _openings(call)
    coordinator = get_user_model().objects.filter(is_staff=True).order_by("pk").first()
    _candidates(call, challenges, coordinator)
    _demo_candidate(call, challenges)
    _demo_mentor(challenges[0], coordinator)
    site = settings.SITE_URL.rstrip("/")
    return [
        f"Call for candidates: {call.title} — {site}{call.get_absolute_url()}",
        f"Demo candidate (draft to finish): {DEMO_CANDIDATE_EMAIL} / {DEMO_CANDIDATE_PASSWORD}"
        f" — {site}/comptes/login/",
        f"Demo mentor on the jury of « {challenges[0].title} »: {DEMO_MENTOR_EMAIL} / "
        f"{DEMO_MENTOR_PASSWORD} — {site}/recrutement/jury/",
        f"Proposed teams (coordinator): {site}/recrutement/coordination/{call.slug}/equipes/",
    ]
