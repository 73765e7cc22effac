"""No input gives a 500: NUL characters, overlong, non-numeric, out-of-range and malformed
values sent to every query parameter and form of the site and the admin, and to the imports.

Each answer must be a 2xx/3xx page (the value ignored or reported next to its field) or a 4xx.
The URLconf and the admin registry are walked, so new pages are covered without editing this.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import NoReverseMatch, reverse

from eig_portal.common.limits import TEXT_MAX_LENGTH
from tests.factories import (
    ChallengeFactory,
    PromotionFactory,
    QuestionFactory,
    SurveyFactory,
    UserFactory,
)

from .forms import post_forms
from .urlconf import all_routes

pytestmark = pytest.mark.django_db

BAD_VALUES = [
    "\x00",
    "a\x00b",
    "9" * 40,  # overflows every integer column
    "-1",
    "abc",
    "1e999",
    "2027-13-45",
    "<script>x</script>",
    "x" * 3000,
    "",
]
#: Query parameters read by the portal's pages and API, plus the usual suspects.
QUERY_PARAMS = [
    "q", "page", "page_size", "sort", "o", "status", "promotion", "promotions", "role", "theme",
    "expertise", "year", "administration", "call", "export", "sep", "format", "ids", "next",
    "e", "p", "all", "section", "profile", "search", "ordering", "lang",
]  # fmt: skip


def _counted(outcomes, response, what):
    outcomes.append(response.status_code)
    assert response.status_code < 500, (what, response.status_code)


@pytest.fixture
def objects(db):
    promotion = PromotionFactory()
    challenge = ChallengeFactory(promotions=[promotion]) if _has_m2m() else ChallengeFactory()
    survey = SurveyFactory(code="questionnaire")
    question = QuestionFactory(section__survey=survey, code="texte", type="long_text")
    return {
        "slug": None,
        "promotion_slug": promotion.slug,
        "challenge_slug": challenge.slug,
        "code": survey.code,
        "question_code": question.code,
        "token": "0" * 32,
        "pk": 1,
        "attachment_pk": 1,
        "number": 1,
        "step": "contexte",
    }


def _has_m2m() -> bool:
    from challenges.models import Challenge

    return any(f.name == "promotions" for f in Challenge._meta.get_fields())


def _site_urls(objects) -> list[str]:
    urls = []
    for route in all_routes():
        if route.name.startswith("admin:") or route.module.startswith("allauth."):
            continue
        values = dict(objects)
        values["slug"] = (
            objects["challenge_slug"]
            if route.name.startswith("challenges:")
            else objects["promotion_slug"]
        )
        try:
            urls.append(reverse(route.name, kwargs={p: values[p] for p in route.params}))
        except (KeyError, NoReverseMatch):
            continue
    return urls


def test_every_query_parameter_of_every_page(client, coordinator, objects):
    outcomes = []
    urls = _site_urls(objects) + [reverse("account_login"), reverse("account_signup")]
    for who in (None, coordinator):
        if who is not None:
            client.force_login(who)
        for url in urls:
            for value in BAD_VALUES:
                response = client.get(url, {name: value for name in QUERY_PARAMS})
                _counted(outcomes, response, (url, repr(value[:20])))
    assert len(outcomes) >= 2 * 30 * len(BAD_VALUES)
    print(f"query parameters: {len(outcomes)} requests, {sum(s >= 400 for s in outcomes)} refused")


def test_nul_characters_anywhere_are_refused_with_400(client, coordinator, objects):
    client.force_login(coordinator)
    assert client.get("/promotions/", {"q": "\x00"}).status_code == 400
    assert client.get("/promotions/%00/").status_code in (400, 404)
    assert client.post(reverse("account_login"), {"login": "a\x00"}).status_code == 400
    assert client.get("/admin/challenges/challenge/", {"title": "\x00"}).status_code == 400


def _filter_params(model_admin) -> list[str]:
    """Parameters of the changelist's filters, search, sort, page and date hierarchy."""
    names = ["q", "p", "o", "e", "all", "_to_field", "_popup"]
    model = model_admin.model
    for entry in model_admin.list_filter:
        if isinstance(entry, type):  # a SimpleListFilter
            names.append(entry.parameter_name)
            continue
        path = entry[0] if isinstance(entry, tuple | list) else entry
        names += [f"{path}__exact", f"{path}__isnull", f"{path}__id__exact"]
        names += [f"{path}__gte", f"{path}__year", f"{path}__month"]
    if model_admin.date_hierarchy:
        dh = model_admin.date_hierarchy
        names += [f"{dh}__year", f"{dh}__month", f"{dh}__day"]
    for field in model._meta.fields:
        if isinstance(field, models.DateField | models.DateTimeField):
            names.append(f"{field.name}__year")
    return names


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_every_admin_changelist_filter(superuser_client, objects):
    outcomes = []
    for model, model_admin in admin.site._registry.items():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for name in _filter_params(model_admin):
            for value in ("9" * 40, "-1", "abc"):
                response = superuser_client.get(url, {name: value})
                _counted(outcomes, response, (url, name, repr(value[:20])))
    assert len(outcomes) > 500
    print(f"admin filters: {len(outcomes)} requests, {sum(s >= 400 for s in outcomes)} refused")


