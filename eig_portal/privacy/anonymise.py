"""Blank the personal fields of one object, keep the row (figures count rows, never names).

Each function keeps what figures and results need (profile, promotion, role, status, dates)
and records an ``ErasureRecord`` so that the history rule also scrubs older copies. None sends
anything; callers run them inside a transaction.
"""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from challenges.models import AgentProfile, ChallengeProposal
from eig_portal.common.models import NotificationLog
from promotions.models import Fellow, Mentor
from surveys.models import Invitation

from .models import ErasureRecord

ERASED_USERNAME_PREFIX = "compte-efface-"


def record_erasure(*, obj, kind: str, by=None, reason: str = "", now=None) -> ErasureRecord:
    """Record that ``obj``'s personal data was erased (read by the history rule)."""
    return ErasureRecord.objects.create(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=obj.pk,
        erased_at=now or timezone.now(),
        kind=kind,
        by=by,
        reason=reason,
    )


def user_anonymise(*, user, kind: str, by=None, reason: str = "", now=None) -> None:
    """Turn an account into an inactive, nameless one; its reviews and decisions stay.

    The row stays so that jury reviews, status changes and proposals keep their author slot
    (shown as an erased account). Email addresses, second factors, sessions and the agent's position go.
    """
    user.username = f"{ERASED_USERNAME_PREFIX}{user.pk}"
    user.first_name = ""
    user.last_name = ""
    user.email = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    AgentProfile.objects.filter(user=user).update(position="")
    _sessions_of(user).delete()
    record_erasure(obj=user, kind=kind, by=by, reason=reason, now=now)


def _sessions_of(user):
    """The stored sessions of ``user`` (decoded: sessions hold the user id in their data)."""
    ids = [
        s.pk
        for s in Session.objects.filter(expire_date__gte=timezone.now()).iterator()
        if str(s.get_decoded().get("_auth_user_id")) == str(user.pk)
    ]
    return Session.objects.filter(pk__in=ids)


def person_anonymise(*, person, kind: str, by=None, reason: str = "", now=None) -> None:
    """Blank an EIG's (``Fellow``) or mentor's (``Mentor``) name, email and position.

    The profile, role, promotion, administration and défi links stay (figures count them).
    """
    label = _("EIG") if isinstance(person, Fellow) else _("Mentor")
    person.name = _("%(label)s effacé·e n° %(pk)s") % {"label": label, "pk": person.pk}
    person.email = ""
    person.job_title = ""
    person.save()
    record_erasure(obj=person, kind=kind, by=by, reason=reason, now=now)


def invitation_unlink(*, invitation: Invitation, now=None) -> None:
    """Remove the person from a questionnaire invitation; the response and answers stay.

    The response keeps its role and promotion (copied at creation), so results do not move.
    The personal link stops working.
    """
    now = now or timezone.now()
    invitation.email = ""
    invitation.fellow = None
    invitation.mentor = None
    if invitation.invalidated_at is None:
        invitation.invalidated_at = now
    invitation.save(update_fields=["email", "fellow", "mentor", "invalidated_at"])


def proposal_contacts_blank(*, email: str) -> int:
    """Blank the mentor/sponsor contact fields of proposals naming ``email``; returns rows."""
    count = 0
    for role in ("mentor", "sponsor"):
        count += ChallengeProposal.objects.filter(**{f"{role}_email__iexact": email}).update(
            **{
                f"{role}_name": "",
                f"{role}_position": "",
                f"{role}_email": "",
            }
        )
    return count


def outbox_blank(*, email: str) -> int:
    """Blank the recipients of sent-email records that include ``email``; returns rows."""
    return NotificationLog.objects.filter(recipients__icontains=email).update(recipients="")


def people_with_email(email: str) -> dict:
    """Every record tied to ``email`` (case ignored): ``{"users", "fellows", "mentors",
    "invitations"}`` as querysets; all empty for a blank address (erased rows have none)."""
    email = email.strip()
    if not email:
        users = get_user_model().objects.none()
        return {
            "users": users,
            "fellows": Fellow.objects.none(),
            "mentors": Mentor.objects.none(),
            "invitations": Invitation.objects.none(),
        }
    return {
        "users": get_user_model()
        .objects.filter(Q(email__iexact=email) | Q(emailaddress__email__iexact=email))
        .distinct(),
        "fellows": Fellow.objects.filter(email__iexact=email),
        "mentors": Mentor.objects.filter(email__iexact=email),
        "invitations": Invitation.objects.filter(email__iexact=email),
    }


def target_email(*, email: str = "", fellow_id: int | None = None, mentor_id: int | None = None):
    """The address to search by: ``email``, else the given EIG's or mentor's ('' if none)."""
    if email.strip():
        return email.strip()
    for model, pk in ((Fellow, fellow_id), (Mentor, mentor_id)):
        if pk:
            return (
                model.objects.filter(pk=pk).values_list("email", flat=True).first() or ""
            ).strip()
    return ""


def people_found(*, email: str = "", fellow_id: int | None = None, mentor_id: int | None = None):
    """Like ``people_with_email``, also with one EIG (``fellow_id``) or mentor (``mentor_id``)
    record and its invitations — for people the portal knows without an address."""
    found = people_with_email(target_email(email=email, fellow_id=fellow_id, mentor_id=mentor_id))
    if fellow_id:
        found["fellows"] = found["fellows"] | Fellow.objects.filter(pk=fellow_id)
        found["invitations"] = found["invitations"] | Invitation.objects.filter(fellow_id=fellow_id)
    if mentor_id:
        found["mentors"] = found["mentors"] | Mentor.objects.filter(pk=mentor_id)
        found["invitations"] = found["invitations"] | Invitation.objects.filter(mentor_id=mentor_id)
    return found
