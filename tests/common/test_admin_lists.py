"""The portal's admin lists: one base for all (pages of 50, Django's selection boxes), search
boxes instead of sidebar lists for relations to large tables."""

from pathlib import Path

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import translation

from challenges.models import Challenge
from eig_portal.common.admin_lists import AutocompleteListFilter, PortalListMixin
from tests.factories import AdministrationFactory, ChallengeFactory

PORTAL_APPS = ("promotions", "challenges", "surveys")
PORTAL_ADMINS = sorted(
    (
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in PORTAL_APPS
    ),
    key=lambda item: item[0]._meta.label,
)
AUTOCOMPLETE_FILTERS = [
    (model, path)
    for model, model_admin in PORTAL_ADMINS
    for item in model_admin.list_filter
    if isinstance(item, (list, tuple)) and issubclass(item[1], AutocompleteListFilter)
    for path in [item[0]]
]


@pytest.mark.parametrize(
    "model,model_admin", PORTAL_ADMINS, ids=[m._meta.label for m, _ in PORTAL_ADMINS]
)
def test_every_list_of_the_portal_builds_on_the_portal_base(model, model_admin):
    assert isinstance(model_admin, PortalListMixin), model._meta.label
    assert model_admin.list_per_page >= 50
    assert model_admin.show_full_result_count is False  # no second count of the whole table


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_row_selection_box_is_the_one_django_renders(language):
    defi = Challenge(pk=7, title='<b>"Données & santé"</b> l\'été')

    class Portal(PortalListMixin, admin.ModelAdmin):
        pass

    with translation.override(language):
        django_box = admin.ModelAdmin(Challenge, admin.site).action_checkbox(defi)
        portal_box = Portal(Challenge, admin.site).action_checkbox(defi)
    assert portal_box == django_box


def test_autocomplete_filters_are_used_somewhere():
    assert {m._meta.label for m, _path in AUTOCOMPLETE_FILTERS} >= {
        "challenges.Application",
        "challenges.Challenge",
        "challenges.ChallengeProposal",
        "challenges.InterviewSlot",
        "promotions.Administration",
        "promotions.Mentor",
    }


def _last_field(model, path):
    """The model field at the end of ``path`` (``choices__challenge`` → the choice's défi)."""
    field = None
    for part in path.split("__"):
        field = model._meta.get_field(part)
        model = field.related_model
    return field


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model,path", AUTOCOMPLETE_FILTERS, ids=[f"{m.__name__}-{p}" for m, p in AUTOCOMPLETE_FILTERS]
)
def test_each_search_box_filter_finds_objects_for_a_coordinator(client, coordinator, model, path):
    AdministrationFactory(name="Agence du numérique en santé")
    ChallengeFactory(title="Santé des données")
    field = _last_field(model, path)
    related_admin = admin.site.get_model_admin(field.related_model)
    assert related_admin.get_search_fields(None), field.related_model

    client.force_login(coordinator)
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "term": "sant",
            "app_label": field.model._meta.app_label,
            "model_name": field.model._meta.model_name,
            "field_name": field.name,
        },
    )
    assert response.status_code == 200
    assert response.json()["results"], path

    changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    html = client.get(changelist).content.decode()
    assert "admin/js/autocomplete.js" in html and "js/admin-autocomplete-filter.js" in html
    assert f'name="{path}__id__exact"' in html


@pytest.mark.django_db
def test_a_long_list_shows_fifty_rows_a_page(client, coordinator):
    ChallengeFactory.create_batch(55)
    client.force_login(coordinator)
    url = reverse("admin:challenges_challenge_changelist")
    first = client.get(url).context["cl"]
    assert len(first.result_list) == 50 and first.result_count == 55
    assert len(client.get(url, {"p": 2}).context["cl"].result_list) == 5


@pytest.mark.django_db
def test_the_results_table_is_the_one_django_renders(client, coordinator):
    import django.contrib.admin
    from django.contrib.admin.templatetags.admin_list import result_list
    from django.template import engines
    from django.template.loader import get_template

    for i in range(3):
        ChallengeFactory(title=f'<i>"Défi" & co</i> {i}', slug=f"defi-co-{i}")
    client.force_login(coordinator)
    response = client.get(reverse("admin:challenges_challenge_changelist"))
    context = result_list(response.context["cl"])
    source = Path(django.contrib.admin.__file__).parent / "templates/admin/change_list_results.html"
    djangos = engines["django"].from_string(source.read_text())
    portal = get_template("admin/change_list_results.html")
    assert "join" in portal.template.source
    html = portal.render(context)
    assert (
        html.count("&lt;i&gt;&quot;Défi&quot; &amp;amp; co&lt;/i&gt;") or "&quot;Défi&quot;" in html
    )
    assert html == djangos.render(context)
