"""The Django admin coordinators work in: pages, search, filters, CSV/XLSX export, access."""

import io

import openpyxl
import pytest
from django.urls import reverse

from challenges.models import Challenge, Expertise, Theme
from promotions.models import (
    Administration,
    BudgetLine,
    DeclaredFigure,
    Fellow,
    Mentor,
    PrintedTotal,
    Promotion,
)

ADMIN_MODELS = [
    Promotion,
    Administration,
    Fellow,
    Mentor,
    BudgetLine,
    DeclaredFigure,
    PrintedTotal,
    Theme,
    Expertise,
    Challenge,
]
#: Upper bound of SQL queries of a changelist page (100 rows): must not depend on the rows.
CHANGELIST_MAX_QUERIES = 16


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.django_db
@pytest.mark.parametrize("model", ADMIN_MODELS, ids=lambda m: m.__name__)
def test_coordinator_opens_each_changelist_with_bounded_queries(
    coord_client, model, django_assert_max_num_queries
):
    with django_assert_max_num_queries(CHANGELIST_MAX_QUERIES):
        response = coord_client.get(_url(model, "changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == model.objects.count() > 0


@pytest.mark.django_db
@pytest.mark.parametrize("model", ADMIN_MODELS, ids=lambda m: m.__name__)
def test_coordinator_opens_each_change_page(coord_client, model):
    obj = model.objects.order_by("pk").first()
    response = coord_client.get(_url(model, "change", obj.pk))
    assert response.status_code == 200
    assert response.context["original"] == obj


@pytest.mark.django_db
def test_challenge_change_page_shows_its_eig_mentors_and_key_figures(coord_client):
    adex = Challenge.objects.get(source_key="adex")
    response = coord_client.get(_url(Challenge, "change", adex.pk))
    html = response.content.decode()
    assert "EIG 0015" in html
    assert "Agent 0111" in html
    assert "Déclarations d&#x27;intérêts analysées en 2020" in html
    formsets = {f.formset.prefix for f in response.context["inline_admin_formsets"]}
    assert len(formsets) == 3


@pytest.mark.django_db
def test_history_page_lists_the_import(coord_client):
    adex = Challenge.objects.get(source_key="adex")
    response = coord_client.get(_url(Challenge, "history", adex.pk))
    assert response.status_code == 200
    assert "ADEX" in response.content.decode()


@pytest.mark.django_db
def test_search_finds_challenges_by_title_and_administration(coord_client):
    response = coord_client.get(_url(Challenge, "changelist"), {"q": "Haute Autorité de Santé"})
    titles = {c.title for c in response.context["cl"].result_list}
    assert "ADEX" in titles
    assert all(
        c.administration and "Haute Autorité de Santé" in c.administration.name
        for c in response.context["cl"].result_list
    )

    response = coord_client.get(_url(Fellow, "changelist"), {"q": "EIG 0015"})
    assert {f.name for f in response.context["cl"].result_list} == {"EIG 0015"}


@pytest.mark.django_db
def test_filters_by_promotion_profile_and_role(coord_client):
    eig2 = Promotion.objects.get(code="EIG 2")
    response = coord_client.get(
        _url(Fellow, "changelist"), {"promotion__id__exact": eig2.pk, "profile__exact": "designer"}
    )
    expected = Fellow.objects.filter(promotion=eig2, profile="designer").count()
    assert response.context["cl"].result_count == expected > 0

    response = coord_client.get(_url(Mentor, "changelist"), {"role__exact": "sponsor"})
    assert response.context["cl"].result_count == 19

    response = coord_client.get(_url(Challenge, "changelist"), {"promotion__id__exact": eig2.pk})
    assert response.context["cl"].result_count == 13


def _export(client, model, file_format):
    """Submit the export form with every field ticked; ``file_format`` is CSV or XLSX."""
    url = _url(model, "export")
    form = client.get(url).context["form"]
    choices = dict((label, value) for value, label in form.fields["format"].choices)
    data = {"format": choices[file_format]}
    for name, field in form.fields.items():
        if getattr(field, "is_selectable_field", False):
            data[name] = "on"
    if "resource" in form.fields:
        data["resource"] = form.fields["resource"].choices[0][0]
    return client.post(url, data)


@pytest.mark.django_db
def test_export_challenges_as_csv(coord_client):
    response = _export(coord_client, Challenge, "csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    header = text.splitlines()[0]
    # Columns named in French, after the fields' labels.
    assert "Titre" in header and "Promotion" in header and "Administration" in header
    assert "title" not in header
    assert "ADEX" in text and "EIG 4" in text
    assert len(text.strip().splitlines()) >= 132  # header + 131 défis (some span lines)


@pytest.mark.django_db
def test_export_fellows_as_xlsx(coord_client):
    response = _export(coord_client, Fellow, "xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "Promotion" in rows[0] and "Courriel" in rows[0]
    assert len(rows) == 1 + Fellow.objects.count()
    assert {r[rows[0].index("Promotion")] for r in rows[1:]} >= {"EIG 1", "DIG", "EIG 7"}


@pytest.mark.django_db
def test_export_offers_only_csv_and_xlsx(coord_client):
    form = coord_client.get(_url(Promotion, "export")).context["form"]
    labels = {label for value, label in form.fields["format"].choices if value != ""}
    assert labels == {"csv", "xlsx"}


@pytest.mark.django_db
def test_admin_index_links_to_the_dashboard_and_has_the_portal_header(coord_client):
    html = coord_client.get(reverse("admin:index")).content.decode()
    assert reverse("promotions:dashboard") in html
    assert "Portail EIG — coordination" in html


@pytest.mark.django_db
def test_non_staff_user_is_redirected_to_login(real_data, client, django_user_model):
    user = django_user_model.objects.create_user("agent", password="agent-pass-2027")
    client.force_login(user)
    for model in (Challenge, Fellow):
        response = client.get(_url(model, "changelist"))
        assert response.status_code == 302
        assert reverse("admin:login") in response["Location"]


@pytest.mark.django_db
def test_anonymous_is_redirected_to_login(real_data, client):
    response = client.get(_url(Promotion, "changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


# -- lists that stay fast on large tables ------------------------------------------------------


@pytest.mark.django_db
def test_counts_of_defis_and_eig_match_the_records(coord_client):
    response = coord_client.get(_url(Promotion, "changelist"))
    for promotion in response.context["cl"].result_list:
        assert promotion.n_challenges == Challenge.objects.filter(promotion=promotion).count()
        assert promotion.n_fellows == Fellow.objects.filter(promotion=promotion).count()

    response = coord_client.get(_url(Fellow, "changelist"), {"q": "EIG 0015"})
    (fellow,) = response.context["cl"].result_list
    assert fellow.n_challenges == fellow.challenges.count() > 0

    response = coord_client.get(_url(Theme, "changelist"))
    for theme in response.context["cl"].result_list:
        assert theme.n_challenges == theme.challenges.count()


@pytest.mark.django_db
def test_long_lists_are_in_alphabetical_order(coord_client):
    # Read from the indexes (title or name, then id), as the database orders them.
    for model, field in ((Challenge, "title"), (Fellow, "name"), (Mentor, "name")):
        response = coord_client.get(_url(model, "changelist"))
        shown = [obj.pk for obj in response.context["cl"].result_list]
        expected = model.objects.order_by(field, "pk").values_list("pk", flat=True)
        assert len(shown) > 1 and shown == list(expected[: len(shown)])


@pytest.mark.django_db
def test_defis_filter_by_administration_chosen_in_a_search_box(coord_client):
    has = Administration.objects.get(name__startswith="Haute Autorité de Santé")
    url = _url(Challenge, "changelist")

    html = coord_client.get(url).content.decode()
    # One search box, no sidebar link per administration.
    box = html[html.index('name="administration__id__exact"') :]
    assert box[: box.index("</select>")].count("<option") == 1  # empty until one is chosen
    assert "administration__id__exact=" not in html

    response = coord_client.get(url, {"administration__id__exact": has.pk, "is_public__exact": 1})
    rows = list(response.context["cl"].result_list)
    assert rows and {c.administration_id for c in rows} == {has.pk}
    assert len(rows) == Challenge.objects.filter(administration=has, is_public=True).count()
    html = response.content.decode()
    assert f'<option value="{has.pk}" selected>{has}</option>' in html
    assert '<input type="hidden" name="is_public__exact" value="1">' in html  # kept on choosing


@pytest.mark.django_db
def test_mentors_filter_by_administration_and_administrations_by_parent(coord_client):
    mentor = Mentor.objects.filter(administration__isnull=False).first()
    response = coord_client.get(
        _url(Mentor, "changelist"), {"administration__id__exact": mentor.administration_id}
    )
    expected = Mentor.objects.filter(administration=mentor.administration_id).count()
    assert response.context["cl"].result_count == expected > 0

    parent = Administration.objects.create(name="Ministère des essais")
    child = Administration.objects.create(name="Direction des essais", parent=parent)
    response = coord_client.get(
        _url(Administration, "changelist"), {"parent__id__exact": parent.pk}
    )
    assert list(response.context["cl"].result_list) == [child]
