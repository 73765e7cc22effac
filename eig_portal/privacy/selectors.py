"""Reads of the personal-data app: erasure preview, due deletions."""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from challenges.models import ChallengeProposal, NotificationLog, Review
from surveys.models import Response

from .anonymise import people_with_email
from .models import RetentionNotice


def erasure_preview(*, email: str) -> dict[str, list[tuple[str, int, str]]]:
    """What erasing ``email`` removes and what stays: ``{"goes": [...], "stays": [...]}``,
    each item ``(key, object count, French label)``; about twelve queries whatever the data."""
    found = people_with_email(email)
    users = found["users"]
    invitations = found["invitations"]
    naming = Q(mentor_email__iexact=email) | Q(sponsor_email__iexact=email)
    drafts = ChallengeProposal.objects.filter(
        created_by__in=users, status=ChallengeProposal.Status.DRAFT, submitted_at__isnull=True
    )
    goes = [
        ("accounts", users.count(), _("compte(s) : nom, adresse, fonction, connexion")),
        ("drafts", drafts.count(), _("brouillon(s) de candidature jamais déposé(s)")),
        ("fellows", found["fellows"].count(), _("fiche(s) EIG : nom, courriel, poste")),
        ("mentors", found["mentors"].count(), _("fiche(s) mentor : nom, courriel, fonction")),
        ("invitations", invitations.count(), _("invitation(s) à un questionnaire : courriel")),
        (
            "proposal_contacts",
            ChallengeProposal.objects.filter(naming).count(),
            _("candidature(s) de défi vous nommant comme mentor : nom, fonction, courriel"),
        ),
        (
            "emails_sent",
            NotificationLog.objects.filter(recipients__icontains=email).count(),
            _("courriel(s) envoyé(s) : destinataire"),
        ),
    ]
    stays = [
        (
            "responses",
            Response.objects.filter(invitation__in=invitations).count(),
            _("réponse(s) aux questionnaires, détachées de vous (résultats inchangés)"),
        ),
        (
            "reviews",
            Review.objects.filter(assignment__juror__in=users).count(),
            _("évaluation(s) de jury, sans votre nom"),
        ),
        (
            "proposals",
            ChallengeProposal.objects.filter(created_by__in=users).exclude(pk__in=drafts).count(),
            _("candidature(s) déposée(s) au nom de l'administration"),
        ),
        (
            "counted",
            found["fellows"].count() + found["mentors"].count(),
            _("ligne(s) comptée(s) dans les chiffres du programme (profil, promotion, rôle)"),
        ),
    ]
    return {"goes": goes, "stays": stays}


def notices_pending() -> QuerySet[RetentionNotice]:
    """Pending deletions, soonest first (for coordinators)."""
    return RetentionNotice.objects.filter(status=RetentionNotice.Status.PENDING).select_related(
        "content_type", "extended_by"
    )
