"""allauth's « logged in » message names the person, not their username."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.messages import get_messages
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("first_name", "last_name", "expected"),
    [
        ("Claire", "Dupont-Lévy", "Vous êtes connecté·e : bienvenue, Claire Dupont-Lévy."),
        ("", "", "Vous êtes connecté·e : bienvenue, claire@example.gouv.fr."),
    ],
)
def test_login_message_uses_full_name_or_email(client, first_name, last_name, expected):
    user = UserFactory(
        username="claire",
        email="claire@example.gouv.fr",
        first_name=first_name,
        last_name=last_name,
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "user-pass-2027"}
    )

    assert response.status_code == 302
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert texts == [expected]
    assert "claire réussie" not in " ".join(texts)
