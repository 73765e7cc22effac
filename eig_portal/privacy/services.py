"""Writes of the personal-data app: erase a person on request, extend a due deletion."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from challenges.models import ChallengeProposal, ProposalVersion

from .anonymise import (
    invitation_unlink,
    outbox_blank,
    people_found,
    person_anonymise,
    proposal_contacts_blank,
    target_email,
    user_anonymise,
)
from .models import RetentionNotice
from .selectors import erasure_preview

ERASURE_KIND = "request"


def _snapshots_blank(email: str) -> int:
    """Blank the mentor/sponsor contacts naming ``email`` in submitted versions; rows."""
    changed = 0
    versions = ProposalVersion.objects.filter(
        Q(snapshot__mentor_email__iexact=email) | Q(snapshot__sponsor_email__iexact=email)
    )
    for version in versions:
        for role in ("mentor", "sponsor"):
            if str(version.snapshot.get(f"{role}_email", "")).lower() == email.lower():
                for suffix in ("name", "position", "email"):
                    version.snapshot[f"{role}_{suffix}"] = ""
        version.save(update_fields=["snapshot"])
        changed += 1
    return changed


def person_erase(
    *,
    email: str = "",
    fellow_id: int | None = None,
    mentor_id: int | None = None,
    by,
    reason: str,
) -> dict[str, int]:
    """Erase what is held about ``email`` and/or one EIG or mentor record (the preview's
    « goes » list) and return its counts.

    Accounts become nameless and inactive; EIG and mentor records lose name, email and
    position (rows stay: figures count them); questionnaire invitations are unlinked (answers
    stay); proposals and submitted versions lose the person's contact fields; emails sent lose
    their recipients. ``ValidationError`` without a person (address or record) or a reason.
    """
    target = {"email": email, "fellow_id": fellow_id, "mentor_id": mentor_id}
    email = target_email(**target)
    if not (email or fellow_id or mentor_id) or not reason.strip():
        raise ValidationError(_("La personne et le motif sont obligatoires."))
    counts = {key: count for key, count, _label in erasure_preview(**target)["goes"]}
    now = timezone.now()
    with transaction.atomic():
        found = people_found(**target)
        drafts = ChallengeProposal.objects.filter(
            created_by__in=found["users"],
            status=ChallengeProposal.Status.DRAFT,
            submitted_at__isnull=True,
        )
        drafts.delete()
        for user in list(found["users"]):
            user_anonymise(user=user, kind=ERASURE_KIND, by=by, reason=reason, now=now)
        for person in [*found["fellows"], *found["mentors"]]:
            person_anonymise(person=person, kind=ERASURE_KIND, by=by, reason=reason, now=now)
        for invitation in list(found["invitations"]):
            invitation_unlink(invitation=invitation, now=now)
        if email:
            _snapshots_blank(email)
            proposal_contacts_blank(email=email)
            outbox_blank(email=email)
            RetentionNotice.objects.filter(recipient__iexact=email).update(recipient="")
    return counts


def notice_extend(*, notice: RetentionNotice, by, due_at: datetime, reason: str) -> None:
    """Push a pending deletion back to ``due_at`` with a reason (kept on the notice).

    ``ValidationError`` if the notice is no longer pending, the date is not later than the
    current one, or the reason is empty.
    """
    if notice.status != RetentionNotice.Status.PENDING:
        raise ValidationError(_("Cette suppression n'est plus en attente."))
    if due_at <= notice.due_at:
        raise ValidationError(
            {"due_at": _("La nouvelle date doit être postérieure à la date prévue.")}
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Indiquez le motif de la prolongation.")})
    with transaction.atomic():
        notice.due_at = due_at
        notice.extended_at = timezone.now()
        notice.extended_by = by
        notice.extension_reason = reason.strip()
        notice.full_clean()
        notice.save()
