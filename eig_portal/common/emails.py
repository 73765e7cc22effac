"""Email sending for the call for projects: templated, in French, sent at most once per key.

Templates are ``templates/emails/<name>_subject.txt`` / ``_body.txt`` / ``_body.html``.
``send_once`` is what makes the Celery tasks idempotent: a ``NotificationLog`` row with a unique
``key`` is inserted in the same transaction as the sending, so a retried or duplicated task finds
the row and sends nothing, and a failed sending rolls the row back so a retry sends again.
"""

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation

from .models import NotificationLog


def render_email(name: str, context: dict) -> tuple[str, str, str]:
    """Render ``(subject, text body, html body)`` of the email template ``name``, in French."""
    context = {"site_url": settings.SITE_URL.rstrip("/"), **context}
    with translation.override("fr"):
        subject = render_to_string(f"emails/{name}_subject.txt", context)
        text = render_to_string(f"emails/{name}_body.txt", context)
        html = render_to_string(f"emails/{name}_body.html", context)
    return " ".join(subject.split()), text, html


def send_once(
    *,
    key: str,
    name: str,
    recipients: Iterable[str],
    context: dict,
    attachments: Iterable[tuple[str, bytes, str]] = (),
) -> bool:
    """Send email ``name`` to ``recipients`` unless ``key`` was already sent; True if sent now.

    ``attachments``: ``(filename, content, mimetype)`` triples (an ``.ics`` invitation, …).

    Blank and duplicate addresses are dropped; with no address left nothing is sent or logged.
    A concurrent duplicate blocks on the unique key until the first one commits, then skips.
    """
    to = sorted({r.strip().lower() for r in recipients if r and r.strip()})
    if not to:
        return False
    subject, text, html = render_email(name, context)
    with transaction.atomic():
        try:
            with transaction.atomic():
                NotificationLog.objects.create(key=key, recipients=", ".join(to))
        except IntegrityError:
            return False
        message = EmailMultiAlternatives(
            subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=to
        )
        message.attach_alternative(html, "text/html")
        for filename, content, mimetype in attachments:
            message.attach(filename, content, mimetype)
        message.send()
    return True
