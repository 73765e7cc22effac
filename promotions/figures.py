"""« Le programme en chiffres »: the programme's figures per promotion and in total.

Each figure is a ``Cell`` with three values:

- ``records``: computed by the database from the portal's records (``Fellow``, ``Mentor``,
  ``Challenge``, ``Administration``, ``BudgetLine`` and, through a hook, the call for projects);
  ``None`` when the portal holds no record of that kind (shown « — »);
- ``declared``: the figure the programme published (``DeclaredFigure``, e.g. the 2019 report),
  ``None`` when nothing was declared;
- ``headline``: ``declared`` where it exists, else ``records``.

``differs`` is true when both ``declared`` and ``records`` exist and are not equal (EIG 2: 28
declared, 26 on record). The total column holds the true sums of the promotions shown; where a
publication printed another total over some promotions (``PrintedTotal``), the comparison is in
``ProgrammeFigures.printed_totals`` and on the total cell (proposals: printed 85, sum 94).

Units: counts are ``int``; money is ``Decimal`` in euros with two places; shares are ``float``
between 0 and 1 (see ``share``). The number of queries is constant whatever the data size
(about seven: promotions with their counts and budget, new administrations, declared figures,
printed totals and their promotions, the proposals hook and the candidates hook).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    DecimalField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from eig_portal.common import shares

from .models import (
    Administration,
    BudgetLine,
    DeclaredFigure,
    Fellow,
    Mentor,
    PrintedTotal,
    Promotion,
)

COUNT, SHARE, MONEY = "count", "share", "money"
TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class Metric:
    """One row of the table: ``key`` (the API's key), French ``label`` and ``kind``."""

    key: str
    label: Any
    kind: str  # COUNT, SHARE or MONEY


#: Rows in the order of the 2019 report's table « Le programme EIG en chiffres ».
METRICS: tuple[Metric, ...] = (
    Metric("fellows", _("EIG"), COUNT),
    Metric("mentors", _("Mentors"), COUNT),
    Metric("challenges", _("Défis"), COUNT),
    Metric("new_host_organisations", _("Nouvelles administrations"), COUNT),
    Metric("candidates", _("Candidats"), COUNT),
    Metric("candidates_interviewed_by_jury", _("Candidats reçus par le jury"), COUNT),
    Metric("challenges_proposed", _("Défis proposés par les administrations"), COUNT),
    Metric("share_designers", _("Part de designers"), SHARE),
    Metric("share_developers", _("Part de développeurs"), SHARE),
    Metric("share_data_scientists", _("Part de data scientists"), SHARE),
    Metric("pia_envelope", _("Enveloppe PIA (plafond)"), MONEY),
    Metric("salaries", _("Salaires des EIG"), MONEY),
    Metric("communication", _("Communication"), MONEY),
    Metric("support_programme", _("Programme d'accompagnement"), MONEY),
    Metric("research_links", _("Liens avec la recherche"), MONEY),
    Metric("budget_total", _("Budget total (coût)"), MONEY),
)
METRICS_BY_KEY = {m.key: m for m in METRICS}
COUNT_KEYS = [m.key for m in METRICS if m.kind == COUNT]
SHARE_KEYS = [m.key for m in METRICS if m.kind == SHARE]
BUDGET_KEYS = [c.value for c in BudgetLine.Category]  # pia_envelope, salaries, …
COST_KEYS = [str(c) for c in BudgetLine.COST_CATEGORIES]
#: share metric → (profile of ``Fellow``, declared metric of its count).
SHARES = {
    "share_designers": (Fellow.Profile.DESIGNER, DeclaredFigure.Metric.DESIGNERS),
    "share_developers": (Fellow.Profile.DEVELOPER, DeclaredFigure.Metric.DEVELOPERS),
    "share_data_scientists": (Fellow.Profile.DATA_SCIENTIST, DeclaredFigure.Metric.DATA_SCIENTISTS),
}


def _proposals_submitted() -> dict[int, int]:
    from challenges.calls.selectors import proposals_submitted_by_promotion

    return proposals_submitted_by_promotion()


#: Counts the portal takes from other apps' records: metric → function returning
#: ``{promotion_id: count}`` in one query at most (a promotion absent = no records, « — »).
RECORD_HOOKS: dict[str, Callable[[], dict[int, int]]] = {
    "challenges_proposed": _proposals_submitted,
}
#: Hooks giving several counts in one query: ``{metric: {promotion_id: count}}``, registered by
#: upper apps at start-up (``register_record_group_hook``) so that this module imports none of
#: them. The call for candidates registers ``candidates`` = submitted applications (withdrawn
#: included) and ``candidates_interviewed_by_jury`` = applications with a jury interview held.
RECORD_GROUP_HOOKS: list[Callable[[], dict[str, dict[int, int]]]] = []


def register_record_group_hook(hook: Callable[[], dict[str, dict[int, int]]]) -> None:
    """Add ``hook`` (one query at most, see ``RECORD_GROUP_HOOKS``) once."""
    if hook not in RECORD_GROUP_HOOKS:
        RECORD_GROUP_HOOKS.append(hook)


#: Metric key → the ``DeclaredFigure.Metric`` holding its declared value, where they differ.
DECLARED_METRIC = {"candidates_interviewed_by_jury": DeclaredFigure.Metric.CANDIDATES_INTERVIEWED}


def share(count: int | None, population: int | None) -> float | None:
    """``count / population`` rounded to 2 decimals, half up (0.5625 → 0.56, 0.155 → 0.16), by
    the portal's one rule (``eig_portal.common.shares.share``), exact on ``Decimal``: EIG 3 designers 5/32 =
    0.15625 → 0.16, EIG 2 data scientists 14/28 → 0.5. The result is a ``float`` in [0, 1].
    ``None`` when either number is unknown or the population is empty (never a ZeroDivisionError).
    """
    return shares.share(count, population, places=2)


@dataclass(frozen=True)
class PrintedTotalCheck:
    """A total printed by a publication compared with the true sum of the same promotions."""

    source: str
    metric: str  # a key of METRICS
    promotion_codes: tuple[str, ...]
    printed: Decimal
    true_sum: Decimal | int | float | None
    note: str = ""

    @property
    def differs(self) -> bool:
        """True when the exact sum is known and differs from the printed total (e.g. 94 vs 85)."""
        return self.true_sum is not None and Decimal(str(self.true_sum)) != self.printed

    @property
    def printed_display(self) -> Decimal | int:
        """The printed value as an ``int`` for counts, ``Decimal`` for money."""
        if METRICS_BY_KEY[self.metric].kind == COUNT:
            return int(self.printed)
        return self.printed


@dataclass(frozen=True)
class TotalComparison:
    """In the total column, the declared figures against the records of the SAME promotions
    (those with a declared figure): comparing the 2019 report's EIG 1–3 with the records of all
    promotions would flag a meaningless gap. Shares are 0–1 floats, money Decimal euros."""

    promotion_codes: tuple[str, ...]
    declared: Any
    records: Any

    @property
    def differs(self) -> bool:
        """True when the records of these promotions are known and differ from the declared."""
        return self.records is not None and self.declared != self.records


@dataclass(frozen=True)
class Cell:
    """One figure: ``headline`` (declared, else records), ``records``, ``declared``."""

    records: Any = None
    declared: Any = None
    declared_source: str = ""
    printed: PrintedTotalCheck | None = None  # total column only
    comparison: TotalComparison | None = None  # total column only

    @property
    def headline(self) -> Any:
        """The figure shown: ``declared`` when not None, else ``records`` (None if neither)."""
        return self.declared if self.declared is not None else self.records

    @property
    def differs(self) -> bool:
        """True when both ``declared`` and ``records`` exist and are not equal; in the total
        column, when the declared figures differ from the records of the same promotions."""
        if self.comparison is not None:
            return self.comparison.differs
        return (
            self.declared is not None and self.records is not None and self.declared != self.records
        )

    def as_dict(self) -> dict[str, Any]:
        """``{headline, records, declared, differs}``."""
        return {
            "headline": self.headline,
            "records": self.records,
            "declared": self.declared,
            "differs": self.differs,
        }


@dataclass
class Column:
    """The figures of one promotion, or of the total (``promotion`` None, ``key`` "total")."""

    key: str
    label: str
    promotion: Promotion | None
    cells: dict[str, Cell]
    budget_is_forecast: bool = False
    #: share metric → (numerator, denominator) of the headline and the records share.
    share_parts: dict[str, tuple[tuple, tuple]] = field(default_factory=dict, repr=False)

    @property
    def is_total(self) -> bool:
        """True for the total column (no ``promotion``)."""
        return self.promotion is None


@dataclass
class ProgrammeFigures:
    """The table: ``columns`` (promotions in rank order, then the total), ``printed_totals``."""

    columns: list[Column]
    printed_totals: list[PrintedTotalCheck]
    metrics: tuple[Metric, ...] = METRICS

    @property
    def promotion_columns(self) -> list[Column]:
        """The promotion columns, in rank order, without the total."""
        return [c for c in self.columns if not c.is_total]

    @property
    def total(self) -> Column:
        """The total column (always the last of ``columns``)."""
        return self.columns[-1]

    def rows(self) -> list[tuple[Metric, list[Cell]]]:
        """``[(metric, [cell of each column])]`` in table order."""
        return [(m, [c.cells[m.key] for c in self.columns]) for m in self.metrics]


# --- Database side ------------------------------------------------------------------------------


def _count(queryset: QuerySet) -> Coalesce:
    """A correlated ``SELECT COUNT(*)`` subquery (0 when nothing matches)."""
    sub = queryset.order_by().annotate(_n=Func(F("pk"), function="COUNT")).values("_n")
    return Coalesce(Subquery(sub, output_field=IntegerField()), 0)


def _sum_amount(queryset: QuerySet) -> Subquery:
    """A correlated ``SELECT SUM(amount)`` subquery (NULL when there is no line)."""
    sub = queryset.order_by().annotate(_s=Func(F("amount"), function="SUM")).values("_s")
    return Subquery(sub, output_field=DecimalField(max_digits=16, decimal_places=2))


def _promotions_with_records() -> QuerySet[Promotion]:
    """Every promotion annotated, in one query, with its counts and budget from records."""
    from challenges.models import Challenge

    fellows = Fellow.objects.filter(promotion=OuterRef("pk"))
    mentor_links = Challenge.mentors.through.objects.filter(
        challenge__promotion=OuterRef(OuterRef("pk"))
    ).values("mentor_id")
    mentors = Mentor.objects.filter(Q(promotion=OuterRef("pk")) | Q(pk__in=mentor_links))
    lines = BudgetLine.objects.filter(promotion=OuterRef("pk"))
    annotations = {
        "r_fellows": _count(fellows),
        "r_mentors": _count(mentors),
        "r_challenges": _count(Challenge.objects.filter(promotion=OuterRef("pk"))),
        "r_budget_forecast": Exists(lines.filter(is_forecast=True)),
    }
    for key, (profile, _declared) in SHARES.items():
        annotations[f"r_{key}"] = _count(fellows.filter(profile=profile))
    for key in BUDGET_KEYS:
        annotations[f"r_{key}"] = _sum_amount(lines.filter(category=key))
    return Promotion.objects.annotate(**annotations).order_by("rank", "year", "code")


def new_administrations_by_promotion() -> dict[int, int]:
    """``{promotion_id: n}``: administrations whose first défi is in that promotion (one query).

    « First » orders the administration's défis by promotion ``rank``, then year, code and id, so
    that an administration present in two promotions of the same rank (EIG 3 and DIG) is new in
    one of them only; défis without a promotion are ignored.
    """
    from django.db.models import Count

    from challenges.models import Challenge

    first = (
        Challenge.objects.filter(administration=OuterRef("pk"), promotion__isnull=False)
        .order_by("promotion__rank", "promotion__year", "promotion__code", "promotion_id")
        .values("promotion_id")[:1]
    )
    rows = (
        # No filter on the annotation: PostgreSQL would evaluate the subquery twice per row;
        # administrations without défi form one group, keyed None, left out below.
        Administration.objects.annotate(first_promotion=Subquery(first))
        .values("first_promotion")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["first_promotion"]: row["n"] for row in rows if row["first_promotion"] is not None}


# --- Assembly -----------------------------------------------------------------------------------


def _money(value) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(TWO_PLACES)


def _sum(values: Iterable) -> Any:
    """Sum of the known values; None when none is known."""
    known = [v for v in values if v is not None]
    return sum(known, type(known[0])(0)) if known else None


def _budget_total(values: dict[str, Decimal | None]) -> Decimal | None:
    return _sum(values[k] for k in COST_KEYS)


def _promotion_column(promotion, declared: dict[str, tuple[int, str]], extra: dict) -> Column:
    cells: dict[str, Cell] = {}

    def declared_cell(key: str, records) -> Cell:
        value, source = declared.get(DECLARED_METRIC.get(key, key), (None, ""))
        return Cell(records=records, declared=value, declared_source=source)

    cells["fellows"] = declared_cell("fellows", promotion.r_fellows)
    cells["mentors"] = declared_cell("mentors", promotion.r_mentors)
    cells["challenges"] = declared_cell("challenges", promotion.r_challenges)
    cells["new_host_organisations"] = declared_cell(
        "new_host_organisations", extra["new_host_organisations"].get(promotion.pk, 0)
    )
    for key in ("candidates", "candidates_interviewed_by_jury", "challenges_proposed"):
        hook_counts = extra.get(key)
        cells[key] = declared_cell(key, hook_counts.get(promotion.pk) if hook_counts else None)

    share_parts = {}
    fellows_cell = cells["fellows"]
    for key, (_profile, declared_metric) in SHARES.items():
        records_part = (getattr(promotion, f"r_{key}"), promotion.r_fellows)
        declared_count, source = declared.get(declared_metric, (None, ""))
        if declared_count is not None:
            # Declared profile counts go with the declared number of EIG.
            headline_part = (declared_count, fellows_cell.headline)
            declared_share = share(*headline_part)
        else:
            headline_part, declared_share = records_part, None
        share_parts[key] = (headline_part, records_part)
        cells[key] = Cell(
            records=share(*records_part), declared=declared_share, declared_source=source
        )

    budget = {key: _money(getattr(promotion, f"r_{key}")) for key in BUDGET_KEYS}
    budget["budget_total"] = _budget_total(budget)
    for key, value in budget.items():
        cells[key] = Cell(records=value)
    return Column(
        key=promotion.code,
        label=promotion.code,
        promotion=promotion,
        cells=cells,
        budget_is_forecast=promotion.r_budget_forecast,
        share_parts=share_parts,
    )


def _total_column(columns: list[Column], checks: list[PrintedTotalCheck]) -> Column:
    """True sums of the columns; shares = sum of counts / sum of EIG. A gap is flagged by
    comparing the declared figures with the records of the same promotions only."""
    cells: dict[str, Cell] = {}
    for metric in METRICS:
        key = metric.key
        with_declared = [c for c in columns if c.cells[key].declared is not None]
        if metric.kind == SHARE:
            parts = [c.share_parts[key] for c in columns]
            head = share(_sum(p[0][0] for p in parts), _sum(p[0][1] for p in parts))
            rec = share(_sum(p[1][0] for p in parts), _sum(p[1][1] for p in parts))
            same = [c.share_parts[key] for c in with_declared]
            comparison = TotalComparison(
                promotion_codes=tuple(c.label for c in with_declared),
                declared=share(_sum(p[0][0] for p in same), _sum(p[0][1] for p in same)),
                records=share(_sum(p[1][0] for p in same), _sum(p[1][1] for p in same)),
            )
            # The total's "declared" share is the headline share when any share was declared.
            declared = head if with_declared else None
            cells[key] = Cell(
                records=rec, declared=declared, comparison=comparison if with_declared else None
            )
            continue
        records = _sum(c.cells[key].records for c in columns)
        headline = _sum(c.cells[key].headline for c in columns)
        comparison = TotalComparison(
            promotion_codes=tuple(c.label for c in with_declared),
            declared=_sum(c.cells[key].declared for c in with_declared),
            records=_sum(c.cells[key].records for c in with_declared),
        )
        printed = next((p for p in checks if p.metric == key and p.differs), None)
        cells[key] = Cell(
            records=records,
            declared=headline if with_declared else None,
            printed=printed,
            comparison=comparison if with_declared else None,
        )
    return Column(
        key="total",
        label=str(_("Total")),
        promotion=None,
        cells=cells,
        budget_is_forecast=any(c.budget_is_forecast for c in columns),
    )


def _printed_metric_key(metric: str) -> str | None:
    """``budget_eur.salaries`` → ``salaries``; ``budget_eur.total`` → ``budget_total``."""
    if metric.startswith("budget_eur."):
        metric = metric.removeprefix("budget_eur.")
        metric = "budget_total" if metric == "total" else metric
    return metric if metric in METRICS_BY_KEY else None


def _printed_total_checks(by_id: dict[int, Column]) -> list[PrintedTotalCheck]:
    checks = []
    for printed in PrintedTotal.objects.prefetch_related("promotions").order_by("source", "pk"):
        key = _printed_metric_key(printed.metric)
        if key is None or METRICS_BY_KEY[key].kind == SHARE:
            continue
        covered = sorted(printed.promotions.all(), key=lambda p: (p.rank, p.year, p.code))
        values = [by_id[p.pk].cells[key].headline for p in covered if p.pk in by_id]
        checks.append(
            PrintedTotalCheck(
                source=printed.source,
                metric=key,
                promotion_codes=tuple(p.code for p in covered),
                printed=printed.value,
                true_sum=_sum(values),
                note=printed.note,
            )
        )
    order = {m.key: i for i, m in enumerate(METRICS)}
    return sorted(checks, key=lambda c: (order[c.metric], c.source))


def programme_figures(*, promotions: Iterable[Promotion | int] | None = None) -> ProgrammeFigures:
    """The figures of the given promotions (default: all), in rank order, and their total.

    ``promotions``: ``Promotion`` objects or ids; the total column sums these only. Printed totals
    are always compared over the promotions they cover. Constant number of queries.
    """
    wanted = None
    if promotions is not None:
        wanted = {p.pk if isinstance(p, Promotion) else int(p) for p in promotions}

    extra: dict[str, dict[int, int]] = {
        "new_host_organisations": new_administrations_by_promotion()
    }
    for key, hook in RECORD_HOOKS.items():
        extra[key] = hook()
    for group_hook in RECORD_GROUP_HOOKS:
        extra.update(group_hook())
    declared: dict[int, dict[str, tuple[int, str]]] = {}
    for fig in DeclaredFigure.objects.order_by():
        declared.setdefault(fig.promotion_id, {})[fig.metric] = (fig.value, fig.source)

    all_columns = [
        _promotion_column(p, declared.get(p.pk, {}), extra) for p in _promotions_with_records()
    ]
    by_id = {c.promotion.pk: c for c in all_columns}
    checks = _printed_total_checks(by_id)
    columns = [c for c in all_columns if wanted is None or c.promotion.pk in wanted]
    return ProgrammeFigures(
        columns=[*columns, _total_column(columns, checks)], printed_totals=checks
    )
