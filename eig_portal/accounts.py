"""Accounts (django-allauth): people are named by their name, emails by the portal's name in the
reader's language."""

from email.utils import formataddr, parseaddr

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
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
    """allauth's emails: subject prefixed and sender named with the portal's translated name."""

    def format_email_subject(self, subject) -> str:
        """« [Portail EIG] Confirmez votre adresse électronique »."""
        return f"[{gettext('Portail EIG')}] {force_str(subject).strip()}"

    def get_from_email(self) -> str:
        """The sender, named in the reader's language (see ``portal_from_email``)."""
        return portal_from_email()
