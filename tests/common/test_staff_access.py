"""Every coordinators' page, export, import and API endpoint is refused to a staff account
without permissions and open to a coordinator (``eig_portal.common.access``).

The URLconf is walked: a new URL must be classified here (staff or public) or this test fails.
Django's own admin pages check model permissions themselves; its custom views are listed.
"""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from eig_portal.common.access import user_is_coordinator
from tests.factories import QuestionFactory, SurveyFactory, UserFactory

from .urlconf import all_routes

#: Coordinators' URLs (outside the admin's own model pages): name → methods the view accepts.
STAFF_ROUTES = {
    "survey_results:index": ("get",),
    "survey_results:followup": ("get",),
    "survey_results:results": ("get",),
    "survey_results:text_answers": ("get",),
    "survey_results:export_csv": ("get",),
    "survey_results:export_xlsx": ("get",),
    "survey_results:export_later": ("post",),
    "survey_results:export_download": ("get",),
    "survey_results:import": ("get", "post"),
    "promotions:dashboard": ("get",),
    "api:survey-results": ("get",),
    "admin:challenges_challengeproposal_compare": ("get",),
    "admin:challenges_juryassignment_invite": ("get", "post"),
    "followup:board": ("get",),
    "events:list": ("get",),
    "privacy:register": ("get",),
    "privacy:person": ("get",),
    "privacy:notices": ("get",),
}
#: Coordinators' pages of the call for candidates, guarded by ``recruitment.access``
#: (the ``coordinators`` group) and tested with their objects in tests/challenges.
STAFF_ROUTES_TESTED_IN_THEIR_APP = {
    "recruitment:slots",
    "recruitment:matching",
    "admin:challenges_application_import",
}
#: Pages of events, alumni, follow-up, privacy and site pages: they came with their own access
#: checks and tests; the coordinators' ones among them are to join STAFF_ROUTES.
OWN_GUARDS_TO_WALK = {
    "events:answer", "events:invitation_ics", "events:calendar", "events:calendar_feed",
    "events:roll_call", "alumni:directory", "alumni:edit",
    "followup:team", "followup:team_expertise", "followup:team_digest", "followup:realisations",
    "followup:outcome", "privacy:public", "privacy:my_data", "privacy:my_data_download",
    "privacy:person_download", "privacy:person_erase", "privacy:notice_extend", "pages:accessibility", "pages:legal",
    "pages:sitemap",
}  # fmt: skip
#: Public pages, pages behind a personal link and per-object pages (tested in their apps).
PUBLIC_ROUTES = {
    "recruitment:signup",
    "recruitment:application",
    "recruitment:submit",
    "recruitment:cv",
    "recruitment:withdraw",
    "recruitment:delete",
    "recruitment:data",
    "recruitment:edit",
    "recruitment:interview_book",
    "recruitment:jury_home",
    "recruitment:jury_challenge",
    "recruitment:jury_ranking",
    "recruitment:jury_export",
    "recruitment:jury_review",
    "recruitment:jury_conflict",
    "recruitment:jury_cv",
    "recruitment:call",
    "recruitment:apply",
    "home",
    "set_language",
    "invitation_accept",
    "admin_login_redirect",
    "api:figures",
    "api:promotions",
    "api:challenges",
    "api:schema",
    "api:docs",
    "promotions:list",
    "promotions:open_data",
    "promotions:detail",
    "challenges:list",
    "challenges:detail",
    "calls:list",
    "calls:detail",
    "calls:propose",
    "proposals:list",
    "proposals:after_login",
    "proposals:detail",
    "proposals:edit",
    "proposals:submit",
    "proposals:withdraw",
    "proposals:attachment",
    "proposals:attachment_delete",
    "jury:list",
    "jury:review",
    "jury:review_confirm",
    "jury:conflict",
    "jury:attachment",
    "surveys:start",
    "surveys:section",
    "surveys:saved",
    "surveys:review",
    "surveys:done",
    "surveys:unsubscribe",
}
#: Accounts (allauth) guard themselves.
SELF_GUARDED_MODULES = ("allauth.",)
#: The portal's own modules: an admin view written there is a custom view and must be listed.
PORTAL_MODULES = ("challenges", "surveys", "promotions", "eig_portal")


def _classified(route) -> bool:
    if route.name in STAFF_ROUTES or route.name in PUBLIC_ROUTES:
        return True
    if route.name in STAFF_ROUTES_TESTED_IN_THEIR_APP or route.name in OWN_GUARDS_TO_WALK:
        return True
    if route.name.startswith("admin:"):
        # Model pages of Django, import-export, simple-history and celery-beat check model
        # permissions; a custom view of the portal's admin classes must be in STAFF_ROUTES.
        return not route.module.startswith(PORTAL_MODULES)
    return route.module.startswith(SELF_GUARDED_MODULES)


def test_every_url_is_classified():
    """A URL added without deciding who may open it fails here."""
    unclassified = [r.name for r in all_routes() if not _classified(r)]
    assert unclassified == []
    names = {r.name for r in all_routes()}
    assert set(STAFF_ROUTES) <= names  # the list follows the URLconf


