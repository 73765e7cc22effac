"""Reads of the personal-data app: erasure preview, due deletions."""

from django.db.models import Q, QuerySet
from django.utils.translation import ngettext

from challenges.models import ChallengeProposal, Review
from eig_portal.common.models import NotificationLog
from promotions.models import Fellow, Mentor
from surveys.models import Response

from .anonymise import people_found, target_email
from .models import RetentionNotice


def erasure_preview(
    *, email: str = "", fellow_id: int | None = None, mentor_id: int | None = None
) -> dict[str, list[tuple[str, int, str]]]:
    """What erasing ``email`` (and/or one EIG or mentor record) removes and what stays: ``{"goes": [...], "stays": [...]}``,
    each item ``(key, object count, label in the active language)``; eleven count queries
    whatever the data."""
    email = target_email(email=email, fellow_id=fellow_id, mentor_id=mentor_id)
    found = people_found(email=email, fellow_id=fellow_id, mentor_id=mentor_id)
    users, invitations = found["users"], found["invitations"]
    # A blank address must match nothing (``icontains ""`` would match every email sent).
    naming = Q(mentor_email__iexact=email) | Q(sponsor_email__iexact=email) if email else Q(pk=None)
    sent = NotificationLog.objects.filter(recipients__icontains=email) if email else None
    drafts = ChallengeProposal.objects.filter(
        created_by__in=users, status=ChallengeProposal.Status.DRAFT, submitted_at__isnull=True
    )
    n = {
        "accounts": users.count(),
        "drafts": drafts.count(),
        "fellows": found["fellows"].count(),
        "mentors": found["mentors"].count(),
        "invitations": invitations.count(),
        "proposal_contacts": ChallengeProposal.objects.filter(naming).count(),
        "emails_sent": sent.count() if sent is not None else 0,
        "responses": Response.objects.filter(invitation__in=invitations).count(),
        "reviews": Review.objects.filter(assignment__juror__in=users).count(),
        "proposals": ChallengeProposal.objects.filter(created_by__in=users)
        .exclude(pk__in=drafts)
        .count(),
    }
    n["counted"] = n["fellows"] + n["mentors"]
    goes, stays = _labels(n)
    return {
        "goes": [(key, n[key], label) for key, label in goes.items()],
        "stays": [(key, n[key], label) for key, label in stays.items()],
    }


def _labels(n: dict[str, int]) -> tuple[dict[str, str], dict[str, str]]:
    """The labels of the erasure preview's lines, plural forms following the counts ``n``."""
    goes = {
        "accounts": ngettext(
            "compte : nom, adresse, fonction, connexion",
            "comptes : nom, adresse, fonction, connexion",
            n["accounts"],
        ),
        "drafts": ngettext(
            "brouillon de candidature jamais déposé",
            "brouillons de candidature jamais déposés",
            n["drafts"],
        ),
        "fellows": ngettext(
            "fiche EIG : nom, courriel, poste", "fiches EIG : nom, courriel, poste", n["fellows"]
        ),
        "mentors": ngettext(
            "fiche mentor : nom, courriel, fonction",
            "fiches mentor : nom, courriel, fonction",
            n["mentors"],
        ),
        "invitations": ngettext(
            "invitation à un questionnaire : courriel",
            "invitations à un questionnaire : courriel",
            n["invitations"],
        ),
        "proposal_contacts": ngettext(
            "candidature de défi nommant la personne comme mentor : nom, fonction, courriel",
            "candidatures de défi nommant la personne comme mentor : nom, fonction, courriel",
            n["proposal_contacts"],
        ),
        "emails_sent": ngettext(
            "courriel envoyé : destinataire", "courriels envoyés : destinataire", n["emails_sent"]
        ),
    }
    stays = {
        "responses": ngettext(
            "réponse à un questionnaire, détachée de la personne (résultats inchangés)",
            "réponses aux questionnaires, détachées de la personne (résultats inchangés)",
            n["responses"],
        ),
        "reviews": ngettext(
            "évaluation de jury, sans nom", "évaluations de jury, sans nom", n["reviews"]
        ),
        "proposals": ngettext(
            "candidature déposée au nom de l'administration",
            "candidatures déposées au nom de l'administration",
            n["proposals"],
        ),
        "counted": ngettext(
            "ligne comptée dans les chiffres du programme (profil, promotion, rôle)",
            "lignes comptées dans les chiffres du programme (profil, promotion, rôle)",
            n["counted"],
        ),
    }
    return goes, stays


def notices_pending() -> QuerySet[RetentionNotice]:
    """Pending deletions, soonest first (for coordinators)."""
    return RetentionNotice.objects.filter(status=RetentionNotice.Status.PENDING).select_related(
        "content_type", "extended_by"
    )


def people_named(name: str, *, limit: int = 50) -> dict[str, list]:
    """EIG and mentor records whose name contains ``name`` (case ignored), ``limit`` of each:
    ``{"fellows": [Fellow], "mentors": [Mentor]}``; two queries."""
    name = name.strip()
    if not name:
        return {"fellows": [], "mentors": []}
    return {
        "fellows": list(
            Fellow.objects.filter(name__icontains=name).select_related("promotion")[:limit]
        ),
        "mentors": list(
            Mentor.objects.filter(name__icontains=name).select_related("administration")[:limit]
        ),
    }
