"""Public pages of défis: list (search, filters, sorting, pagination) and détail."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.text import slugify

from challenges.models import Challenge, KeyFigure, Theme
from challenges.views import PAGE_SIZE
from promotions.models import Fellow
from tests.factories import (
    AdministrationFactory,
    ChallengeFactory,
    FellowFactory,
    MentorFactory,
    PromotionFactory,
)

pytestmark = pytest.mark.django_db

LIST_URL = reverse("challenges:list")


def _titles(response) -> list[str]:
    return [c.title for c in response.context["challenges"]]


def _theme(name: str) -> Theme:
    return Theme.objects.create(name=name, slug=slugify(name))


@pytest.fixture
def catalogue():
    """Two promotions, two administrations, two themes and a few défis (one unpublished)."""
    eig1 = PromotionFactory(code="EIG 1", number=1, slug="eig-1")
    eig2 = PromotionFactory(code="EIG 2", number=2, slug="eig-2")
    has = AdministrationFactory(name="Haute Autorité de Santé", acronym="HAS")
    ign = AdministrationFactory(name="Institut géographique national", acronym="IGN")
    health, maps = _theme("Santé"), _theme("Cartographie")
    adex = ChallengeFactory(
        title="ADEX", summary="Prévenir les conflits d'intérêts", promotion=eig2, administration=has
    )
    adex.themes.add(health)
    carto = ChallengeFactory(
        title="Cartes partagées", summary="Des cartes", promotion=eig1, administration=ign
    )
    carto.themes.add(maps)
    ChallengeFactory(title="Brouillon secret", promotion=eig2, administration=has, is_public=False)
    return {"eig1": eig1, "eig2": eig2, "has": has, "ign": ign, "health": health, "maps": maps}


def test_list_shows_published_challenges_only(client, catalogue):
    response = client.get(LIST_URL)

    assert response.status_code == 200
    assert set(_titles(response)) == {"ADEX", "Cartes partagées"}
    html = response.content.decode()
    assert "Brouillon secret" not in html
    assert "2 défis trouvés" in html


def test_list_refuses_post(client):
    assert client.post(LIST_URL).status_code == 405


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("adex", {"ADEX"}),  # title, case-insensitive
        ("conflits", {"ADEX"}),  # summary
        ("géographique", {"Cartes partagées"}),  # administration name
        ("HAS", {"ADEX"}),  # administration acronym
        ("nulle part", set()),
    ],
)
def test_search_looks_in_title_summary_and_administration(client, catalogue, query, expected):
    response = client.get(LIST_URL, {"q": query})
    assert set(_titles(response)) == expected


def test_search_never_reveals_unpublished_challenges(client, catalogue):
    assert _titles(client.get(LIST_URL, {"q": "secret"})) == []


def test_filters_by_promotion_theme_and_administration(client, catalogue):
    assert _titles(client.get(LIST_URL, {"promotion": "eig-1"})) == ["Cartes partagées"]
    assert _titles(client.get(LIST_URL, {"theme": catalogue["health"].slug})) == ["ADEX"]
    assert _titles(client.get(LIST_URL, {"administration": catalogue["ign"].pk})) == [
        "Cartes partagées"
    ]
    both = client.get(LIST_URL, {"promotion": "eig-1", "theme": catalogue["health"].slug})
    assert _titles(both) == []


def test_an_unknown_filter_value_is_explained_and_the_search_is_kept(client, catalogue):
    response = client.get(LIST_URL, {"promotion": "eig-99", "q": "cartes"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "fr-select-group--error" in html
    assert 'id="id_promotion-error"' in html
    assert 'value="cartes"' in html


def test_sorting_by_title_and_by_promotion(client, catalogue):
    assert _titles(client.get(LIST_URL, {"tri": "title"})) == ["ADEX", "Cartes partagées"]
    assert _titles(client.get(LIST_URL, {"tri": "oldest"})) == ["Cartes partagées", "ADEX"]
    # Default: newest promotion first.
    assert _titles(client.get(LIST_URL)) == ["ADEX", "Cartes partagées"]


def test_pagination_splits_the_list_and_keeps_the_filters(client):
    promotion = PromotionFactory()
    for i in range(PAGE_SIZE + 3):
        ChallengeFactory(title=f"Défi {i:02d}", promotion=promotion)

    first = client.get(LIST_URL, {"tri": "title"})
    second = client.get(LIST_URL, {"tri": "title", "page": 2})

    assert len(first.context["challenges"]) == PAGE_SIZE
    assert _titles(second) == [f"Défi {i:02d}" for i in range(PAGE_SIZE, PAGE_SIZE + 3)]
    html = first.content.decode()
    assert 'class="fr-pagination"' in html
    assert "tri=title&amp;page=2" in html or "page=2&amp;tri=title" in html
    # Out of range → last page, not an error.
    assert client.get(LIST_URL, {"page": 99}).context["page_obj"].number == 2


def test_list_query_count_does_not_grow_with_the_data(client, django_assert_max_num_queries):
    promotion = PromotionFactory()
    theme = _theme("Santé")
    for _ in range(PAGE_SIZE * 3):
        ChallengeFactory(promotion=promotion).themes.add(theme)

    # count + page + themes prefetch + 3 filter choice lists + 2 DSFR site config (context
    # processor of django-dsfr)
    with django_assert_max_num_queries(9):
        response = client.get(LIST_URL, {"q": "Défi", "promotion": promotion.slug})
    assert len(response.context["challenges"]) == PAGE_SIZE


# -- détail ---------------------------------------------------------------------------------


def test_detail_shows_the_challenge_key_figures_and_team_counts(client):
    promotion = PromotionFactory(code="EIG 4", number=4)
    challenge = ChallengeFactory(
        title="ADEX",
        summary="Prévenir les conflits d'intérêts",
        description="## La problématique\n\nUne analyse **complexe**.",
        promotion=promotion,
        source_code_url="https://gitlab.com/has-sante/public/adex",
        fellows=[
            FellowFactory(promotion=promotion, profile=Fellow.Profile.DEVELOPER),
            FellowFactory(promotion=promotion, profile=Fellow.Profile.DESIGNER),
            FellowFactory(
                promotion=promotion,
                profile=Fellow.Profile.DATA_SCIENTIST,
                email="personne@example.org",
            ),
        ],
        mentors=[MentorFactory(promotion=promotion, email="mentor@example.gouv.fr")],
    )
    KeyFigure.objects.create(
        challenge=challenge, amount=Decimal("1288"), description="Déclarations analysées", order=0
    )

    response = client.get(challenge.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>ADEX</h1>" in html
    assert "<h2>La problématique</h2>" in html and "<strong>complexe</strong>" in html
    assert "Déclarations analysées" in html and "1\xa0288" in html
    assert "3 EIG" in html and "1 développement, 1 design, 1 data science" in html
    assert "1 mentor" in html
    assert "https://gitlab.com/has-sante/public/adex" in html
    # No personal data.
    assert "personne@example.org" not in html and "mentor@example.gouv.fr" not in html


def test_detail_of_an_unpublished_or_unknown_challenge_is_404(client):
    hidden = ChallengeFactory(is_public=False)
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get(reverse("challenges:detail", args=["inconnu"])).status_code == 404


def test_detail_accepts_unicode_slugs(client):
    challenge = ChallengeFactory(title="1 élève, 1 stage", slug="1-élève-1-stage")
    assert client.get(challenge.get_absolute_url()).status_code == 200


def test_markdown_description_is_sanitised(client):
    challenge = ChallengeFactory(
        description=(
            "Texte <script>alert('x')</script>\n\n"
            '<img src="x.png" onerror="alert(1)">\n\n'
            "[piège](javascript:alert(2)) "
            '<a href="https://example.org" onclick="steal()">lien</a>\n\n'
            '<iframe src="https://evil.example"></iframe><style>body{display:none}</style>'
        )
    )

    html = client.get(challenge.get_absolute_url()).content.decode()
    description = html.split('id="challenge-description">')[1].split("</div>")[0]

    assert "<script" not in description and "alert('x')" not in description
    assert "onerror" not in description and "onclick" not in description
    assert "javascript:" not in description
    assert "<iframe" not in description and "<style" not in description
    assert '<a href="https://example.org" rel="noopener noreferrer">lien</a>' in description


def test_detail_query_count_is_bounded(client, django_assert_max_num_queries):
    promotion = PromotionFactory()
    challenge = ChallengeFactory(
        promotion=promotion, fellows=FellowFactory.create_batch(5, promotion=promotion)
    )
    challenge.themes.add(_theme("Santé"))
    for order in range(4):
        KeyFigure.objects.create(
            challenge=challenge, amount=order, description=f"chiffre {order}", order=order
        )

    # challenge (with counts) + themes + expertises + key figures + latest outcome
    # + 2 DSFR site config
    with django_assert_max_num_queries(7):
        assert client.get(challenge.get_absolute_url()).status_code == 200


def test_markdown_filter_renders_headings_and_lists():
    from eig_portal.common.markdown import render_markdown

    html = render_markdown("## Titre\n\n* un\n* deux")
    assert "<h2>Titre</h2>" in html and "<li>un</li>" in html
    assert render_markdown(None) == ""
    # An empty link of the source pages is dropped (no link without a name).
    assert "<a" not in render_markdown("voir [](https://example.org) ici")


def test_the_real_challenge_pages_render(client):
    """Every imported défi page renders (real markdown bodies)."""
    from promotions.importers import import_eig_data

    import_eig_data()
    for challenge in Challenge.objects.filter(is_public=True):
        assert client.get(challenge.get_absolute_url()).status_code == 200, challenge.slug


@pytest.mark.django_db
def test_detail_hides_the_profile_split_when_no_eig_has_a_known_profile(client):
    promotion = PromotionFactory()
    challenge = ChallengeFactory(
        promotion=promotion,
        fellows=FellowFactory.create_batch(2, promotion=promotion, profile=Fellow.Profile.OTHER),
    )

    html = client.get(challenge.get_absolute_url()).content.decode()

    assert "2 EIG" in html
    assert "0 développement" not in html
