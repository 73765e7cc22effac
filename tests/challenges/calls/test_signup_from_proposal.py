"""Signing up from « Proposer un défi »: the person lands on the form they came for, the
verification email names them, and the login page offers « Mot de passe oublié ? » once."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from tests.challenges.call_builders import make_call
from tests.factories import AdministrationFactory

pytestmark = pytest.mark.django_db


def _signup_data(administration):
    return {
        "email": "alex.durand@example.gouv.fr",
        "first_name": "Alex",
        "last_name": "Durand",
        "administration": administration.pk,
        "password1": "un-mot-de-passe-solide-2027",
        "password2": "un-mot-de-passe-solide-2027",
    }


def test_after_sign_up_and_verification_the_person_lands_on_the_proposal_form(client):
    call = make_call()
    administration = AdministrationFactory(is_confirmed=True)
    propose = reverse("calls:propose", args=[call.slug])

    to_login = client.get(propose)
    assert to_login.status_code == 302
    login_page = client.get(to_login.url).content.decode()
    signup_link = re.search(r'<a href="([^"]*)">Créez un compte', login_page)[1]
    assert signup_link.startswith(reverse("account_signup")) and "next=" in signup_link

    signup_page = client.get(signup_link.replace("&amp;", "&")).content.decode()
    assert f'name="next" value="{propose}"' in signup_page
    response = client.post(
        reverse("account_signup"), {**_signup_data(administration), "next": propose}
    )
    assert response.status_code == 302

    body = mail.outbox[-1].body
    link = re.search(r"https?://\S+/comptes/confirm-email/\S+/", body)[0]
    confirmed = client.post(link.split("testserver", 1)[-1])
    assert confirmed.status_code == 302
    assert confirmed.url == propose


def test_the_verification_email_names_the_person_and_the_portal(client):
    administration = AdministrationFactory(is_confirmed=True)
    client.post(reverse("account_signup"), _signup_data(administration))

    message = mail.outbox[-1]
    assert "Alex Durand" in message.body
    assert not re.search(r"\buser\d+\b|\balex\.durand\b(?!@)", message.body)
    assert message.subject.startswith("[Portail EIG]")
    assert message.from_email.startswith("Portail EIG <")


def test_emails_name_the_portal_in_english_for_an_english_reader(client):
    administration = AdministrationFactory(is_confirmed=True)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    client.post(reverse("account_signup"), _signup_data(administration))

    message = mail.outbox[-1]
    with translation.override("en"):
        portal = translation.gettext("Portail EIG")
    assert portal != "Portail EIG"
    assert message.subject.startswith(f"[{portal}]") and portal in message.body
    assert message.from_email.startswith(f"{portal} <")
    assert "Alex Durand" in message.body


def test_the_login_page_offers_the_password_reset_once(client):
    html = client.get(reverse("account_login")).content.decode()
    assert html.count(reverse("account_reset_password")) == 1
