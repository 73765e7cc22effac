"""French text search: every word must appear in one of the fields, accents and case ignored
(« sante » finds « Santé », « ÉTAT » finds « état »).

On PostgreSQL the database compares ``lower(unaccent(field))`` (extension ``unaccent``, created by
the migration ``common.0002``); on SQLite (development, some tests) the same SQL calls a Python
function registered on each connection (``register_sqlite_unaccent``). The searched words are
normalised in Python the same way (NFKD, combining marks removed, lower case).

Sorting by a text in French order (``FrenchOrder``: « Carte » before « CSPLab », « Sécurité »
before « Sport »): PostgreSQL's ICU collation ``fr-x-icu`` (the database's own collation may be
``C``, which sorts capitals first); elsewhere (SQLite) the lower-cased text without accents.
"""

import unicodedata

from django.db.models import CharField, Func, Q, QuerySet
from django.db.models.functions import Collate, Lower

SQLITE_FUNCTION = "portal_unaccent"


def normalise(text: str) -> str:
    """``text`` without accents (NFKD, combining marks dropped), lower-cased: « Santé » → « sante »."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


class Unaccent(Func):
    """``unaccent(expression)`` on PostgreSQL, the registered Python function on SQLite."""

    function = "UNACCENT"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function=SQLITE_FUNCTION, **extra_context)


def register_sqlite_unaccent(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: give SQLite connections the ``portal_unaccent`` function
    (deterministic, so SQLite may use it in indexes and WHERE clauses)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            SQLITE_FUNCTION,
            1,
            lambda value: None if value is None else normalise(value),
            deterministic=True,
        )


def search_words(queryset: QuerySet, text: str, fields: list[str]) -> QuerySet:
    """``queryset`` filtered so that every word of ``text`` is in one of ``fields`` (paths such
    as ``"administration__name"``), accents and case ignored; ``text`` blank → unchanged."""
    words = normalise(text).split()
    if not words:
        return queryset
    aliases = {f"_search_{i}": Lower(Unaccent(field)) for i, field in enumerate(fields)}
    queryset = queryset.alias(**aliases)
    for word in words:
        match = Q()
        for alias in aliases:
            match |= Q(**{f"{alias}__contains": word})
        queryset = queryset.filter(match)
    return queryset


#: PostgreSQL's ICU collation for French (shipped with PostgreSQL built with ICU).
FRENCH_COLLATION = "fr-x-icu"


class FrenchOrder(Func):
    """Sort key of a text field in French order: ``FrenchOrder("title")`` in ``order_by``
    (``FrenchOrder("title").desc()`` for Z → A).

    PostgreSQL: ``title COLLATE "fr-x-icu"``; other databases (SQLite): ``lower(unaccent(title))``,
    the closest equivalent (accents and case ignored).
    """

    arity = 1
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return compiler.compile(Collate(self.source_expressions[0], FRENCH_COLLATION))

    def as_sql(self, compiler, connection, **extra_context):
        return compiler.compile(Lower(Unaccent(self.source_expressions[0])))
