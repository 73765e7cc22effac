"""``setup_demo`` never prints a questionnaire link whose response was already sent."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from eig_portal.common.tokens import invitation_token
from surveys.models import Invitation, Response

pytestmark = pytest.mark.django_db
LINK = re.compile(r"Lien personnel de démonstration \(eig-2019-fellows, [^)]*\) : (\S+)")


@pytest.fixture
def demo_settings(settings):
    settings.DEBUG = True  # setup_demo refuses to run with DEBUG off
    settings.SITE_URL = "http://127.0.0.1:8000"
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    return settings


def test_setup_demo_does_not_print_a_link_already_answered(real_data, demo_settings):
    out = StringIO()
    call_command("setup_demo", stdout=out)
    first_link = LINK.search(out.getvalue())[1]
    invitation = next(
        i
        for i in Invitation.objects.filter(survey__code="eig-2019-fellows")
        if first_link.endswith(f"/r/{invitation_token(i)}/")
    )
    Response.objects.update_or_create(
        invitation=invitation,
        defaults={
            "survey": invitation.survey,
            "role": invitation.role,
            "promotion": invitation.promotion,
            "status": Response.Status.SUBMITTED,
            "submitted_at": invitation.created_at,
        },
    )

    again = StringIO()
    call_command("setup_demo", stdout=again)
    second_link = LINK.search(again.getvalue())[1]
    assert second_link != first_link
