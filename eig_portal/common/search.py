"""French text search: every word must appear in one of the fields, accents and case ignored
(« sante » finds « Santé », « ÉTAT » finds « état »).

On PostgreSQL the database compares ``lower(unaccent(field))`` (extension ``unaccent``, created by
the migration ``common.0002``); on SQLite (development, some tests) the same SQL calls a Python
function registered on each connection (``register_sqlite_unaccent``). The searched words are
normalised in Python the same way (NFKD, combining marks removed, lower case).

Title sorting uses the database's collation; a French ICU collation (« é » sorted with « e ») is
left for later: it needs ``fr-x-icu`` on PostgreSQL and has no SQLite equivalent.
"""

import unicodedata

from django.db.models import CharField, Func, Q, QuerySet
from django.db.models.functions import Lower

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
