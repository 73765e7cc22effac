"""The admin's navigation sidebar is kept rendered, but every person still sees their own:
the models their permissions allow, the current one marked, in their language."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from eig_portal.common.admin_site import PortalAdminSite
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _sidebar(client, url) -> str:
    html = client.get(url).content.decode()
    return html[html.index('id="nav-sidebar"') : html.index("</nav>", html.index("nav-sidebar"))]


def _current(sidebar) -> list[str]:
    return re.findall(r'<a href="([^"]+)" aria-current="page"', sidebar)


def test_the_current_model_follows_the_page(client, coordinator):
    client.force_login(coordinator)
    challenges = reverse("admin:challenges_challenge_changelist")
    fellows = reverse("admin:promotions_fellow_changelist")
    assert _current(_sidebar(client, challenges)) == [challenges]
    assert _current(_sidebar(client, fellows)) == [fellows]
    assert _current(_sidebar(client, challenges + "?o=1")) == [challenges]


def test_each_person_sees_the_models_of_their_permissions(client, coordinator):
    client.force_login(coordinator)
    fellows = reverse("admin:promotions_fellow_changelist")
    challenges = reverse("admin:challenges_challenge_changelist")
    assert challenges in _sidebar(client, fellows)
    reader = UserFactory(is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_fellow"))
    client.force_login(reader)
    sidebar = _sidebar(client, fellows)
    assert fellows in sidebar and challenges not in sidebar
    reader.user_permissions.add(Permission.objects.get(codename="view_challenge"))
    assert challenges in _sidebar(client, fellows)  # a new permission shows at the next page


def test_a_removed_permission_leaves_the_sidebar_at_the_next_page(client, coordinator):
    client.force_login(coordinator)
    fellows = reverse("admin:promotions_fellow_changelist")
    surveys = reverse("admin:surveys_survey_changelist")
    assert surveys in _sidebar(client, fellows)
    limited = Group.objects.create(name="limited")
    limited.permissions.add(Permission.objects.get(codename="view_fellow"))
    coordinator.groups.set([limited])
    assert surveys not in _sidebar(client, fellows)


def test_the_sidebar_follows_the_language(client, coordinator, settings):
    client.force_login(coordinator)
    fellows = reverse("admin:promotions_fellow_changelist")
    assert "Start typing to filter" not in _sidebar(client, fellows)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Start typing to filter" in _sidebar(client, fellows)


def test_a_kept_sidebar_does_not_build_the_list_of_models(client, coordinator, monkeypatch):
    client.force_login(coordinator)
    url = reverse("admin:promotions_fellow_changelist")
    client.get(url)
    builds = []
    original = PortalAdminSite._build_app_dict
    monkeypatch.setattr(
        PortalAdminSite,
        "_build_app_dict",
        lambda self, *a, **k: builds.append(1) or original(self, *a, **k),
    )
    assert client.get(url).status_code == 200
    assert builds == []
    assert client.get(reverse("admin:index")).status_code == 200  # the index lists the models
    assert builds == [1]
