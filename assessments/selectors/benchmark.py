"""The benchmark panel of a closed audit (issue 19): where the company stands among its
consultancy's other companies, per domain and overall.

The pool is, for each other company of the same consultancy that has not opted out, its
latest closed audit on exactly the same pinned instrument versions. The scores compared are
the ones stored at closing (``Audit.results_snapshot``, written by ``audit_close`` from
``audit_results``), the company's own included, so nothing is scored a second time. The
rows come from one query, latest per company picked by a window function in the database;
the median, quartiles and rank are ``cxaudit.stats.benchmark`` over that column, and which
filters are offered is its k rule. The panel is cached per audit, filter and consultancy
version token (replaced when an audit of the consultancy closes or reopens, or a company's
benchmark profile changes). Other companies are never named.
"""

from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from django.db import connection
from django.db.models import Aggregate, Count, Exists, F, FloatField, OuterRef, Q, Window
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, RowNumber
from django.utils.translation import gettext as _

from cxaudit.accounts.models import OrganisationKind, SizeBand
from cxaudit.caching import benchmark_version_get, cache_get, cache_set
from cxaudit.stats.benchmark import (
    ALL,
    MIN_PEERS,
    Filter,
    Peer,
    Summary,
    benchmark_filters,
    benchmark_summary,
)

from ..models import Audit, AuditInstrument, AuditStatus

CACHE_TIMEOUT = 7 * 86400
OVERALL = "overall"


@dataclass(frozen=True)
class BenchmarkRow:
    ref: str  # a domain ref, or OVERALL
    value: Decimal | None  # the company's own stored score
    summary: Summary | None  # None: fewer than k companies (or a refused filter)


@dataclass(frozen=True)
class BenchmarkPanel:
    closed: bool
    where: Filter
    filters: list[Filter]  # the combinations offered (pass the k rule)
    rows: list[BenchmarkRow]

    @property
    def shown(self) -> bool:
        return any(row.summary is not None for row in self.rows)


def _number(raw) -> Decimal | None:
    if raw is None:
        return None
    try:
        return Decimal(str(raw))
    except InvalidOperation:
        return None


class PercentileCont(Aggregate):
    """PostgreSQL's ordered-set aggregate ``percentile_cont(p) WITHIN GROUP (ORDER BY x)``
    (NULLs ignored); SQLite has none: there the pure module reads the sorted column."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, *, fraction: float):
        if not 0 <= fraction <= 1:
            raise ValueError("the fraction must lie in [0, 1]")
        super().__init__(expression)
        self.extra["fraction"] = repr(float(fraction))


def _latest_pool(audit: Audit):
    """The queryset of the pool's audits (see ``benchmark_pool``), or None when empty."""
    company = audit.company
    if company.parent_id is None:
        return None
    versions = list(audit.instruments.values_list("version_id", flat=True))
    if not versions:
        return None
    pinned = AuditInstrument.objects.filter(audit=OuterRef("pk"))
    comparable = (
        Audit.objects.filter(
            status=AuditStatus.CLOSED,
            results_snapshot__isnull=False,
            company__parent_id=company.parent_id,
            company__kind=OrganisationKind.COMPANY,
            company__benchmark_opt_out=False,
        )
        .exclude(company_id=company.pk)
        .filter(~Exists(pinned.exclude(version_id__in=versions)))
        .alias(
            pinned_count=Count(
                "instruments", filter=Q(instruments__version_id__in=versions), distinct=True
            )
        )
        .filter(pinned_count=len(versions))
    )
    latest = (
        Audit.objects.filter(pk__in=comparable.values("pk"))
        .annotate(
            position=Window(
                RowNumber(),
                partition_by=[F("company_id")],
                order_by=[F("created_at").desc(), F("pk").desc()],
            )
        )
        .filter(position=1)
    )
    return latest


def benchmark_pool(*, audit: Audit) -> list[tuple[str, str, dict]]:
    """(industry, size band, stored snapshot) of each other company's latest closed audit on
    the same instrument versions, within the audit's consultancy, opted-out companies left
    out. One query (two with the audit's pinned versions)."""
    latest = _latest_pool(audit)
    if latest is None:
        return []
    rows = latest.values_list("company__industry", "company__size_band", "results_snapshot")
    return [(industry.strip(), band, snapshot or {}) for industry, band, snapshot in rows]


def _score(ref: str):
    path = "results_snapshot__overall" if ref == OVERALL else f"results_snapshot__domains__{ref}"
    return Cast(KT(path), FloatField())


