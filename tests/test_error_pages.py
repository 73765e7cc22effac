"""Error pages (404, 403, 500) are DSFR pages of the portal, not Django's bare text."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.views import defaults


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/defis/ce-defi-n-existe-pas/", "/promotions/eig-999/", "/pas-une-page/"]
)
def test_unknown_address_gives_the_portal_404_page(client, path):
    response = client.get(path)
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page non trouvée" in html
    assert 'class="fr-header"' in html and 'lang="fr"' in html
    assert reverse("challenges:list") in html  # a way back


@pytest.mark.django_db
def test_403_page_is_a_portal_page(rf: RequestFactory):
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied

    request = rf.get("/")
    request.user = AnonymousUser()
    response = defaults.permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    html = response.content.decode()
    assert "Accès refusé" in html and 'class="fr-header"' in html


@pytest.mark.django_db
def test_500_page_renders_without_a_request_context(rf: RequestFactory):
    response = defaults.server_error(rf.get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Erreur inattendue" in html and 'class="fr-header"' in html


@pytest.mark.django_db
def test_api_docs_page_has_a_language_and_no_external_asset(client):
    html = client.get(reverse("api:docs")).content.decode()
    assert '<html lang="fr">' in html
    assert "googleapis" not in html and "gstatic" not in html
    assert "https://" not in html.split("<body>")[0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "current"),
    [
        ("promotions:list", "Promotions"),
        ("promotions:open_data", "Données ouvertes"),
        ("challenges:list", "Défis"),
    ],
)
def test_one_menu_entry_is_the_current_page(client, url_name, current):
    import re

    html = client.get(reverse(url_name)).content.decode()
    nav = html.split('id="header-navigation"')[1].split("</nav>")[0]
    currents = re.findall(r'aria-current="page">([^<]+)<', nav)
    assert currents == [current]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/defis/%00/", "/defis/a%00b/", "/promotions/%00/"])
def test_nul_character_in_an_address_is_a_400_not_a_500(client, path):
    """PostgreSQL refuses NUL in a query: such an address is refused before any view."""
    assert client.get(path).status_code == 400


@pytest.mark.django_db
def test_challenge_with_an_accented_slug_still_opens(client):
    from tests.factories import ChallengeFactory

    challenge = ChallengeFactory(slug="aides-simplifiées", title="Aides simplifiées")
    response = client.get(challenge.get_absolute_url())
    assert response.status_code == 200
    assert "<h1>Aides simplifiées</h1>" in response.content.decode()


@pytest.mark.django_db
def test_400_page_is_a_french_portal_page(rf: RequestFactory):
    from django.core.exceptions import SuspiciousOperation

    request = rf.get("/")
    response = defaults.bad_request(request, SuspiciousOperation())
    assert response.status_code == 400
    html = response.content.decode()
    assert "Demande incorrecte" in html and 'class="fr-header"' in html
    assert "Bad Request" not in html
