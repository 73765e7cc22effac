"""The retention rules: what each kind keeps, from which date, for how long, and how it goes.

A rule selects objects by an ``anchor`` date annotated on its queryset (the call's closing, the
last login, the questionnaire's closing…); an object is due at ``anchor + retention``. Periods
come from settings (documented in README.md and .env.example):

==========================  ================================  ================================
rule                        anchor                            setting (default)
==========================  ================================  ================================
drafts of closed calls      the call's ``closes_at``          ``DRAFT_RETENTION_DAYS`` (90)
inactive accounts           last login, else sign-up          ``ACCOUNT_INACTIVITY_DAYS`` (730)
invitation emails           the questionnaire's ``closes_at`` ``SURVEY_INVITATION_RETENTION_MONTHS``
                                                              (12)
jurors' accounts            their last call's ``closes_at``   ``JUROR_RETENTION_DAYS`` (365)
outbox (emails sent)        ``sent_at``                       ``OUTBOX_RETENTION_DAYS`` (365)
history of erased values    the erasure                       ``HISTORY_SCRUB_DAYS`` (0)
==========================  ================================  ================================

Rules with ``notice = True`` announce the deletion ``RETENTION_NOTICE_DAYS`` (30) days ahead
(``RetentionNotice``, and an email when the person has an address); the others remove
technical copies and need no announcement.
"""

from dataclasses import dataclass
from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.db.models import F, Max, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from challenges.models import ChallengeProposal, ProposalAttachment
from eig_portal.common.models import NotificationLog
from surveys.models import Invitation

from .anonymise import ERASED_USERNAME_PREFIX, invitation_unlink, user_anonymise
from .models import RetentionKind

DEFAULTS = {
    "RETENTION_NOTICE_DAYS": 30,
    "DRAFT_RETENTION_DAYS": 90,
    "ACCOUNT_INACTIVITY_DAYS": 730,
    "SURVEY_INVITATION_RETENTION_MONTHS": 12,
    "JUROR_RETENTION_DAYS": 365,
    "OUTBOX_RETENTION_DAYS": 365,
    "HISTORY_SCRUB_DAYS": 0,
}


def setting(name: str) -> int:
    """The integer setting ``name`` (days or months), else its documented default."""
    return int(getattr(settings, name, DEFAULTS[name]))


def notice_days() -> relativedelta:
    """How long before a deletion the person is told (``RETENTION_NOTICE_DAYS``)."""
    return relativedelta(days=setting("RETENTION_NOTICE_DAYS"))


@dataclass(frozen=True)
class Rule:
    """One kind of retention. Subclasses give the queryset (annotated ``anchor``) and removal."""

    kind: str = ""
    notice: bool = True
    email: bool = True
    what_goes = ""

    def retention(self) -> relativedelta:
        """The retention period after the anchor."""
        raise NotImplementedError

    def queryset(self) -> QuerySet:
        """Every object this rule may remove, annotated with ``anchor`` (aware datetime)."""
        raise NotImplementedError

    def due_by(self, moment: datetime) -> QuerySet:
        """Objects whose retention ends at or before ``moment``."""
        return self.queryset().filter(anchor__lte=moment - self.retention())

    def due_at(self, obj) -> datetime:
        """When ``obj``'s personal data goes (anchor + retention)."""
        return obj.anchor + self.retention()

    def remove(self, objects: list, *, now: datetime) -> int:
        """Remove the personal data of ``objects``; returns how many objects were treated."""
        raise NotImplementedError

    def recipient(self, obj) -> str:
        """The address the notice goes to ('' for none)."""
        return ""

    def describe(self, obj) -> str:
        """A short label of ``obj`` for coordinators (may name the person until applied)."""
        return str(obj)[:255]


class DraftsRule(Rule):
    """Proposals never submitted, once their call closed ``DRAFT_RETENTION_DAYS`` ago."""

    what_goes = _("le brouillon de candidature et ses pièces jointes")

    def retention(self):
        return relativedelta(days=setting("DRAFT_RETENTION_DAYS"))

    def queryset(self):
        return (
            ChallengeProposal.objects.filter(
                status=ChallengeProposal.Status.DRAFT, submitted_at__isnull=True
            )
            .select_related("created_by")
            .annotate(anchor=F("call__closes_at"))
        )

    def remove(self, objects, *, now):
        files = list(
            ProposalAttachment.objects.filter(proposal__in=objects).values_list("file", flat=True)
        )
        ChallengeProposal.objects.filter(pk__in=[o.pk for o in objects]).delete()
        for name in files:
            default_storage.delete(name)
        return len(objects)

    def recipient(self, obj):
        return obj.created_by.email if obj.created_by_id else ""

    def describe(self, obj):
        return str(_("Brouillon n° %(pk)s") % {"pk": obj.pk})


