"""Site-wide pages answer."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_home_page_renders_in_french(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert 'lang="fr"' in response.content.decode()


@pytest.mark.django_db
def test_dashboard_requires_staff(client, django_user_model):
    url = reverse("promotions:dashboard")
    assert client.get(url).status_code == 302
    user = django_user_model.objects.create_user("agent", password="x-pass-123456")
    client.force_login(user)
    assert client.get(url).status_code == 403  # logged in without the coordinators' permission
