"""The footer's mandatory pages (accessibility, legal notice, site map, personal data) and the
links to the personal-data notice from the forms that collect personal data."""

import re

import pytest
from django.test import Client
from django.urls import resolve, reverse

from eig_portal.pages import ACCESSIBILITY_AUDIT_DATE, SITE_MAP, personal_data_url
from tests.challenges.call_builders import make_agent, make_call

pytestmark = pytest.mark.django_db

FOOTER_PAGES = ["pages:accessibility", "pages:legal", "pages:sitemap", "privacy:public"]


@pytest.mark.parametrize("name", FOOTER_PAGES)
def test_footer_page_is_public_and_read_only(client, name):
    url = reverse(name)
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 405


def test_footer_links_to_the_four_mandatory_pages(client):
    html = client.get(reverse("home")).content.decode()
    footer = html[html.index('<footer class="fr-footer"') :]
    for url in (
        reverse("pages:accessibility"),
        reverse("pages:legal"),
        reverse("pages:sitemap"),
        personal_data_url(),
    ):
        assert f'class="fr-footer__bottom-link" href="{url}"' in footer
    assert "Accessibilité : partiellement conforme" in footer


def test_accessibility_statement_gives_status_method_date_and_contact(client, settings):
    settings.COORDINATORS_EMAIL = "accessibilite@eig.example.gouv.fr"
    html = client.get(reverse("pages:accessibility")).content.decode()
    assert "partiellement conforme" in html and "RGAA" in html
    assert "axe-core" in html and ACCESSIBILITY_AUDIT_DATE in html
    assert 'href="mailto:accessibilite@eig.example.gouv.fr"' in html
    assert "Défenseur des droits" in html


def test_legal_notice_names_publisher_and_configured_host(client, settings):
    settings.LEGAL_HOST = "Hébergeur Exemple, 1 rue de l'Exemple, 75000 Paris"
    html = client.get(reverse("pages:legal")).content.decode()
    assert "Direction interministérielle du numérique" in html
    assert "Hébergeur Exemple" in html
    assert "Licence Ouverte 2.0" in html


def test_site_map_lists_every_public_page_and_each_link_works(client):
    response = client.get(reverse("pages:sitemap"))
    links = response.context["links"]
    assert len(links) == len(SITE_MAP)
    html = response.content.decode()
    for label, url in links:
        assert f'href="{url}"' in html and label in html
        resolve(url)
        assert client.get(url).status_code == 200, url


def test_signup_and_proposal_form_link_to_the_personal_data_notice(client):
    notice = f'href="{personal_data_url()}"'
    assert notice in client.get(reverse("account_signup")).content.decode()

    call, agent = make_call(), make_agent()
    agent_client = Client()
    agent_client.force_login(agent)
    form = agent_client.get(reverse("calls:propose", args=[call.slug])).content.decode()
    main = form[: form.index('<footer class="fr-footer"')]
    assert notice in main


def test_required_sign_up_fields_carry_the_required_attribute(client):
    html = client.get(reverse("account_signup")).content.decode()
    email = re.search(r'<input[^>]*name="email"[^>]*>', html)[0]
    assert " required" in email


@pytest.mark.django_db
def test_the_notice_banner_follows_the_language_then_falls_back(client):
    """The DSFR notice edited in the admin: the configuration of the page's language, else the
    first one (as django-dsfr does), read in one query."""
    from dsfr.models import DsfrConfig

    DsfrConfig.objects.create(language="en", notice_title="Maintenance tonight")
    page = client.get("/").content.decode()
    assert "Maintenance tonight" in page  # no French one: the first one
    DsfrConfig.objects.create(language="fr", notice_title="Maintenance ce soir")
    assert "Maintenance ce soir" in client.get("/").content.decode()
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/").content.decode()
    assert '<html lang="en"' in english
    assert "Maintenance tonight" in english and "Maintenance ce soir" not in english


def test_the_footer_kept_between_pages_follows_the_language(client):
    """The footer is kept rendered per language: a page in English never gets the French one."""
    from django.conf import settings

    assert "Plan du site" in client.get("/").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/").content.decode()
    assert "Site map" in english and "Plan du site" not in english
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert "Plan du site" in client.get("/").content.decode()
