"""Decisions on applications: select (creating the ``Fellow`` exactly once), waiting list,
not selected, and a selected candidate declining.

``decision_select`` locks the application row (``select_for_update``) and the défi's opening,
and the ``Fellow`` it creates carries the unique key (``source_key`` « application:<id> »,
unique per promotion) and is one-to-one with the application: a second, concurrent click
waits for the lock, finds the ``Fellow`` and returns it. Decision emails are queued after
commit (idempotent tasks).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from promotions.models import Fellow

from . import notifications
from .models import Application, ChallengeOpening, Placement
from .services import application_change_status

Status = Application.Status


def _locked(application_id: int) -> Application:
    # No join on ``fellow``: after waiting for the lock PostgreSQL re-reads the locked row only.
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("call__promotion")
        .get(pk=application_id)
    )


def _ensure_place_left(application: Application, challenge) -> None:
    opening = ChallengeOpening.objects.select_for_update().filter(challenge=challenge).first()
    if opening is None or opening.call_id != application.call_id:
        raise ValidationError(
            _("Ce défi n'est pas ouvert dans l'appel de cette candidature."), code="not_open"
        )
    taken = (
        Application.objects.filter(
            selected_challenge=challenge, profile=application.profile, status=Status.SELECTED
        )
        .exclude(pk=application.pk)
        .count()
    )
    if taken >= opening.places(application.profile):
        raise ValidationError(
            _("Toutes les places de ce profil sont pourvues sur ce défi."), code="full"
        )


def fellow_key(application: Application) -> str:
    """The unique import key of the Fellow created from ``application``."""
    return f"application:{application.pk}"


@transaction.atomic
def decision_select(*, application: Application, challenge, by, message: str = "") -> Fellow:
    """Select the candidate for ``challenge``: the ``Fellow`` is created exactly once.

    Returns the Fellow (the existing one on a repeated call). Raises ValidationError when the
    défi is not open in the call, the profile's places are all taken or the status cannot move
    to selected.
    """
    application = _locked(application.pk)
    if application.fellow_id is not None:
        return Fellow.objects.get(pk=application.fellow_id)
    _ensure_place_left(application, challenge)
    if application.status != Status.SELECTED:
        application = application_change_status(
            application=application, to_status=Status.SELECTED, by=by, message=message
        )
    fellow, _created = Fellow.objects.get_or_create(
        promotion=application.call.promotion,
        source_key=fellow_key(application),
        defaults={
            "name": f"{application.first_name} {application.last_name}".strip(),
            "email": application.email,
            "profile": application.profile,
        },
    )
    challenge.fellows.add(fellow)
    Application.objects.filter(pk=application.pk).update(
        fellow=fellow, selected_challenge=challenge
    )
    Placement.objects.filter(application=application).update(is_confirmed=True)
    notifications.decision_made(application.pk)
    return fellow


def decision_waiting_list(*, application: Application, by, message: str = "") -> Application:
    """Put the candidate on the waiting list (decision email queued)."""
    with transaction.atomic():
        application = application_change_status(
            application=application, to_status=Status.WAITING_LIST, by=by, message=message
        )
        notifications.decision_made(application.pk)
    return application


def decision_not_select(*, application: Application, by, message: str = "") -> Application:
    """The candidate is not selected (decision email queued)."""
    with transaction.atomic():
        application = application_change_status(
            application=application, to_status=Status.NOT_SELECTED, by=by, message=message
        )
        notifications.decision_made(application.pk)
    return application


@transaction.atomic
def decision_decline(*, application: Application, by, message: str = "") -> Application | None:
    """A selected candidate declines: withdrawn, their Fellow and placement removed.

    Returns the next candidate of the défi's waiting list for the same profile (best jury
    score first, see ``selectors.waiting_list_next``) who may be offered the place, or None.
    """
    from .selectors import waiting_list_next

    application = _locked(application.pk)
    challenge = application.selected_challenge
    if application.status != Status.SELECTED or challenge is None:
        raise ValidationError(_("Seul·e un·e candidat·e retenu·e peut se désister."), code="state")
    fellow_id = application.fellow_id
    Application.objects.filter(pk=application.pk).update(fellow=None)
    if fellow_id:
        Fellow.objects.filter(pk=fellow_id).delete()
    Placement.objects.filter(application=application).delete()
    application_change_status(
        application=application, to_status=Status.WITHDRAWN, by=by, message=message
    )
    return waiting_list_next(challenge=challenge, profile=application.profile)
