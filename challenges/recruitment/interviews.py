"""Jury interviews: coordinators open slots per défi, invite pre-selected candidates, who book
one slot from their personal link, cancel and rebook; the interview is then marked held.

One slot holds one candidate: ``Interview.slot`` is unique in the database, so two candidates
booking the same slot at once get one booking and one clear error. The confirmation email
carries an ``.ics`` invitation (``ics.interview_ics``); a reminder goes the day before.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import notifications
from .models import Application, Interview, InterviewSlot
from .services import application_change_status

Status = Application.Status


@transaction.atomic
def slot_open(
    *, challenge, starts_at: datetime, ends_at: datetime, by, place: str = "", video_url: str = ""
) -> InterviewSlot:
    """Open an interview slot for the défi's jury (aware datetimes; place or video link)."""
    if not place.strip() and not video_url.strip():
        raise ValidationError(
            _("Indiquez un lieu ou un lien de visioconférence."), code="place_required"
        )
    slot = InterviewSlot(
        challenge=challenge,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        video_url=video_url.strip(),
        created_by=by,
    )
    slot.full_clean()
    slot.save()
    return slot


@transaction.atomic
def interview_invite(*, application: Application, challenge, by) -> Interview:
    """Invite a pre-selected candidate to book a slot for ``challenge`` (one of their choices).

    The application moves to ``interview`` (recorded); the invitation email carries the booking
    link. Inviting twice returns the same invitation.
    """
    application = Application.objects.select_for_update().get(pk=application.pk)
    if not application.choices.filter(challenge=challenge).exists():
        raise ValidationError(_("Ce défi n'est pas parmi les choix du candidat."), code="choice")
    if application.status not in (Status.PRESELECTED, Status.INTERVIEW):
        raise ValidationError(
            _("Seule une candidature présélectionnée peut être invitée en entretien."),
            code="not_preselected",
        )
    interview, created = Interview.objects.get_or_create(
        application=application, challenge=challenge
    )
    if application.status == Status.PRESELECTED:
        application_change_status(application=application, to_status=Status.INTERVIEW, by=by)
    if created:
        notifications.interview_invited(interview.pk)
    return interview


def interview_book(*, interview: Interview, slot: InterviewSlot) -> Interview:
    """Book ``slot`` for the invited candidate (replacing a previous booking).

    Raises ValidationError ``taken`` when someone else holds the slot (checked by the unique
    constraint under concurrency), ``wrong_challenge`` or ``past`` for a slot of another défi
    or already started.
    """
    if slot.challenge_id != interview.challenge_id:
        raise ValidationError(_("Ce créneau concerne un autre défi."), code="wrong_challenge")
    if slot.starts_at <= timezone.now():
        raise ValidationError(_("Ce créneau est passé."), code="past")
    try:
        with transaction.atomic():
            interview = Interview.objects.select_for_update().get(pk=interview.pk)
            if interview.status == Interview.Status.HELD:
                raise ValidationError(_("L'entretien a déjà eu lieu."), code="held")
            if interview.slot_id == slot.pk:
                return interview
            interview.slot = slot
            interview.status = Interview.Status.BOOKED
            interview.booked_at = timezone.now()
            interview.save(update_fields=["slot", "status", "booked_at"])
            notifications.interview_booked(interview.pk)
    except IntegrityError as exc:
        raise ValidationError(
            _("Ce créneau vient d'être réservé par une autre personne : choisissez-en un autre."),
            code="taken",
        ) from exc
    return interview


@transaction.atomic
def interview_cancel(*, interview: Interview) -> Interview:
    """Cancel the booking: the slot is freed and the candidate may book another one."""
    interview = Interview.objects.select_for_update().get(pk=interview.pk)
    if interview.status == Interview.Status.HELD:
        raise ValidationError(_("L'entretien a déjà eu lieu."), code="held")
    interview.slot = None
    interview.status = Interview.Status.INVITED
    interview.booked_at = None
    interview.save(update_fields=["slot", "status", "booked_at"])
    return interview


@transaction.atomic
def interview_mark_held(*, interview: Interview, by) -> Interview:
    """Record that the interview took place: the application counts as interviewed by a jury."""
    interview = Interview.objects.select_for_update().get(pk=interview.pk)
    interview.status = Interview.Status.HELD
    interview.save(update_fields=["status"])
    Application.objects.filter(pk=interview.application_id).update(interviewed=True)
    return interview
