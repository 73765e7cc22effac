"""One markdown rendering for défi pages and call pages: same text, same sanitised HTML."""

import pytest
from django.urls import reverse

from eig_portal.common.markdown import render_markdown
from tests.challenges.call_builders import make_call
from tests.factories import ChallengeFactory

pytestmark = pytest.mark.django_db

TEXT = (
    "## Contexte\n\nUn **défi** [lien](https://example.org) et [](https://vide.example)"
    ' ![schéma](/img.png) <script>alert(1)</script> <nav>menu</nav> <a onclick="x()">clic</a>'
)


def test_images_scripts_landmarks_and_empty_links_are_removed():
    html = render_markdown(TEXT)
    assert "<strong>défi</strong>" in html
    assert 'href="https://example.org"' in html
    for removed in ("<img", "<script", "<nav", "onclick", "vide.example"):
        assert removed not in html


def test_a_call_and_a_defi_show_the_same_html_for_the_same_text(client):
    challenge = ChallengeFactory(description=TEXT, is_public=True)
    call = make_call(description=TEXT)
    expected = str(render_markdown(TEXT))
    defi_page = client.get(challenge.get_absolute_url()).content.decode()
    call_page = client.get(reverse("calls:detail", args=[call.slug])).content.decode()
    assert expected in defi_page
    assert expected in call_page
