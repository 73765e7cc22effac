"""Accounts (django-allauth): people are named by their name, emails by the portal's name in the
reader's language, and sign-up answers the same for a known address.

With ``ACCOUNT_PREVENT_ENUMERATION`` allauth already answers « check your mailbox » in both
cases and mails the owner of a known address « you already have an account » instead of
creating one. But creating an account hashes the password (hundreds of milliseconds with
Django's PBKDF2) and the known-address path did not: the response time told which addresses
have an account. The known-address path now hashes a password too, so both take the same time.
"""

import secrets
from email.utils import formataddr, parseaddr

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils.encoding import force_str
from django.utils.translation import gettext


def user_display(user) -> str:
    """« Claire Dupont », else the email address: never the generated username."""
    return user.get_full_name().strip() or user.email or user.get_username()


def portal_from_email() -> str:
    """``DEFAULT_FROM_EMAIL``'s address under the portal's name in the active language
    (« Portail EIG » in French, « EIG Portal » in English)."""
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((gettext("Portail EIG"), address))


class PortalAccountAdapter(DefaultAccountAdapter):
    """The portal's allauth adapter (``ACCOUNT_ADAPTER``): subject prefixed and sender named
    with the portal's translated name; same work for a known address at sign-up."""

    def format_email_subject(self, subject) -> str:
        """« [Portail EIG] Confirmez votre adresse électronique »."""
        return f"[{gettext('Portail EIG')}] {force_str(subject).strip()}"

    def get_from_email(self) -> str:
        """The sender, named in the reader's language (see ``portal_from_email``)."""
        return portal_from_email()

    def send_account_already_exists_mail(self, email: str) -> None:
        """Mail « un compte existe déjà » to ``email`` (through ``send_mail``, like every account
        email) after hashing a throw-away password with the configured hasher, the work a new
        account's ``set_password`` does, so that sign-up takes the same time either way."""
        make_password(secrets.token_urlsafe(16))
        super().send_account_already_exists_mail(email)
