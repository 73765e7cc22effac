"""Roles granted from an email address (a juror today; a mentor, a candidate, an EIG tomorrow).

One mechanism for every such role: ``role_invitation_create`` stores a ``RoleInvitation`` (the
SHA-256 of a random token, valid ``INVITATION_VALID_DAYS`` days) and returns the token for the
email link; ``role_invitation_accept`` is called by whoever opens the link — which proves they
control the mailbox — with the password they choose. Only then is the role granted (through
the function its app registered with ``role_register``), the address marked verified and the
password set; an account that already existed under that address keeps its data but not its
password, so a stranger who signed up with someone else's address loses the way in.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import RoleInvitation

#: Days an invitation link stays valid.
INVITATION_VALID_DAYS = 7

_ROLES: dict[str, Callable] = {}


def role_register(role: str, grant: Callable) -> None:
    """Declare ``role``: ``grant(user, context)`` gives it once an invitation is accepted
    (idempotent; ``context`` is the invitation's, e.g. the défi)."""
    _ROLES[role] = grant


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def role_invitation_create(
    *,
    email: str,
    role: str,
    invited_by,
    first_name: str = "",
    last_name: str = "",
    context: dict | None = None,
) -> tuple[RoleInvitation, str]:
    """A new invitation of ``email`` to ``role`` and its link's token (shown once, never
    stored). Earlier pending invitations of the same address to the same role expire now.
    Raises ``ValueError`` for a role nobody registered."""
    if role not in _ROLES:
        raise ValueError(f"unknown role {role!r}")
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    email = email.strip().lower()
    with transaction.atomic():
        RoleInvitation.objects.filter(
            email__iexact=email,
            role=role,
            context=context or {},
            accepted_at__isnull=True,
            expires_at__gt=now,
        ).update(expires_at=now)
        invitation = RoleInvitation.objects.create(
            email=email,
            role=role,
            first_name=first_name,
            last_name=last_name,
            context=context or {},
            token_hash=_hash(token),
            invited_by=invited_by,
            expires_at=now + timedelta(days=INVITATION_VALID_DAYS),
        )
    return invitation, token


def role_invitation_pending(token: str) -> RoleInvitation | None:
    """The invitation of ``token`` if not accepted nor expired, else None."""
    if not token or len(token) > 100:
        return None
    return RoleInvitation.objects.filter(
        token_hash=_hash(token), accepted_at__isnull=True, expires_at__gt=timezone.now()
    ).first()


def _account_for(invitation: RoleInvitation):
    from allauth.account.models import EmailAddress

    User = get_user_model()
    users = list(
        User.objects.filter(
            Q(email__iexact=invitation.email)
            | Q(
                pk__in=EmailAddress.objects.filter(email__iexact=invitation.email).values("user_id")
            )
        ).order_by("pk")[:2]
    )
    if len(users) > 1:
        raise ValidationError(_("Plusieurs comptes utilisent cette adresse : contactez l'équipe."))
    if users and not users[0].is_active:
        raise ValidationError(_("Ce compte est désactivé : contactez l'équipe."))
    if users:
        return users[0]
    user = User(email=invitation.email, first_name=invitation.first_name)
    user.last_name = invitation.last_name
    from allauth.account.adapter import get_adapter

    get_adapter().populate_username(None, user)
    return user


def role_invitation_accept(*, token: str, password: str):
    """Accept the invitation of ``token`` with the chosen ``password``; returns the user.

    Creates the account if none uses the address, else takes the existing one and replaces
    its password; marks the address verified (primary if it has none), grants the role and
    closes the invitation. Raises ``ValidationError`` for an unknown, used or expired link,
    a password refused by the validators, or an address shared by several accounts.
    """
    from allauth.account.models import EmailAddress

    with transaction.atomic():
        invitation = (
            RoleInvitation.objects.select_for_update()
            .filter(pk=getattr(role_invitation_pending(token), "pk", None))
            .first()
        )
        if invitation is None or invitation.accepted_at is not None:
            raise ValidationError(_("Ce lien d'invitation n'est plus valable."))
        user = _account_for(invitation)
        password_validation.validate_password(password, user)
        user.set_password(password)
        user.save()
        address = EmailAddress.objects.filter(user=user, email__iexact=invitation.email).first()
        has_primary = EmailAddress.objects.filter(user=user, primary=True).exists()
        if address is None:
            address = EmailAddress(user=user, email=invitation.email, primary=not has_primary)
        address.verified = True
        address.primary = address.primary or not has_primary
        address.save()
        _ROLES[invitation.role](user, invitation.context)
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return user
