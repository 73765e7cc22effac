"""Counts of related rows as correlated subqueries, for lists that page.

An admin list annotated with ``Count("relation")`` joins and groups EVERY row of the table
before the page is cut (at 100× the real data: 13,200 défis × 22,400 EIG joined for a list of
8 promotions). A correlated subquery is computed for the rows shown only, each with an index
lookup, and leaves the main query free of joins — so the year filter, the paginator's
``COUNT(*)`` and the facets stay single-table queries.
"""

from django.db.models import F, Func, IntegerField, Model, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce


def count_of(queryset: QuerySet, field: str) -> Coalesce:
    """``(SELECT COUNT(*) FROM queryset WHERE field = outer.pk)``, 0 when none (an int).

    ``field``: the lookup from ``queryset``'s model to the outer row (``"promotion"``,
    ``"fellows"``…). ``COUNT`` is written as a plain function so that the ORM adds no
    ``GROUP BY``: the subquery returns exactly one row.
    """
    counted = (
        queryset.filter(**{field: OuterRef("pk")})
        .order_by()
        .annotate(n=Func(F("pk"), function="COUNT"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def count_related(model: type[Model], name: str) -> Coalesce:
    """:func:`count_of` for the reverse relation ``name`` of ``model`` (``Administration`` +
    ``"challenges"``: its défis), whether a foreign key or a many-to-many points at ``model``.

    Raises ``FieldDoesNotExist`` for an unknown relation name.
    """
    relation = model._meta.get_field(name)
    return count_of(relation.related_model._default_manager.all(), relation.field.name)
