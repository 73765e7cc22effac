"""Demo of the call for projects (``manage.py setup_demo`` step): an open call for EIG 8.

Creates, idempotently: the promotion EIG 8 if missing, its published call closing in three
weeks at 23:59:59 Paris time (pushed forward if it has closed since), the jury's criteria, a demo
agent account and a demo jury member (credentials printed) and proposals in several statuses written from real défi
descriptions of the public data (``data/eig-public/site-eig-v3/site/content/defis/``).
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from promotions.models import Administration, Promotion

from .calls import jury, services
from .calls.models import AgentProfile, CallForProjects, ChallengeProposal, Criterion

PARIS = ZoneInfo("Europe/Paris")
DEMO_CALL_SLUG = "appel-a-projets-eig-8"
DEMO_AGENT_EMAIL = "agent.demo@example.gouv.fr"
#: Fixed on purpose so that it stays the same across runs; for local demos only.
DEMO_AGENT_PASSWORD = "demo-agent-2027"
#: A jury member assigned to the demo's submitted proposals (same local-demo-only password rule).
DEMO_JUROR_EMAIL = "jure.demo@example.gouv.fr"
DEMO_JUROR_PASSWORD = "demo-jury-2027"
DEFIS_DIR = settings.DATA_DIR / "eig-public" / "site-eig-v3" / "site" / "content" / "defis"

CRITERIA = [
    ("Impact pour les usagers et l'action publique", 3),
    ("Place des données et du numérique dans le défi", 2),
    ("Capacité de l'administration à adapter l'environnement technique et de travail", 2),
    ("Engagement des mentors opérationnel et de haut niveau", 1),
]

#: (défi file, administration name, final status) — the demo agent's administration first.
DEMO_PROPOSALS = [
    ("basegun.md", "Ministère de l'Intérieur", "submitted"),
    ("mi-matchid.md", "Ministère de l'Intérieur", "draft"),
    ("a-just.md", "Ministère de la Justice", "under_review"),
    ("archifiltre.md", "Secrétariat général des ministères sociaux", "correction_requested"),
]


def _read_defi(filename: str) -> dict:
    """Front matter and sections (``{"## title": text}``) of a défi page of the public site."""
    raw = (DEFIS_DIR / filename).read_text(encoding="utf-8")
    _, front, body = raw.split("---", 2)
    meta = yaml.safe_load(front) or {}
    body = re.sub(r"\{\{<.*?>\}\}", "", body)
    sections: dict[str, str] = {}
    current = "intro"
    for line in body.splitlines():
        if line.startswith("## "):
            current = line[3:].strip().lower()
            continue
        sections[current] = sections.get(current, "") + line + "\n"
    sections = {k: v.strip() for k, v in sections.items() if v.strip()}
    meta["sections"] = sections
    return meta


def _fields_from_defi(meta: dict) -> dict:
    sections = meta["sections"]
    context = "\n\n".join(
        sections[k] for k in ("le contexte", "la problématique", "intro") if k in sections
    ) or next(iter(sections.values()), "")
    objectives = "\n\n".join(
        v
        for k, v in sections.items()
        if k not in ("le contexte", "la problématique", "intro", "rétrospective")
    ) or sections.get("rétrospective", "")
    title = str(meta.get("title", "Défi"))[:200]
    description = " ".join(str(meta.get("description", "")).split())
    context = context or f"{description}. Porté par : {meta.get('who', 'l’administration')}."
    return {
        "title": title,
        "summary": description[:300],
        "context": context[:5000],
        "objectives": objectives[:5000] or "Un service numérique utile aux agents et usagers.",
        "beneficiaries": "Les agents de l'administration et les usagers du service public.",
        "town": str(meta.get("town", ""))[:120],
        "available_data": "Données internes de l'administration (voir le contexte).",
        "systems": "Applications métier existantes ; hébergement interne.",
        "commits_equipment": True,
        "commits_internet_access": True,
        "commits_remote_work": True,
        "mentor_name": "Camille Martin",
        "mentor_position": "Cheffe de projet",
        "mentor_email": "camille.martin@example.gouv.fr",
        "mentor_time_commitment": "Deux demi-journées par semaine",
        "sponsor_name": "Dominique Bernard",
        "sponsor_position": "Directeur",
        "sponsor_email": "dominique.bernard@example.gouv.fr",
        "sponsor_time_commitment": "Un point par mois",
        "developers_wanted": 1,
        "data_scientists_wanted": 1,
        "designers_wanted": 1 if "Design" in (meta.get("expertises") or []) else 0,
        "cofunding_share": Decimal("30"),
    }


def _promotion() -> Promotion:
    promotion = Promotion.objects.filter(code="EIG 8").first()
    if promotion is None:
        rank = (Promotion.objects.aggregate(m=Max("rank"))["m"] or 7) + 1
        promotion = Promotion.objects.create(
            code="EIG 8", slug="eig-8", number=8, rank=rank, year=timezone.now().year + 1
        )
    return promotion


def _call(promotion: Promotion, now) -> CallForProjects:
    closes_day = (now + timedelta(days=21)).astimezone(PARIS).date()
    closes_at = datetime.combine(closes_day, time(23, 59, 59), tzinfo=PARIS)
    call, created = CallForProjects.objects.get_or_create(
        slug=DEMO_CALL_SLUG,
        defaults={
            "promotion": promotion,
            "title": f"Appel à projets {promotion.code}",
            "description": (
                "Administrations, proposez vos **défis** : des problèmes d'intérêt général que "
                "des entrepreneurs (développeurs, designers, data scientists) résoudront avec vos "
                "agents pendant dix mois.\n\n"
                "- un mentor opérationnel et un mentor de haut niveau engagés ;\n"
                "- des données accessibles dès le premier jour ;\n"
                "- un environnement de travail adapté (matériel, accès internet non filtré, "
                "télétravail)."
            ),
            "opens_at": now - timedelta(days=20),
            "closes_at": closes_at,
            "is_published": True,
        },
    )
    if not created and call.closes_at < now:
        call.closes_at = closes_at
        call.is_published = True
        call.save(update_fields=["closes_at", "is_published", "updated_at"])
    for order, (label, weight) in enumerate(CRITERIA, start=1):
        Criterion.objects.get_or_create(
            call=call, label=label, defaults={"weight": Decimal(weight), "order": order}
        )
    return call


def _agent(email: str, administration: Administration, *, password: str | None):
    User = get_user_model()
    user, _ = User.objects.get_or_create(
        username=email, defaults={"email": email, "first_name": "Agent", "last_name": "Démo"}
    )
    if password and not user.check_password(password):
        user.set_password(password)
        user.save()
    elif not password and user.has_usable_password():
        user.set_unusable_password()
        user.save()
    AgentProfile.objects.get_or_create(
        user=user, defaults={"administration": administration, "is_confirmed": True}
    )
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def _juror(proposals, *, by):
    """The demo jury member (verified email, group « jury ») assigned to ``proposals``."""
    from allauth.account.models import EmailAddress

    User = get_user_model()
    user, _ = User.objects.get_or_create(
        username=DEMO_JUROR_EMAIL,
        defaults={"email": DEMO_JUROR_EMAIL, "first_name": "Juré", "last_name": "Démo"},
    )
    if not user.check_password(DEMO_JUROR_PASSWORD):
        user.set_password(DEMO_JUROR_PASSWORD)
        user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=DEMO_JUROR_EMAIL, defaults={"verified": True, "primary": True}
    )
    jury.jury_assign(proposals=proposals, jurors=[user], by=by)
    return user


def _administration(name: str) -> Administration:
    found = Administration.objects.filter(name__iexact=name).first()
    if found is None:
        found = Administration.objects.filter(name__iexact=name.replace("'", "’")).first()
    return found or Administration.objects.create(name=name)


@transaction.atomic
def create_demo_call() -> list[str]:
    """Open call for EIG 8 with criteria, a demo agent and proposals in several statuses."""
    now = timezone.now()
    call = _call(_promotion(), now)
    coordinator = get_user_model().objects.filter(is_staff=True).order_by("pk").first()
    demo_agent = None
    for i, (filename, admin_name, final_status) in enumerate(DEMO_PROPOSALS):
        administration = _administration(admin_name)
        if i == 0 or demo_agent.agent_profile.administration_id == administration.pk:
            demo_agent = demo_agent or _agent(
                DEMO_AGENT_EMAIL, administration, password=DEMO_AGENT_PASSWORD
            )
            author = demo_agent
        else:
            slug = re.sub(r"[^a-z0-9]+", "-", filename.lower()).strip("-")
            author = _agent(f"agent.{slug}@example.gouv.fr", administration, password=None)
        token = uuid.uuid5(uuid.NAMESPACE_URL, f"eig-demo:{call.slug}:{filename}")
        if ChallengeProposal.objects.filter(creation_token=token).exists():
            continue
        proposal = services.proposal_create(
            call=call,
            user=author,
            creation_token=token,
            data=_fields_from_defi(_read_defi(filename)),
        )
        if final_status == "draft":
            continue
        services.proposal_submit(proposal_id=proposal.pk, user=author)
        if final_status == "under_review":
            services.proposal_change_status(
                proposal=proposal, to_status="under_review", by=coordinator
            )
        elif final_status == "correction_requested":
            services.proposal_change_status(
                proposal=proposal,
                to_status="correction_requested",
                by=coordinator,
                message="Précisez le temps que le mentor opérationnel consacrera au défi.",
            )
    _juror(
        call.proposals.filter(status__in=jury.REVIEWABLE_STATUSES, challenge__isnull=True),
        by=coordinator,
    )
    closes = call.closes_at.astimezone(PARIS).strftime("%Y-%m-%d %H:%M:%S")
    site = settings.SITE_URL.rstrip("/")
    return [
        f"Call for projects: {call.title} — open until {closes} Paris time — "
        f"{site}{call.get_absolute_url()}",
        f"Demo agent (administration {demo_agent.agent_profile.administration}): "
        f"{DEMO_AGENT_EMAIL} / {DEMO_AGENT_PASSWORD} — {site}/comptes/login/",
        f"Demo jury member: {DEMO_JUROR_EMAIL} / {DEMO_JUROR_PASSWORD} — {site}/defis/jury/",
    ]