def _accounts() -> QuerySet:
    """Accounts the rules may erase: not coordinators, not already erased."""
    return (
        get_user_model()
        .objects.filter(is_staff=False, is_superuser=False)
        .exclude(username__startswith=ERASED_USERNAME_PREFIX)
    )


class InactiveAccountsRule(Rule):
    """Accounts without a login for ``ACCOUNT_INACTIVITY_DAYS`` (sign-up date if never)."""

    what_goes = _("votre compte (nom, adresse électronique, fonction)")

    def retention(self):
        return relativedelta(days=setting("ACCOUNT_INACTIVITY_DAYS"))

    def queryset(self):
        # Jurors who are not agents follow their own rule (one notice per person, not two).
        jurors_only = Q(jury_assignments__isnull=False, agent_profile__isnull=True)
        return (
            _accounts()
            .exclude(pk__in=_accounts().filter(jurors_only).values("pk"))
            .annotate(anchor=Coalesce("last_login", "date_joined"))
        )

    def remove(self, objects, *, now):
        for user in objects:
            user_anonymise(user=user, kind=self.kind, now=now)
        return len(objects)

    def recipient(self, obj):
        return obj.email

    def describe(self, obj):
        return str(_("Compte n° %(pk)s") % {"pk": obj.pk})


class JurorAccountsRule(InactiveAccountsRule):
    """Jurors' accounts (not agents) ``JUROR_RETENTION_DAYS`` after their last call closed."""

    def retention(self):
        return relativedelta(days=setting("JUROR_RETENTION_DAYS"))

    def queryset(self):
        return (
            _accounts()
            .filter(jury_assignments__isnull=False, agent_profile__isnull=True)
            .annotate(anchor=Max("jury_assignments__proposal__call__closes_at"))
        )


class InvitationEmailsRule(Rule):
    """Invitations' email and person, ``SURVEY_INVITATION_RETENTION_MONTHS`` after closing."""

    what_goes = _("le lien entre la personne et ses réponses (les réponses restent)")

    def retention(self):
        return relativedelta(months=setting("SURVEY_INVITATION_RETENTION_MONTHS"))

    def queryset(self):
        return (
            Invitation.objects.filter(survey__closes_at__isnull=False)
            .filter(~Q(email="") | Q(fellow__isnull=False) | Q(mentor__isnull=False))
            .select_related("survey")
            .annotate(anchor=F("survey__closes_at"))
        )

    def remove(self, objects, *, now):
        for invitation in objects:
            invitation_unlink(invitation=invitation, now=now)
        return len(objects)

    def describe(self, obj):
        return str(
            _("Invitation n° %(pk)s (%(survey)s)") % {"pk": obj.pk, "survey": obj.survey.code}
        )


class OutboxRule(Rule):
    """Recipients of sent emails ``OUTBOX_RETENTION_DAYS`` after sending (the key stays, so a
    retried task still sends nothing twice)."""

    def retention(self):
        return relativedelta(days=setting("OUTBOX_RETENTION_DAYS"))

    def queryset(self):
        return NotificationLog.objects.exclude(recipients="").annotate(anchor=F("sent_at"))

    def remove(self, objects, *, now):
        return NotificationLog.objects.filter(pk__in=[o.pk for o in objects]).update(recipients="")


RULES: dict[str, Rule] = {
    RetentionKind.DRAFTS: DraftsRule(kind=RetentionKind.DRAFTS),
    RetentionKind.INACTIVE_ACCOUNTS: InactiveAccountsRule(kind=RetentionKind.INACTIVE_ACCOUNTS),
    RetentionKind.INVITATION_EMAILS: InvitationEmailsRule(
        kind=RetentionKind.INVITATION_EMAILS, email=False
    ),
    RetentionKind.JUROR_ACCOUNTS: JurorAccountsRule(kind=RetentionKind.JUROR_ACCOUNTS),
    RetentionKind.OUTBOX: OutboxRule(kind=RetentionKind.OUTBOX, notice=False, email=False),
}
