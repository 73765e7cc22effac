"""Emails of survey invitations: the personal links, the invitation and its reminders.

Each sending is claimed by a conditional UPDATE on the invitation (two workers never send twice;
a failed email releases the claim so the task retries) and goes through the one email helper of
the portal (``eig_portal.common.emails.send_once``: three-part template, log, idempotent key).
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from eig_portal.common.emails import send_once
from eig_portal.common.tokens import invitation_token

from .models import MAX_REMINDERS, Invitation, Response, Survey


def invitation_links(invitation: Invitation) -> dict:
    """Absolute URLs of the invitation's personal link and unsubscribe page."""
    token = invitation_token(invitation)
    base = settings.SITE_URL.rstrip("/")
    return {
        "link": base + reverse("surveys:start", args=[token]),
        "unsubscribe_link": base + reverse("surveys:unsubscribe", args=[token]),
    }


def _send_email(invitation, template, *, key: str, extra=None) -> None:
    """Send email ``template`` to the invitation's address, once per ``key``."""
    context = {
        "invitation": invitation,
        "survey": invitation.survey,
        "person": invitation.person,
        **invitation_links(invitation),
        **(extra or {}),
    }
    send_once(key=key, name=template, recipients=[invitation.email], context=context)


def invitation_send(*, invitation_id: int, force: bool = False) -> bool:
    """Send the invitation email once (``force`` resends); return True if an email went out.

    Idempotent: a conditional UPDATE claims the sending, so two workers never send twice; if
    the email fails the claim is released and the error propagates (the task retries).
    """
    now = timezone.now()
    qs = Invitation.objects.filter(pk=invitation_id, invalidated_at__isnull=True)
    if not force:
        qs = qs.filter(sent_at__isnull=True)
    previous = qs.values_list("sent_at", flat=True).first()
    if not qs.update(sent_at=now):
        return False
    invitation = Invitation.objects.select_related("survey", "fellow", "mentor").get(
        pk=invitation_id
    )
    try:
        _send_email(
            invitation,
            "survey_invitation",
            key=f"survey-invitation:{invitation_id}:{now.isoformat()}",
        )
    except Exception:
        Invitation.objects.filter(pk=invitation_id).update(sent_at=previous)
        raise
    return True


def invitations_due_for_reminder(*, now=None):
    """Invitations whose next reminder is due: sent, valid, not unsubscribed, not submitted,
    survey open, fewer than two reminders, and the survey's delay since sending elapsed.

    The second reminder also waits the configured gap (second delay − first delay, at least one
    day) after the first one was sent, so a late first reminder is never followed by the second
    on the next hourly run.
    """
    now = now or timezone.now()
    due = Q(pk__in=[])
    open_surveys = Survey.objects.filter(
        Q(opens_at__isnull=True) | Q(opens_at__lte=now),
        Q(closes_at__isnull=True) | Q(closes_at__gt=now),
    )
    for survey in open_surveys.only(
        "pk", "first_reminder_after_days", "second_reminder_after_days"
    ):
        first, second = survey.first_reminder_after_days, survey.second_reminder_after_days
        if first is not None:
            due |= Q(survey=survey, reminders_sent=0, sent_at__lte=now - timedelta(days=first))
        if first is not None and second is not None:
            # Spaced: the configured gap after the first reminder too, even when it went late.
            gap = timedelta(days=max(second - first, 1))
            due |= Q(
                Q(last_reminder_at__isnull=True) | Q(last_reminder_at__lte=now - gap),
                survey=survey,
                reminders_sent=1,
                sent_at__lte=now - timedelta(days=second),
            )
    return (
        Invitation.objects.filter(due)
        .filter(
            invalidated_at__isnull=True, unsubscribed_from_reminders=False, sent_at__isnull=False
        )
        .exclude(response__status=Response.Status.SUBMITTED)
    )


def invitation_send_reminder(*, invitation_id: int, expected_count: int) -> bool:
    """Send reminder number ``expected_count + 1`` once; return True if an email went out.

    Idempotent: the conditional UPDATE on ``reminders_sent = expected_count`` claims it; it
    re-checks that the person has not submitted nor unsubscribed, and never exceeds two.
    """
    if expected_count >= MAX_REMINDERS:
        return False
    now = timezone.now()
    claimed = (
        Invitation.objects.filter(
            pk=invitation_id,
            reminders_sent=expected_count,
            invalidated_at__isnull=True,
            unsubscribed_from_reminders=False,
        )
        .exclude(response__status=Response.Status.SUBMITTED)
        .update(reminders_sent=expected_count + 1, last_reminder_at=now)
    )
    if not claimed:
        return False
    invitation = Invitation.objects.select_related("survey", "fellow", "mentor").get(
        pk=invitation_id
    )
    try:
        _send_email(
            invitation,
            "survey_reminder",
            key=f"survey-reminder:{invitation_id}:{expected_count + 1}",
            extra={"reminder_number": expected_count + 1},
        )
    except Exception:
        Invitation.objects.filter(pk=invitation_id).update(reminders_sent=expected_count)
        raise
    return True
