"""allauth adapter: sign-up does the same work and answers the same for a known address.

With ``ACCOUNT_PREVENT_ENUMERATION`` allauth already answers « check your mailbox » in both
cases and mails the owner of a known address « you already have an account » instead of
creating one. But creating an account hashes the password (hundreds of milliseconds with
Django's PBKDF2) and the known-address path did not: the response time told which addresses
have an account. The known-address path now hashes a password too, so both take the same time.
"""

import secrets

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth.hashers import make_password


class PortalAccountAdapter(DefaultAccountAdapter):
    """The portal's allauth adapter (``ACCOUNT_ADAPTER``)."""

    def send_account_already_exists_mail(self, email: str) -> None:
        """Mail « un compte existe déjà » to ``email`` (through ``send_mail``, like every account
        email) after hashing a throw-away password with the configured hasher, the work a new
        account's ``set_password`` does, so that sign-up takes the same time either way."""
        make_password(secrets.token_urlsafe(16))
        super().send_account_already_exists_mail(email)