def benchmark_quartiles_sql(*, audit: Audit, refs: list[str], where: Filter) -> dict:
    """PostgreSQL: ``{ref: (q1, median, q3)}`` of the pool ``where`` selects, by
    ``percentile_cont`` in one query. The industry is matched as the pool reads it
    (stripped), which is how ``company_benchmark_update`` stores it."""
    latest = _latest_pool(audit)
    if latest is None or not refs or any("__" in ref for ref in refs):
        return {}  # a key KT() cannot address: the caller keeps the pure module's figures
    pool = Audit.objects.filter(pk__in=latest.values("pk"))
    if where.industry is not None:
        pool = pool.filter(company__industry=where.industry)
    if where.size_band is not None:
        pool = pool.filter(company__size_band=where.size_band)
    aggregates = {}
    for index, ref in enumerate(refs):
        for name, fraction in (("q1", 0.25), ("median", 0.5), ("q3", 0.75)):
            aggregates[f"{name}_{index}"] = PercentileCont(_score(ref), fraction=fraction)
    figures = pool.aggregate(**aggregates)
    return {
        ref: (figures[f"q1_{i}"], figures[f"median_{i}"], figures[f"q3_{i}"])
        for i, ref in enumerate(refs)
    }


def _peers(pool, key: str) -> list[Peer]:
    peers = []
    for industry, band, snapshot in pool:
        raw = snapshot.get("overall") if key == OVERALL else snapshot.get("domains", {}).get(key)
        value = _number(raw)
        if value is not None:
            peers.append(Peer(industry=industry, size_band=band, value=float(value)))
    return sorted(peers, key=lambda p: p.value)


def benchmark_where(*, industry: str, size_band: str) -> Filter:
    """The filter a GET form asked for; an unknown band means none."""
    band = size_band if size_band in SizeBand.values else ""
    return Filter(industry=industry.strip() or None, size_band=band or None)


@dataclass(frozen=True)
class BenchmarkChoice:
    value: str  # "industry|band" for the GET form
    label: str
    selected: bool


def benchmark_choice_value(where: Filter) -> str:
    return f"{where.industry or ''}|{where.size_band or ''}"


def benchmark_where_parse(raw: str) -> Filter:
    """The filter of the GET form's ``benchmark`` value ("industry|band")."""
    industry, _sep, band = (raw or "").rpartition("|")
    return benchmark_where(industry=industry, size_band=band)


def _choice_label(where: Filter) -> str:
    bands = dict(SizeBand.choices)
    parts = [where.industry or "", str(bands.get(where.size_band or "", ""))]
    return " · ".join(p for p in parts if p) or _("All the consultancy's other clients")


def benchmark_page_get(*, audit: Audit, raw_filter: str, labels: dict[str, str]) -> dict:
    """Context of the results page's Benchmark panel: rows labelled like the results'
    domains, and the filter choices the k rule allows (the one asked for, if refused, is
    replaced by the whole pool)."""
    if audit.company.parent_id is None:
        return {}  # a self-assessing company has no consultancy to compare with
    where = benchmark_where_parse(raw_filter)
    panel = benchmark_panel_get(audit=audit)
    if where != ALL and where in panel.filters:
        panel = benchmark_panel_get(audit=audit, where=where)
    choices = [
        BenchmarkChoice(
            value=benchmark_choice_value(f), label=_choice_label(f), selected=f == panel.where
        )
        for f in panel.filters
    ]
    rows = [
        (_("Overall") if row.ref == OVERALL else labels.get(row.ref, row.ref), row)
        for row in panel.rows
    ]
    return {
        "benchmark": panel,
        "benchmark_rows": rows,
        "benchmark_choices": choices,
        "benchmark_min_peers": MIN_PEERS,
    }


def benchmark_panel_get(*, audit: Audit, where: Filter = ALL) -> BenchmarkPanel:
    """The panel for a closed audit (an open audit gets an empty, ``closed=False`` one)."""
    if audit.is_open or not audit.results_snapshot:
        return BenchmarkPanel(closed=False, where=where, filters=[], rows=[])
    version = benchmark_version_get(consultancy_id=audit.company.parent_id or 0)
    key = f"benchmark:{audit.pk}:{version}:{where.industry or ''}:{where.size_band or ''}"
    cached = cache_get(key)
    if isinstance(cached, BenchmarkPanel):
        return cached
    pool = benchmark_pool(audit=audit)
    snapshot = audit.results_snapshot
    refs = [OVERALL, *snapshot.get("domains", {})]
    overall_peers = _peers(pool, OVERALL)
    filters = benchmark_filters(overall_peers)
    rows = []
    for ref in refs:
        raw = snapshot.get("overall") if ref == OVERALL else snapshot["domains"].get(ref)
        value = _number(raw)
        summary = benchmark_summary(
            peers=_peers(pool, ref),
            value=None if value is None else float(value),
            where=where,
        )
        rows.append(BenchmarkRow(ref=ref, value=value, summary=summary))
    if connection.vendor == "postgresql" and any(row.summary for row in rows):
        # The shown quartiles are the database's; the pure module's equal them (tested).
        sql = benchmark_quartiles_sql(
            audit=audit, refs=[row.ref for row in rows if row.summary], where=where
        )
        rows = [
            row
            if not row.summary or row.ref not in sql
            else replace(
                row,
                summary=replace(
                    row.summary, q1=sql[row.ref][0], median=sql[row.ref][1], q3=sql[row.ref][2]
                ),
            )
            for row in rows
        ]
    panel = BenchmarkPanel(closed=True, where=where, filters=filters, rows=rows)
    cache_set(key, panel, CACHE_TIMEOUT)
    return panel
