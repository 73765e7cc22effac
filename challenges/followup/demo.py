"""Demo data of the ten months and after, run by ``manage.py setup_demo`` (idempotent).

On the most recent promotion that has mentors: a progress cadence, four events (one held with
its roll call, one full with a waiting list), follow-up links and a few weeks of updates (one
défi blocked, one late), two expertise requests, an outcome request; on the two oldest
promotions, dated outcomes and alumni entries. People without an address get a demo one
(``@example.org``). Returns the lines to print: the personal links to try each page.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from eig_portal.common.tokens import token_for_seed
from promotions.alumni.models import AlumniProfile, AlumniSituation
from promotions.alumni.services import alumni_profile_new_link
from promotions.events.models import Event
from promotions.events.services import (
    calendar_feed_get_or_create,
    event_attendance_record,
    event_invitation_answer,
    event_invitations_create,
)
from promotions.models import Fellow, Mentor, Promotion

from . import services
from .models import ExpertiseRequest, ProgressUpdate

Kind = Event.Kind


def _link(name: str, obj) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=[token_for_seed(obj.token_seed)])


def _demo_addresses(promotion: Promotion) -> None:
    for model, prefix in ((Fellow, "eig"), (Mentor, "mentor")):
        for person in model.objects.filter(promotion=promotion, email="")[:40]:
            person.email = f"demo-{prefix}-{person.pk}@example.org"
            person.save(update_fields=["email"])


def _event(promotion, title, kind, start, hours, **extra) -> Event:
    event, _created = Event.objects.get_or_create(
        promotion=promotion,
        title=title,
        defaults={
            "kind": kind,
            "starts_at": start,
            "ends_at": start + dt.timedelta(hours=hours),
            **extra,
        },
    )
    event_invitations_create(event=event)
    return event


def _demo_events(promotion: Promotion, now: dt.datetime) -> tuple[Event, Event]:
    held = Event.objects.filter(promotion=promotion, title="Semaine de lancement").first()
    if held is None:
        held = _event(
            promotion,
            "Semaine de lancement",
            Kind.LAUNCH_WEEK,
            now + dt.timedelta(days=1),
            8,
            place="Ségur, Paris",
            audience=Event.Audience.BOTH,
        )
        for invitation in held.invitations.order_by("pk")[:12]:
            event_invitation_answer(invitation=invitation, answer="yes")
        # The launch week took place three weeks ago: the roll call has been done.
        Event.objects.filter(pk=held.pk).update(
            starts_at=now - dt.timedelta(days=21), ends_at=now - dt.timedelta(days=21, hours=-8)
        )
        held.refresh_from_db()
        present = list(held.invitations.filter(answer="yes").values_list("pk", flat=True))[:10]
        event_attendance_record(event=held, present_ids=present)
    session = _event(
        promotion,
        "Session collective : ouvrir ses données",
        Kind.COLLECTIVE_SESSION,
        now + dt.timedelta(days=6),
        3,
        place="Etalab, Paris",
        capacity=4,
        audience=Event.Audience.FELLOWS,
    )
    if not session.invitations.exclude(answer="").exists():
        for invitation in session.invitations.order_by("pk")[:6]:
            event_invitation_answer(invitation=invitation, answer="yes")
    _event(
        promotion,
        "Formation : les API publiques",
        Kind.TRAINING,
        now + dt.timedelta(days=13),
        2,
        video_url="https://webinaire.numerique.gouv.fr/eig-api",
        audience=Event.Audience.BOTH,
    )
    _event(
        promotion,
        "Séminaire au vert",
        Kind.OFFSITE_SEMINAR,
        now + dt.timedelta(days=40),
        30,
        place="Fontainebleau",
    )
    return held, session


def _demo_followup(promotion: Promotion, now: dt.datetime) -> list:
    services.progress_cadence_set(promotion=promotion, every_days=14)
    challenges = list(promotion.challenges.order_by("title")[:4])
    links = []
    for index, challenge in enumerate(challenges):
        services.followup_links_create(challenge=challenge)
        link = challenge.followup_links.order_by("pk").first()
        if link is None:
            continue
        links.append(link)
        if ProgressUpdate.objects.filter(challenge=challenge).exists() or index == 3:
            continue  # the fourth défi never posted: it shows as late
        for weeks in (5, 3, 1):
            ProgressUpdate.objects.create(
                challenge=challenge,
                author=link,
                posted_at=now - dt.timedelta(weeks=weeks + index * 2),
                progress=f"Semaine -{weeks} : entretiens utilisateurs, prototype en test.",
                next_steps="Ouvrir le jeu de données et présenter au comité.",
                blockers="Accès aux données de production" if index == 1 else "",
                help_wanted="Un regard juridique sur la licence" if index == 1 else "",
                is_blocked=index == 1,
            )
    if links and not ExpertiseRequest.objects.filter(challenge=links[0].challenge).exists():
        person = links[0].fellow or links[0].mentor
        services.expertise_request_create(
            challenge=links[0].challenge,
            person=person,
            topic="geomatics",
            description="Choisir un fond de carte et un service de tuiles.",
        )
        services.expertise_request_create(
            challenge=links[0].challenge,
            person=person,
            topic="legal",
            description="Quelle licence pour le code et les données ?",
        )
    return links


def _demo_outcomes() -> None:
    statuses = ["in_production", "planned", "not_planned", "in_production", "stopped"]
    oldest = Promotion.objects.filter(code="EIG 1").first()
    challenges = list(oldest.challenges.order_by("title")[:5]) if oldest else []
    for index, challenge in enumerate(challenges):
        status = statuses[index % len(statuses)]
        services.outcome_record(
            challenge=challenge, as_of=dt.date(2018, 6, 30), production_status="planned"
        )
        services.outcome_record(
            challenge=challenge,
            as_of=dt.date(2018, 12, 31),
            production_status=status,
            is_maintained=status == "in_production",
            maintenance="integrated_it" if status == "in_production" else "",
            users=1000 * (index + 1) if status == "in_production" else None,
            source_code_url=f"https://github.com/entrepreneur-interet-general/{challenge.slug}"[
                :200
            ],
            datasets=[f"https://www.data.gouv.fr/fr/datasets/{challenge.slug}/"]
            if index % 2 == 0
            else [],
            reused_by=["Ministère de l'Intérieur : le module de recherche"] if index == 0 else [],
        )


def _demo_alumni() -> AlumniProfile | None:
    situations = ["contractual", "civil_servant", "independent", "research", "private_sector"]
    first = None
    fellows = Fellow.objects.filter(promotion__code__in=["EIG 1", "EIG 2"]).order_by("pk")[:10]
    for index, fellow in enumerate(fellows):
        profile = AlumniProfile.objects.filter(fellow=fellow).first()
        if profile is None:
            profile, _token = alumni_profile_new_link(fellow=fellow)
            AlumniSituation.objects.create(
                profile=profile,
                situation="research" if index % 3 == 0 else "contractual",
                as_of=dt.date(2019, 1, 1),
            )
            AlumniSituation.objects.create(
                profile=profile,
                situation=situations[index % len(situations)],
                as_of=dt.date(2021, 1, 1),
            )
            if index % 2 == 0:
                profile.is_listed = True
                profile.current_position = "Cheffe de produit" if index == 0 else "Développeur"
                profile.save()
        first = first or profile
    return first


@transaction.atomic
def create_demo_programme() -> list[str]:
    """Create the demo data (see the module docstring); return the lines to print."""
    promotion = (
        Promotion.objects.filter(mentors__isnull=False, challenges__isnull=False)
        .order_by("-rank", "-year")
        .first()
    )
    if promotion is None:
        return ["Programme d'accompagnement : aucune promotion avec mentors, rien créé."]
    now = timezone.now()
    _demo_addresses(promotion)
    held, session = _demo_events(promotion, now)
    links = _demo_followup(promotion, now)
    _demo_outcomes()
    alumni = _demo_alumni()
    lines = [f"Programme d'accompagnement de démonstration : {promotion.code}"]
    waiting = session.invitations.filter(answer="").order_by("pk").first()
    if waiting:
        lines.append(
            f"Invitation (session complète, liste d'attente) : {_link('events:answer', waiting)}"
        )
    fellow = Fellow.objects.filter(promotion=promotion).exclude(email="").order_by("pk").first()
    if fellow:
        feed, _token = calendar_feed_get_or_create(person=fellow)
        lines.append(f"Agenda personnel : {_link('events:calendar', feed)}")
    if links:
        lines.append(f"Point d'étape d'une équipe : {_link('followup:team', links[0])}")
    mentor_challenge = next(
        (c for c in promotion.challenges.all() if c.mentors.exclude(email="").exists()), None
    )
    if mentor_challenge:
        services.outcome_requests_create(
            challenge=mentor_challenge, milestone="end", due_on=timezone.localdate()
        )
        request = mentor_challenge.outcome_requests.order_by("pk").first()
        lines.append(f"Réalisation à déposer (mentor) : {_link('followup:outcome', request)}")
    if alumni:
        lines.append(f"Fiche alumni : {_link('alumni:edit', alumni)}")
    site = settings.SITE_URL.rstrip("/")
    lines.append(f"Suivi des défis (coordination) : {site}{reverse('followup:board')}")
    lines.append(f"Appel (coordination) : {site}{reverse('events:roll_call', args=[held.pk])}")
    lines.append(f"Réalisations : {site}{reverse('followup:realisations')}")
    return lines
