"""French plurals: 0 and 1 take the singular (« 0 défi trouvé »), through the French catalogue
and ngettext; no « (s) » is left in the portal's templates and code."""

import io
import re
import tokenize
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from surveys.import_summary import import_summary_text
from surveys.responses_import import ImportSummary

ROOT = Path(settings.BASE_DIR)
FR_PO = ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"
#: The call for candidates (recruitment), whose counts still use « (s) »: to convert to ngettext.
NOT_YET_CONVERTED: set[str] = set()


def test_the_french_catalogue_declares_the_french_plural_rule():
    text = FR_PO.read_text(encoding="utf-8")
    assert '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"' in text
    assert (ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.mo").exists()


@pytest.mark.parametrize(("n", "expected"), [(0, "0 défi trouvé"), (1, "1 défi trouvé")])
def test_ngettext_follows_the_french_rule(n, expected):
    with translation.override("fr"):
        text = translation.ngettext("%(n)s défi trouvé", "%(n)s défis trouvés", n) % {"n": n}
    assert text == expected
    with translation.override("fr"):
        many = translation.ngettext("%(n)s défi trouvé", "%(n)s défis trouvés", 2) % {"n": 2}
    assert many == "2 défis trouvés"


@pytest.mark.django_db
def test_an_empty_search_says_0_defi_trouve(client):
    html = client.get(reverse("challenges:list"), {"q": "zzzz-introuvable"}).content.decode()
    assert "0 défi trouvé" in html and "0 défis trouvés" not in html


def test_import_summary_uses_singular_for_zero_and_one():
    with translation.override("fr"):
        text = import_summary_text(ImportSummary(created=0, updated=1, answers=2))
    assert text == "0 réponse créée, 1 remplacée, 2 réponses aux questions."


PLURAL_IN_PARENTHESES = re.compile(r"[^\W\d_]\((?:s|e|es)\)(?!\w)")


def _portal_files(suffixes):
    for folder in ("templates", "promotions", "surveys", "challenges", "eig_portal"):
        for path in (ROOT / folder).rglob("*"):
            rel = path.relative_to(ROOT).as_posix()
            if path.suffix in suffixes and "migrations" not in path.parts:
                if rel not in NOT_YET_CONVERTED:
                    yield rel, path


def _python_strings(path):
    """String literals of a module that are not docstrings (bare string statements)."""
    tokens = [
        t
        for t in tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
        if t.type not in (tokenize.NL, tokenize.COMMENT)
    ]
    for i, token in enumerate(tokens):
        if token.type != tokenize.STRING:
            continue
        before = tokens[i - 1].type if i else tokenize.NEWLINE
        after = tokens[i + 1].type if i + 1 < len(tokens) else tokenize.NEWLINE
        statement_start = before in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT)
        if statement_start and after == tokenize.NEWLINE:
            continue  # a docstring
        yield token.start[0], token.string


def test_no_plural_written_with_parentheses_in_templates():
    found = [
        f"{rel}:{n}: {line.strip()}"
        for rel, path in _portal_files({".html", ".txt"})
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if PLURAL_IN_PARENTHESES.search(line)
    ]
    assert found == []


def test_no_plural_written_with_parentheses_in_messages_of_the_code():
    found = [
        f"{rel}:{n}: {text}"
        for rel, path in _portal_files({".py"})
        for n, text in _python_strings(path)
        if PLURAL_IN_PARENTHESES.search(text)
    ]
    assert found == []
