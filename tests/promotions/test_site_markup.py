"""Défi texts of the former site: shortcodes become links and dead internal links are rewritten
or dropped at import, so that no défi page shows « {{< » or leads to a missing page."""

import re

import pytest
from django.urls import Resolver404, resolve

from challenges.models import Challenge
from eig_portal.common.markdown import render_markdown
from promotions.importers.site_markup import convert_site_markup

HREF = re.compile(r'href="([^"]*)"')


def _resolver(mapping):
    return lambda path: mapping.get(path)


def test_arrow_link_and_video_shortcodes_become_links_of_their_own_paragraph():
    text = (
        "Intro.\n"
        '{{< arrow-link url="https://github.com/x" title="Code source" target="true" >}}\n'
        '{{< dailymotion x6y056l "Vidéo du défi">}}\n'
    )
    converted = convert_site_markup(text, resolve_internal=_resolver({}))

    assert converted.text == (
        "Intro.\n\n[Code source](https://github.com/x)\n\n"
        "[Vidéo du défi](https://www.dailymotion.com/video/x6y056l)"
    )
    assert converted.dropped == []


def test_a_video_without_identifier_and_an_unknown_shortcode_are_dropped_and_reported():
    text = '{{< dailymotion"Vidéo LABEL">}}\n\nTexte {{< tweet 123 >}} suite.'
    converted = convert_site_markup(text, resolve_internal=_resolver({}))

    assert "{{<" not in converted.text and "Texte  suite." in converted.text
    assert len(converted.dropped) == 2
    assert "tweet" in converted.dropped[1]


def test_internal_links_are_rewritten_when_the_portal_has_the_page_else_dropped():
    text = (
        'Voir [l\'appel](/participer/candidats/ "Appel") et [un autre défi](/defis/autre/).\n\n'
        '{{< arrow-link url="/img/synthese.pdf" title="Synthèse" target="true" >}}\n\n'
        "![Schéma](/img/schema.png)\n\n"
        "[Site](https://example.gouv.fr/) [courriel](mailto:a@example.gouv.fr)"
    )
    converted = convert_site_markup(
        text, resolve_internal=_resolver({"/defis/autre/": "/defis/autre-defi/"})
    )

    assert converted.text == (
        "Voir l'appel et [un autre défi](/defis/autre-defi/).\n\n"
        "[Site](https://example.gouv.fr/) [courriel](mailto:a@example.gouv.fr)"
    )
    assert [line.split("«")[1].split("»")[0].strip() for line in converted.dropped] == [
        "/participer/candidats/",
        "/img/synthese.pdf",
        "/img/schema.png",
    ]


@pytest.mark.django_db
def test_no_imported_challenge_shows_a_shortcode_or_a_dead_internal_link(real_data):
    challenges = list(Challenge.objects.exclude(description=""))
    assert len(challenges) > 100
    slugs = set(Challenge.objects.values_list("slug", flat=True))
    for challenge in challenges:
        assert "{{<" not in challenge.description, challenge.source_key
        html = render_markdown(challenge.description)
        assert "{{&lt;" not in html
        for url in HREF.findall(html):
            if not url.startswith("/") or url.startswith("//"):
                continue
            try:
                match = resolve(url)
            except Resolver404:
                pytest.fail(f"{challenge.source_key}: dead internal link {url}")
            if match.view_name == "challenges:detail":
                assert match.kwargs["slug"] in slugs, url
    # Videos of the former site are kept, as links.
    assert Challenge.objects.filter(description__contains="dailymotion.com/video/").count() > 50
