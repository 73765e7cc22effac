"""Personal link tokens (no account needed): questionnaire invitations, event invitations,
calendar feeds, follow-up links, outcome requests, alumni entries.

A token is HMAC-SHA256(key, ``token_seed``) in URL-safe base64 (43 characters, 256 bits); the
seed is ``secrets.token_urlsafe(32)``. The database stores the seed and the SHA-256 of the token
(unique, indexed, used for look-up), never the token: a database dump alone gives no working
link, while the portal can rebuild the link for reminders. Any model with ``token_seed`` and
``token_hash`` fields works with ``set_new_token`` and ``invitation_token``. The key is
``settings.SURVEY_TOKEN_KEY`` when set, else ``SECRET_KEY`` (rotating it invalidates every link).
"""

import base64
import hashlib
import hmac
import secrets

from django.conf import settings

TOKEN_BYTES = 32


def new_seed():
    """A fresh random seed (256 bits)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def _key():
    return (settings.SURVEY_TOKEN_KEY or settings.SECRET_KEY).encode()


def token_for_seed(seed):
    """The token (URL-safe, 43 characters) derived from a seed."""
    digest = hmac.new(_key(), seed.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def hash_token(token):
    """SHA-256 hex digest of a token, the value stored in ``Invitation.token_hash``."""
    return hashlib.sha256(token.encode()).hexdigest()


def set_new_token(invitation):
    """Give ``invitation`` a new seed and hash (not saved); return the new token."""
    invitation.token_seed = new_seed()
    token = token_for_seed(invitation.token_seed)
    invitation.token_hash = hash_token(token)
    return token


def invitation_token(invitation):
    """The token of an invitation's personal link."""
    return token_for_seed(invitation.token_seed)