@pytest.fixture
def staff_urls(db):
    survey = SurveyFactory(code="suivi")
    question = QuestionFactory(section__survey=survey, code="texte", type="long_text")
    values = {"code": survey.code, "question_code": question.code, "token": "0" * 32}
    urls = {}
    for route in all_routes():
        if route.name in STAFF_ROUTES:
            urls[route.name] = reverse(route.name, kwargs={p: values[p] for p in route.params})
    return urls


@pytest.fixture
def bare_staff(db):
    """A staff account (may log into the admin) without any permission nor group."""
    return UserFactory(is_staff=True)


def _request(client, method, url):
    if method == "post":
        return client.post(url, {})
    return client.get(url)


@pytest.mark.django_db
def test_every_staff_url_refused_to_staff_without_permission(client, bare_staff, staff_urls):
    client.force_login(bare_staff)
    attempts = refused = 0
    for name, url in staff_urls.items():
        for method in STAFF_ROUTES[name]:
            response = _request(client, method, url)
            attempts += 1
            refused += response.status_code == 403
            assert response.status_code == 403, (name, method, response.status_code)
    assert attempts == refused == 20


@pytest.mark.django_db
def test_every_staff_url_sends_anonymous_to_login(client, staff_urls):
    for name, url in staff_urls.items():
        for method in STAFF_ROUTES[name]:
            response = _request(client, method, url)
            assert response.status_code in (302, 401, 403), (name, method)
            if response.status_code == 302:
                assert "login" in response["Location"] or "connexion" in response["Location"]


@pytest.mark.django_db
def test_every_staff_url_open_to_a_coordinator(client, coordinator, staff_urls):
    client.force_login(coordinator)
    for name, url in staff_urls.items():
        if "get" in STAFF_ROUTES[name]:
            response = client.get(url)
            # The comparison page with no proposal chosen sends back to the list.
            expected = (302,) if name.endswith("_compare") else (200,)
            assert response.status_code in expected, (name, response.status_code)
        else:
            assert client.get(url).status_code == 405, name


@pytest.mark.django_db
def test_precise_permission_is_enough_without_the_group(client, staff_urls):
    """A staff member given only ``surveys.view_response`` reads the follow-up, not the import."""
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_response"))
    client.force_login(user)
    assert client.get(staff_urls["survey_results:index"]).status_code == 200
    assert client.get(staff_urls["api:survey-results"]).status_code == 200
    assert client.get(staff_urls["survey_results:import"]).status_code == 403
    assert client.get(staff_urls["promotions:dashboard"]).status_code == 403


@pytest.mark.django_db
def test_staff_without_permission_reads_no_proposal(client, bare_staff):
    from challenges.calls.access import proposals_readable_by

    assert not user_is_coordinator(bare_staff, "challenges.view_challengeproposal")
    assert proposals_readable_by(bare_staff).query.is_empty()


@pytest.mark.django_db
def test_inactive_or_anonymous_is_never_coordinator(coordinator):
    from django.contrib.auth.models import AnonymousUser

    assert user_is_coordinator(coordinator, "surveys.view_response")
    coordinator.is_active = False
    assert not user_is_coordinator(coordinator, "surveys.view_response")
    assert not user_is_coordinator(AnonymousUser(), "surveys.view_response")


def test_the_header_offers_only_the_pages_a_staff_member_may_open(client, coordinator):
    dashboard, results = reverse("promotions:dashboard"), reverse("survey_results:index")
    plain = UserFactory(is_staff=True)
    client.force_login(plain)
    html = client.get("/").content.decode()
    assert f'href="{dashboard}"' not in html and f'href="{results}"' not in html
    plain.user_permissions.add(Permission.objects.get(codename="view_promotion"))
    html = client.get("/").content.decode()
    assert f'href="{dashboard}"' in html and f'href="{results}"' not in html
    client.force_login(coordinator)
    html = client.get("/").content.decode()
    assert f'href="{dashboard}"' in html and f'href="{results}"' in html


def test_the_admin_index_shows_staff_only_what_they_may_open(client, coordinator):
    """No link to a page that answers 403, and no proposal title without the permission."""
    from django.utils import timezone

    from challenges.calls.models import JuryAssignment
    from tests.challenges.call_builders import make_call, make_proposal

    proposal = make_proposal(make_call(), title="Défi sans juré")
    JuryAssignment.objects.create(
        proposal=proposal,
        juror=UserFactory(),
        conflict_of_interest=True,
        conflict_declared_at=timezone.now(),
    )
    dashboard, results = reverse("promotions:dashboard"), reverse("survey_results:index")
    plain = UserFactory(is_staff=True)
    client.force_login(plain)
    html = client.get(reverse("admin:index")).content.decode()
    assert dashboard not in html and results not in html and "Défi sans juré" not in html
    client.force_login(coordinator)
    html = client.get(reverse("admin:index")).content.decode()
    assert dashboard in html and results in html and "Défi sans juré" in html
