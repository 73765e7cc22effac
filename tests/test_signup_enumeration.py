"""Sign-up does not tell which addresses have an account: same answer, same work.

For a known address allauth mails « vous avez déjà un compte » instead of creating one; the
response must be the same as for a new address, and the work too (the password hashing that
creating an account does), so that timing does not tell either.
"""

import re

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core import mail
from django.urls import reverse

from tests.factories import AdministrationFactory, UserFactory

pytestmark = pytest.mark.django_db
HASHES = []


class CountingHasher(PBKDF2PasswordHasher):
    """PBKDF2 with few iterations, counting each hash computed."""

    iterations = 1000

    def encode(self, password, salt, iterations=None):
        HASHES.append(1)
        return super().encode(password, salt, iterations)


def _sign_up(client, email, administration):
    return client.post(
        reverse("account_signup"),
        {
            "email": email,
            "first_name": "Alex",
            "last_name": "Durand",
            "administration": administration.pk,
            "password1": "un-mot-de-passe-solide-2027",
            "password2": "un-mot-de-passe-solide-2027",
        },
        follow=True,
    )


def _normalised(response, email):
    """The page without what changes on every request (tokens) or is the typed address."""
    html = response.content.decode().replace(email, "ADDRESS")
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'nonce="[^"]+"', "", html)


def test_known_and_unknown_addresses_get_the_same_answer_after_the_same_work(client, settings):
    settings.PASSWORD_HASHERS = ["tests.test_signup_enumeration.CountingHasher"]
    administration = AdministrationFactory()
    UserFactory(email="deja@example.gouv.fr")
    HASHES.clear()

    known = _sign_up(client, "deja@example.gouv.fr", administration)
    known_hashes = len(HASHES)
    HASHES.clear()
    unknown = _sign_up(client, "nouveau@example.gouv.fr", administration)
    unknown_hashes = len(HASHES)

    assert known.redirect_chain == unknown.redirect_chain
    assert known.redirect_chain[-1][0] == reverse("account_email_verification_sent")
    assert known.status_code == unknown.status_code == 200
    assert _normalised(known, "deja@example.gouv.fr") == _normalised(
        unknown, "nouveau@example.gouv.fr"
    )
    assert known_hashes == unknown_hashes == 1  # the known path hashes a password too

    # Each address got one email; the known one says an account exists (no second account).
    assert [m.to for m in mail.outbox] == [["deja@example.gouv.fr"], ["nouveau@example.gouv.fr"]]
    assert "confirm-email" not in mail.outbox[0].body
    assert "confirm-email" in mail.outbox[1].body
