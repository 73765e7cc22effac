"""The interface is French with English available: the English catalogue is complete, its
compiled file matches it, and the language switch of the header changes the pages."""

import gettext
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

LOCALE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"


def _po_entries(path: Path) -> list[tuple[str, list[str]]]:
    """(msgid, [msgstr, …]) of a .po file (enough of the format for this check)."""

    def unquote(chunks):
        return "".join(
            bytes(c, "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")
            for c in chunks
        )

    entries, current, field = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("msgid "):
            if current:
                entries.append(current)
            current, field = {"msgid": [], "msgstr": {}}, "msgid"
            current["msgid"].append(line[7:-1])
        elif line.startswith("msgid_plural "):
            field = "plural"
        elif m := re.match(r"msgstr(?:\[(\d)\])? \"(.*)\"$", line):
            field = int(m.group(1) or 0)
            current["msgstr"].setdefault(field, []).append(m.group(2))
        elif line.startswith('"') and current is not None:
            if field == "msgid":
                current["msgid"].append(line[1:-1])
            elif isinstance(field, int):
                current["msgstr"][field].append(line[1:-1])
    if current:
        entries.append(current)
    return [
        (unquote(e["msgid"]), [unquote(v) for _, v in sorted(e["msgstr"].items())])
        for e in entries
        if unquote(e["msgid"])
    ]


def test_every_french_string_has_an_english_translation():
    entries = _po_entries(LOCALE / "django.po")
    assert len(entries) > 500
    missing = [msgid for msgid, msgstrs in entries if not all(s.strip() for s in msgstrs)]
    assert missing == []
    assert "#, fuzzy\nmsgid" not in (LOCALE / "django.po").read_text(encoding="utf-8")


def test_compiled_catalogue_is_up_to_date():
    """The committed .mo (used when gettext is not installed) holds every .po translation."""
    with open(LOCALE / "django.mo", "rb") as fh:
        catalogue = gettext.GNUTranslations(fh)
    for msgid, msgstrs in _po_entries(LOCALE / "django.po"):
        if "\x00" in msgid:
            continue
        got = catalogue._catalog.get(msgid) or catalogue._catalog.get((msgid, 0))
        assert got == msgstrs[0], msgid


@pytest.mark.django_db
def test_language_switch_changes_the_interface_and_back(client):
    home = reverse("home")
    french = client.get(home).content.decode()
    assert 'lang="fr"' in french and "Découvrir les défis" in french

    response = client.post(reverse("set_language"), {"language": "en", "next": home})
    assert response.status_code == 302
    english = client.get(home).content.decode()
    assert 'lang="en"' in english
    assert "Discover the challenges" in english and "Découvrir les défis" not in english
    assert 'FR — <span lang="fr">Français</span>' in english  # French back, in French

    client.post(reverse("set_language"), {"language": "fr", "next": home})
    assert "Découvrir les défis" in client.get(home).content.decode()


@pytest.mark.django_db
def test_challenge_list_in_english_keeps_the_filters(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("challenges:list"), {"q": "santé"}).content.decode()
    assert "All cohorts" in html and "Search a challenge" in html
    assert 'value="santé"' in html


@pytest.mark.django_db
def test_an_english_browser_gets_french_until_the_person_chooses_english(client):
    home = reverse("home")
    html = client.get(home, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="fr"' in html and "Découvrir les défis" in html
    assert 'EN — <span lang="en">English</span>' in html  # each language named in itself

    client.post(reverse("set_language"), {"language": "en", "next": home})
    html = client.get(home, HTTP_ACCEPT_LANGUAGE="fr-FR").content.decode()
    assert 'lang="en"' in html and "Discover the challenges" in html


@pytest.mark.django_db
def test_an_unknown_language_cookie_falls_back_to_french(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert 'lang="fr"' in client.get(reverse("home")).content.decode()


# --- Walking the public pages in English ----------------------------------------------------


class _VisibleText(HTMLParser):
    """Text a reader sees, without French content (elements with ``lang="fr"``), scripts and
    styles; ``title`` and ``aria-label`` attributes count as text."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.skip_depth, self.stack = [], 0, []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        attrs = dict(attrs)
        french = attrs.get("lang") == "fr" and tag != "html"
        skipping = self.skip_depth or french or tag in ("script", "style")
        self.stack.append(bool(skipping))
        if skipping:
            self.skip_depth += 1
            return
        self.parts.extend(attrs.get(a) or "" for a in ("title", "aria-label", "placeholder"))

    def handle_endtag(self, tag):
        if tag in self.VOID or not self.stack:
            return
        if self.stack.pop():
            self.skip_depth -= 1

    def handle_data(self, data):
        if not self.skip_depth:
            self.parts.append(data)

    def text(self) -> str:
        return " ".join(" ".join(self.parts).split())


def _french_fragments() -> set[str]:
    """Literal pieces (15 characters or more) of the catalogue's French strings whose English
    translation differs: seeing one on an English page means a string was left untranslated."""
    fragments = set()
    for msgid, msgstrs in _po_entries(LOCALE / "django.po"):
        if "\x00" in msgid:
            continue
        for piece in re.split(r"%\([^)]*\)[sd]|%[sd]|<[^>]+>|\{\{[^}]*\}\}", msgid):
            piece = " ".join(piece.split())
            if len(piece) >= 15 and all(piece not in s for s in msgstrs):
                fragments.add(piece)
    return fragments


@pytest.mark.django_db
def test_public_pages_in_english_show_no_french_portal_string(client):
    from tests.factories import ChallengeFactory, PromotionFactory

    promotion = PromotionFactory(code="EIG 1", number=1, slug="eig-1")
    challenge = ChallengeFactory(promotion=promotion, description="Un texte **en français**.")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    pages = [
        reverse("home"),
        reverse("challenges:list"),
        challenge.get_absolute_url(),
        reverse("promotions:list"),
        promotion.get_absolute_url(),
        reverse("promotions:open_data"),
        reverse("calls:list"),
        reverse("account_login"),
        reverse("account_signup"),
        reverse("account_reset_password"),
        reverse("pages:accessibility"),
        reverse("pages:legal"),
        reverse("pages:sitemap"),
        reverse("privacy:public"),
    ]
    fragments = _french_fragments()
    assert len(fragments) > 200
    untranslated = {}
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        parser = _VisibleText()
        parser.feed(response.content.decode())
        text = parser.text()
        found = sorted(f for f in fragments if f in text)
        if found:
            untranslated[url] = found
    assert untranslated == {}


@pytest.mark.django_db
def test_french_content_is_marked_as_french_on_english_pages(client):
    from tests.factories import ChallengeFactory

    challenge = ChallengeFactory(title="Défi de la santé", summary="Résumé en français.")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(challenge.get_absolute_url()).content.decode()
    assert '<h1 lang="fr">Défi de la santé</h1>' in html
    assert '<p class="fr-text--lead" lang="fr">Résumé en français.</p>' in html
    listing = client.get(reverse("challenges:list")).content.decode()
    assert '<div class="fr-card fr-enlarge-link" lang="fr">' in listing

    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    french = client.get(challenge.get_absolute_url()).content.decode()
    assert "<h1>Défi de la santé</h1>" in french  # the page itself is French