def _post_every_form(client, page_url, outcomes):
    page = client.get(page_url)
    if page.status_code != 200 or "text/html" not in page.get("Content-Type", ""):
        return
    for form in post_forms(page.content.decode()):
        target = form.action or page_url
        if target.startswith(("http", "/i18n/")) or "logout" in target:
            continue
        for value in ("\x00", "9" * 40, "-1", "abc", "2027-13-45", "x" * (TEXT_MAX_LENGTH + 1)):
            data = {name: value for name, kind in form.fields.items() if kind != "file"}
            data.update(form.hidden)
            response = client.post(target, data)
            _counted(outcomes, response, (page_url, target, repr(value[:20])))


def test_every_form_of_the_site_and_the_admin(superuser_client, objects):
    outcomes = []
    pages = _site_urls(objects) + [reverse("account_login"), reverse("account_signup")]
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        pages.append(reverse("admin:{}_{}_add".format(*info)))
    for page_url in pages:
        _post_every_form(superuser_client, page_url, outcomes)
    assert len(outcomes) > 100
    print(f"forms: {len(outcomes)} posts, {sum(s >= 400 for s in outcomes)} refused")


def test_every_free_text_field_of_the_portal_has_a_maximum_length():
    from django.apps import apps

    unbounded = [
        f"{model._meta.label}.{field.name}"
        for app in ("promotions", "surveys", "challenges")
        for model in apps.get_app_config(app).get_models()
        for field in model._meta.fields
        if isinstance(field, models.TextField) and not field.max_length
    ]
    assert unbounded == []


def test_an_overlong_free_text_is_refused_with_a_clear_message(superuser_client):
    from django.core.exceptions import ValidationError

    from promotions.models import PrintedTotal

    note = PrintedTotal._meta.get_field("note")
    form_field = note.formfield()
    with pytest.raises(ValidationError) as error:
        form_field.clean("x" * 2_000_000)
    assert "20000" in str(error.value) or "20 000" in str(error.value)
    with pytest.raises(ValidationError):
        note.run_validators("x" * (TEXT_MAX_LENGTH + 1))
    note.run_validators("x" * TEXT_MAX_LENGTH)


def test_import_responses_with_a_nul_in_row_500_names_row_and_column(client, coordinator, objects):
    client.force_login(coordinator)
    lines = ["respondent,role,promotion,texte"]
    lines += [f"r{n},fellow,,réponse {n}" for n in range(2, 502)]
    lines[499] = "r500,fellow,,répo\x00nse"
    upload = SimpleUploadedFile("reponses.csv", "\n".join(lines).encode(), "text/csv")
    url = reverse("survey_results:import", args=[objects["code"]])
    response = client.post(url, {"file": upload})
    assert response.status_code == 400  # the page again, listing the errors
    text = response.content.decode()
    assert "ligne 500" in text and "texte" in text and "caractère nul" in text
    from surveys.models import Response

    assert not Response.objects.exists()
