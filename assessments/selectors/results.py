"""Everything the results page and the PDF report show about one audit, in a bounded
number of queries: official (assessor) answers, staff tallies summed in SQL, touchpoints,
recommendations and the snapshots of earlier rounds."""

import dataclasses
import functools
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db.models import CharField, Count, Max, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cxaudit import charts, compiled, scoring
from cxaudit import recommendations as rules_engine
from cxaudit.caching import cache_get, cache_set
from cxaudit.l10n import decimal_mark
from cxaudit.library import LIBRARY_DIR, rule_catalogue
from cxaudit.metrics.models import MetricPeriod
from cxaudit.metrics.selectors import company_metric_facts
from surveys.audit_facts import survey_period_results
from surveys.models import SurveySettings, Wave

from ..levels import LEVEL_DESCRIPTIONS, level_name, level_names
from ..models import (
    Answer,
    Audit,
    AuditInstrument,
    ParticipantKind,
    Recommendation,
    RecommendationStatus,
    Touchpoint,
)
from .plan import recommendation_text


@dataclass(frozen=True)
class DomainRow:
    ref: str  # "instrument:section"
    instrument_title: str
    title: str
    label: str  # unique in the audit: the title, with its instrument when another has it
    status: str
    score: Fraction | None
    display: Decimal | None
    level: int | None
    level_name: str
    answered: int
    applicable: int


@dataclass(frozen=True)
class GapItemRow:
    title: str
    staff: Decimal | None
    consultant: Decimal | None
    gap: Decimal | None
    flag: str | None
    staff_count: int


@dataclass(frozen=True)
class GapRow:
    ref: str
    title: str
    staff: Decimal | None
    consultant: Decimal | None
    gap: Decimal | None
    flag: str | None
    staff_count: int
    items: list[GapItemRow]


@dataclass(frozen=True)
class ProposedRecommendation:
    rule_id: str
    text: str
    severity: int
    priority: Decimal
    reasons: list[dict]
    indicative: bool
    touchpoint_key: str | None


@dataclass(frozen=True)
class ToDoLine:
    """One line of the results page's "What to do": in the reader's language."""

    text: str
    priority: Decimal
    indicative: bool


@dataclass
class AuditResults:
    audit: Audit
    domains: list[DomainRow]
    overall: Decimal | None
    overall_exact: Fraction | None
    level: int | None
    band_level: int | None
    level_name: str
    level_description: str
    capped_by: str | None  # the title of the capping domain
    partial: bool
    missing: list[str]
    strongest: list[DomainRow]
    weakest: list[DomainRow]
    gaps: list[GapRow]
    staff_count: int
    canvas: list[tuple[str, str]]
    touchpoints: list[Touchpoint]
    lowest_touchpoints: list[Touchpoint]
    recommendations: list  # stored Recommendation rows, or ProposedRecommendation previews
    recommendations_stored: bool
    to_do: list[ToDoLine] = field(default_factory=list)  # not rejected, highest priority first
    surveys: object = None  # surveys.audit_facts.PeriodSurveyResults
    business: object = None  # the business metrics of the period, when recorded
    rounds: list[dict] = field(default_factory=list)
    changes: list[dict] = field(default_factory=list)
    radar_svg: str = ""
    bars_svg: str = ""
    gap_svg: str = ""
    trend_svg: str = ""
    radar_by_instrument: bool = False  # too many domains for one radar: one axis each
    instrument_scores: list[tuple[str, Decimal | None]] = field(default_factory=list)
    staff_minimum: int = scoring.MIN_STAFF
    cache_key: str = ""  # set when served by audit_results_cached; the page caches by it

    @property
    def has_score(self) -> bool:
        return self.overall is not None

    @property
    def staff_compared(self) -> bool:
        """Enough staff answered to compare their view with the consultant's (§8)."""
        return self.staff_count >= self.staff_minimum


def _instruments(audit: Audit) -> list[AuditInstrument]:
    return list(
        audit.instruments.select_related("version", "version__instrument").order_by("position")
    )


def _section_specs(instruments):
    specs, titles = [], {}
    language = get_language() or "ru"
    for audit_instrument in instruments:
        parsed = audit_instrument.version.parsed
        if not parsed.is_scored:
            continue
        for section in parsed.sections:
            if not section.is_scored:
                continue
            ref = f"{parsed.key}:{section.key}"
            items = tuple(
                scoring.ItemSpec(
                    key=item.key, scale=item.scale, weight=item.weight, allow_na=item.allow_na
                )
                for item in section.items
                if item.is_scored
            )
            specs.append(scoring.SectionSpec(key=ref, weight=section.weight, items=items))
            titles[ref] = (parsed.title.get(language), section.title.get(language), section)
    return specs, titles


def _domain_labels(titles: dict) -> dict[str, str]:
    """A name per domain that no other domain of the audit shares: a title two instruments
    both use ("Strategy") is followed by its instrument's title."""
    counts: dict[str, int] = {}
    for _instrument_title, title, _section in titles.values():
        counts[title] = counts.get(title, 0) + 1
    return {
        ref: title
        if counts[title] == 1
        else _("%(domain)s (%(instrument)s)") % {"domain": title, "instrument": instrument}
        for ref, (instrument, title, _section) in titles.items()
    }


def _instrument_scores(specs, titles, official) -> list[tuple[str, Fraction | None]]:
    """Each scored instrument's own overall score (§7.2 over its domains), in audit order."""
    groups: dict[str, list] = {}
    for spec in specs:
        groups.setdefault(spec.key.split(":", 1)[0], []).append(spec)
    return [
        (titles[group[0].key][0], scoring.score_audit(group, official).score)
        for group in groups.values()
    ]


def _official_answers(audit: Audit, instruments) -> dict[str, dict[str, Answer]]:
    """Assessor answers by "instrument:section" then item key."""
    where = {ai.pk: ai.version.parsed for ai in instruments}
    answers: dict[str, dict[str, scoring.Answer]] = {}
    raw: dict[str, Answer] = {}
    for answer in Answer.objects.official().filter(audit_instrument__audit=audit):
        parsed = where[answer.audit_instrument_id]
        try:
            section = next(s for s, i in parsed.items() if i.key == answer.item_key)
        except StopIteration:
            continue
        ref = f"{parsed.key}:{section.key}"
        answers.setdefault(ref, {})[answer.item_key] = scoring.Answer(
            value=answer.value, is_na=answer.is_na
        )
        raw[f"{parsed.key}:{section.key}.{answer.item_key}"] = answer
    return answers, raw


def _staff_tallies(audit: Audit, instruments) -> dict[str, dict[str, scoring.StaffTally]]:
    """Per item, how many staff answered and the sum of their answers: one SQL aggregate."""
    where = {ai.pk: ai.version.parsed for ai in instruments}
    tallies: dict[str, dict[str, scoring.StaffTally]] = {}
    rows = (
        Answer.objects.filter(
            audit_instrument__audit=audit,
            participant__kind=ParticipantKind.STAFF,
            is_na=False,
            value__isnull=False,
        )
        .values("audit_instrument_id", "item_key")
        .annotate(n=Count("id"), total=Sum("value"))
    )
    for row in rows:
        parsed = where[row["audit_instrument_id"]]
        for section, item in parsed.items():
            if item.key == row["item_key"]:
                ref = f"{parsed.key}:{section.key}"
                tallies.setdefault(ref, {})[item.key] = scoring.StaffTally(
                    count=row["n"], total=row["total"]
                )
    return tallies


def _as_float(value) -> float | None:
    return None if value is None else float(value)


def _pct(value: Fraction | None) -> Decimal | None:
    return None if value is None else scoring.display(value * 100)


def _item_facts(instruments, raw_answers) -> dict:
    facts: dict = {}
    for audit_instrument in instruments:
        parsed = audit_instrument.version.parsed
        for section, item in parsed.items():
            ref = f"{parsed.key}:{section.key}.{item.key}"
            answer = raw_answers.get(ref)
            if answer is None or answer.is_na:
                continue
            facts[ref] = answer.text if item.scale in ("text", "number") else answer.value
    return facts


def _triggers(instruments):
    item_triggers, domain_triggers = [], []
    for audit_instrument in instruments:
        parsed = audit_instrument.version.parsed
        for section in parsed.sections:
            for ref in section.rules:
                domain_triggers.append(
                    rules_engine.DomainTrigger(
                        rule=ref.rule, ref=f"{parsed.key}:{section.key}", below=ref.below
                    )
                )
            for item in section.items:
                for ref in item.rules:
                    item_triggers.append(
                        rules_engine.ItemTrigger(
                            rule=ref.rule,
                            ref=f"{parsed.key}:{section.key}.{item.key}",
                            scale=item.scale,
                            at_most=item.rule_at_most(ref),
                            blank=item.scale == "text",
                        )
                    )
    return item_triggers, domain_triggers


def audit_metric_facts(*, audit: Audit):
    """Survey and business-metric results of the audit's period, and the facts the rules read."""
    surveys = survey_period_results(
        company=audit.company,
        start=audit.period_start,
        end=audit.period_end,
        today=timezone.localdate(),
    )
    business = company_metric_facts(
        company=audit.company, start=audit.period_start, end=audit.period_end
    )
    return surveys, business, dataclasses.replace(business.facts, **surveys.facts)


def recommendations_evaluate(
    *, audit: Audit, instruments, raw_answers, maturity, gaps, touchpoints, metrics=None
) -> list[ProposedRecommendation]:
    """Run the rule engine on this audit's facts; texts come from the rule catalogue."""
    catalogue = rule_catalogue()
    language = get_language() or "ru"
    item_triggers, domain_triggers = _triggers(instruments)
    facts = rules_engine.AuditFacts(
        instruments={ai.version.instrument.key for ai in instruments},
        item_answers=_item_facts(instruments, raw_answers),
        domain_scores={d.key: d.score for d in maturity.domains},
        metrics=metrics or rules_engine.MetricFacts(),
        touchpoints=[
            rules_engine.Touchpoint(key=str(t.pk), title=t.name, emotion=t.emotion)
            for t in touchpoints
            if t.emotion
        ],
        blind_spots=[gap.ref for gap in gaps if gap.flag == scoring.BLIND_SPOT],
    )
    found = rules_engine.evaluate(
        rules=[rules_engine.RuleSpec(id=r.id, severity=r.severity) for r in catalogue.rules],
        facts=facts,
        item_triggers=item_triggers,
        domain_triggers=domain_triggers,
    )
    return [
        ProposedRecommendation(
            rule_id=rec.rule,
            text=catalogue.get(rec.rule).text.get(language),
            severity=rec.severity,
            priority=rec.priority_display,
            reasons=[
                {
                    "kind": t.kind,
                    "ref": t.ref,
                    "observed": None if t.observed is None else str(t.observed),
                    "condition": t.condition,
                    "threshold": None if t.threshold is None else str(t.threshold),
                }
                for t in rec.triggers
            ],
            indicative=rec.indicative,
            touchpoint_key=rec.touchpoint,
        )
        for rec in found
    ]


def _gap_rows(specs, titles, official, tallies, language) -> list[GapRow]:
    rows = []
    labels = _domain_labels(titles)
    for spec in specs:
        result = scoring.domain_gap_from_tallies(
            spec, tallies.get(spec.key, {}), official.get(spec.key, {})
        )
        section = titles[spec.key][2]
        items_by_key = {item.key: item for item in section.items}
        rows.append(
            GapRow(
                ref=spec.key,
                title=labels[spec.key],
                staff=scoring.display(result.staff_score),
                consultant=scoring.display(result.consultant_score),
                gap=scoring.display(result.gap),
                flag=result.flag,
                staff_count=result.staff_count,
                items=[
                    GapItemRow(
                        title=items_by_key[g.key].text.get(language),
                        staff=_pct(g.staff),
                        consultant=_pct(g.consultant),
                        gap=scoring.display(g.gap),
                        flag=g.flag,
                        staff_count=g.staff_count,
                    )
                    for g in result.items
                ],
            )
        )
    return rows


def _canvas(instruments, raw_answers, language) -> list[tuple[str, str]]:
    rows = []
    for audit_instrument in instruments:
        parsed = audit_instrument.version.parsed
        if parsed.kind != "canvas":
            continue
        for section, item in parsed.items():
            answer = raw_answers.get(f"{parsed.key}:{section.key}.{item.key}")
            rows.append((item.text.get(language), answer.text if answer else ""))
    return rows


def results_snapshot(results: "AuditResults") -> dict:
    """What a closed round keeps for later trend charts (answers are frozen by then)."""
    return {
        "overall": None if results.overall is None else str(results.overall),
        "level": results.level,
        "domains": {
            row.ref: None if row.display is None else str(row.display) for row in results.domains
        },
        "levels": {row.ref: row.level for row in results.domains},
    }


def _rounds(audit: Audit, current_overall) -> list[dict]:
    """Earlier rounds of this audit (snapshots stored at closing), oldest first."""
    chain = []
    seen = set()
    previous = audit.previous
    ids = []
    while previous is not None and previous.pk not in seen:
        seen.add(previous.pk)
        ids.append(previous.pk)
        previous = previous.previous if previous.previous_id else None
    if ids:
        by_id = {a.pk: a for a in Audit.objects.filter(pk__in=ids)}
        chain = [by_id[i] for i in reversed(ids) if i in by_id]
    rounds = [
        {
            "audit": earlier,
            "title": earlier.title,
            "overall": (earlier.results_snapshot or {}).get("overall"),
            "domains": (earlier.results_snapshot or {}).get("domains", {}),
            "levels": (earlier.results_snapshot or {}).get("levels", {}),
            "level": (earlier.results_snapshot or {}).get("level"),
        }
        for earlier in chain
    ]
    return rounds


@dataclass
class _Facts:
    """Everything read from the database for one audit, shared by results and rules."""

    instruments: list
    titles: dict
    raw_answers: dict
    maturity: scoring.MaturityResult
    gaps: list[GapRow]
    touchpoints: list[Touchpoint]
    surveys: object
    business: object
    metric_facts: rules_engine.MetricFacts
    instrument_scores: list[tuple[str, Fraction | None]]

    def evaluate(self, audit: Audit) -> list[ProposedRecommendation]:
        return recommendations_evaluate(
            audit=audit,
            instruments=self.instruments,
            raw_answers=self.raw_answers,
            maturity=self.maturity,
            gaps=self.gaps,
            touchpoints=self.touchpoints,
            metrics=self.metric_facts,
        )


def _facts(audit: Audit) -> _Facts:
    language = get_language() or "ru"
    instruments = _instruments(audit)
    specs, titles = _section_specs(instruments)
    official, raw_answers = _official_answers(audit, instruments)
    tallies = _staff_tallies(audit, instruments)
    surveys, business, metric_facts = audit_metric_facts(audit=audit)
    return _Facts(
        instruments=instruments,
        titles=titles,
        raw_answers=raw_answers,
        maturity=scoring.score_audit(specs, official),
        gaps=_gap_rows(specs, titles, official, tallies, language),
        touchpoints=list(audit.touchpoints.order_by("stage_key", "position", "pk")),
        surveys=surveys,
        business=business,
        metric_facts=metric_facts,
        instrument_scores=_instrument_scores(specs, titles, official),
    )


def recommendations_proposed(*, audit: Audit) -> list[ProposedRecommendation]:
    """What the rule engine recommends for the audit now, whether or not any are stored."""
    return _facts(audit).evaluate(audit)


def audit_results(*, audit: Audit, with_charts: bool = True) -> AuditResults:
    facts = _facts(audit)
    titles, maturity, gaps, touchpoints = (
        facts.titles,
        facts.maturity,
        facts.gaps,
        facts.touchpoints,
    )
    labels = _domain_labels(titles)
    domains = [
        DomainRow(
            ref=d.key,
            instrument_title=titles[d.key][0],
            title=titles[d.key][1],
            label=labels[d.key],
            status=d.status,
            score=d.score,
            display=scoring.display(d.score),
            level=d.level,
            level_name=level_name(d.level),
            answered=d.answered,
            applicable=d.applicable,
        )
        for d in maturity.domains
    ]
    scored = [d for d in domains if d.score is not None]
    ranked = sorted(scored, key=lambda d: (-d.score, d.ref))
    stored = list(Recommendation.objects.filter(audit=audit).select_related("touchpoint"))
    recommendations = stored or facts.evaluate(audit)
    to_do = [
        ToDoLine(
            text=recommendation_text(r) if stored else r.text,
            priority=r.priority,
            indicative=r.indicative,
        )
        for r in recommendations
        if getattr(r, "status", None) != RecommendationStatus.REJECTED
    ]
    staff_count = audit.participants.filter(kind=ParticipantKind.STAFF).aggregate(
        n=Count("id", filter=Q(answers__isnull=False), distinct=True)
    )["n"]
    results = AuditResults(
        audit=audit,
        domains=domains,
        overall=scoring.display(maturity.score),
        overall_exact=maturity.score,
        level=maturity.level,
        band_level=maturity.band_level,
        level_name=level_name(maturity.level),
        level_description=str(LEVEL_DESCRIPTIONS.get(maturity.level, "")),
        capped_by=labels[maturity.capped_by] if maturity.capped_by else None,
        partial=maturity.partial,
        missing=[labels[key] for key in maturity.missing],
        strongest=ranked[:3],
        weakest=list(reversed(ranked[-3:])) if len(ranked) > 3 else ranked[::-1],
        gaps=gaps,
        staff_count=staff_count,
        canvas=_canvas(facts.instruments, facts.raw_answers, get_language() or "ru"),
        touchpoints=touchpoints,
        lowest_touchpoints=sorted(
            (t for t in touchpoints if t.emotion), key=lambda t: (t.emotion, t.pk)
        )[:5],
        recommendations=recommendations,
        recommendations_stored=bool(stored),
        to_do=to_do,
        surveys=facts.surveys,
        business=facts.business,
        rounds=_rounds(audit, maturity.score),
        radar_by_instrument=len(domains) > RADAR_MAX_AXES,
        instrument_scores=[(t, scoring.display(v)) for t, v in facts.instrument_scores],
    )
    results.changes = _changes(results)
    if with_charts:
        _draw(results)
    return results


def _changes(results: AuditResults) -> list[dict]:
    if not results.rounds:
        return []
    last = results.rounds[-1]
    changes = []
    for row in [*results.domains, None]:
        if row is None:
            before = last["overall"]
            now, title, before_level, now_level = (
                results.overall_exact,
                _("Overall"),
                last["level"],
                results.level,
            )
        else:
            before = last["domains"].get(row.ref)
            now, title = row.score, row.label
            before_level, now_level = last["levels"].get(row.ref), row.level
        change = scoring.change_between_rounds(
            None if before is None else Fraction(before),
            now,
            previous_level=before_level,
            current_level=now_level,
        )
        changes.append(
            {
                "title": title,
                "previous": None if before is None else Decimal(before),
                "current": scoring.display(now),
                "delta": scoring.display(change.delta),
                "trend": change.trend,
                "level_change": change.level_change,
                "known": row is None or row.ref in last["domains"],
            }
        )
    return changes


RADAR_MAX_AXES = 10
"""More domains than this and the radar shows one axis per instrument instead."""


def _draw(results: AuditResults) -> None:
    bands = charts.maturity_bands(level_names())
    decimal = decimal_mark()
    axes = [(row.label, _as_float(row.display)) for row in results.domains]
    compared = results.staff_compared
    staff = [_as_float(gap.staff) for gap in results.gaps] if compared else None
    radar_axes, radar_title = axes, _("Maturity by domain")
    if results.radar_by_instrument:
        radar_axes = [(title, _as_float(score)) for title, score in results.instrument_scores]
        radar_title, staff = _("Maturity by instrument"), None
    results.radar_svg = charts.radar_chart(
        radar_axes,
        title=radar_title,
        series2=staff,
        series_labels=(_("Consultant"), _("Staff")),
        bands=bands,
        missing_text="—",
        missing_label=_("— insufficient evidence"),
        size=560 if results.radar_by_instrument or len(radar_axes) > 6 else 480,
        chart_id="radar",
        fluid=True,
        decimal=decimal,
    )
    results.bars_svg = charts.bar_chart(
        axes,
        title=_("Score by domain"),
        bands=bands,
        missing_text=_("insufficient evidence"),
        width=960,
        fluid=True,
        decimal=decimal,
    )
    if compared:
        results.gap_svg = charts.gap_chart(
            [(gap.title, _as_float(gap.staff), _as_float(gap.consultant)) for gap in results.gaps],
            title=_("Staff and consultant by domain"),
            labels=(_("Staff"), _("Consultant")),
            flags=[gap.flag for gap in results.gaps],
            flag_labels={
                scoring.BLIND_SPOT: _("blind spot"),
                scoring.HIDDEN_STRENGTH: _("hidden strength"),
            },
            decimal=decimal,
        )
    if results.rounds:
        points = [(r["title"], _as_float(r["overall"]), None, None) for r in results.rounds] + [
            (results.audit.title, _as_float(results.overall), None, None)
        ]
        results.trend_svg = charts.trend_chart(
            points[-8:], title=_("Overall score by round"), decimal=decimal
        )


def _stamp(queryset, group: str, *aggregates):
    """One scalar subquery of ``queryset`` grouped by ``group`` (the outer audit or company):
    its aggregates joined into one text, so the table is read once for all of them."""
    parts = []
    for aggregate in aggregates:
        parts += [Cast(aggregate, output_field=CharField()), Value("|")]
    return Subquery(
        queryset.order_by()
        .values(group)
        .annotate(value=Concat(*parts, output_field=CharField()))
        .values("value")[:1]
    )


@functools.cache
def _library_stamp() -> str:
    """The rule texts come from the library files, which change only with a deployment."""
    digest = hashlib.sha256()
    for path in sorted(LIBRARY_DIR.glob("*.yaml")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _edited_rows(queryset, group: str):
    """How many rows, the newest id and the latest edit: changes on any add, delete or edit."""
    return _stamp(queryset, group, Count("id"), Max("id"), Max("updated_at"))


def _stamp_audit(audit_pk: int):
    in_audit = OuterRef("pk")
    in_company = OuterRef("company_id")
    return Audit.objects.filter(pk=audit_pk).annotate(
        stamp_answers=_stamp(
            Answer.objects.filter(audit_instrument__audit=in_audit),
            "audit_instrument__audit",
            Count("id"),
            Max("updated_at"),
            Sum("revision"),
        ),
        stamp_touchpoints=_edited_rows(Touchpoint.objects.filter(audit=in_audit), "audit"),
        stamp_recommendations=_edited_rows(Recommendation.objects.filter(audit=in_audit), "audit"),
        stamp_periods=_edited_rows(MetricPeriod.objects.filter(company=in_company), "company"),
        stamp_waves=_stamp(
            Wave.objects.filter(survey__company=in_company),
            "survey__company",
            Count("id"),
            Max("id"),
            Max("closed_at"),
            Max("imported_at"),
            Count("id", filter=Q(survey__anonymous=True)),
        ),
        stamp_threshold=Subquery(
            SurveySettings.objects.filter(company=in_company).values("anonymity_threshold")[:1]
        ),
        stamp_previous=Subquery(
            Audit.objects.filter(pk=OuterRef("previous_id")).values("results_snapshot")[:1]
        ),
    )


def results_fingerprint(*, audit: Audit) -> str:
    """A key that changes whenever anything the results show may have changed (one query).

    It covers the audit row, its answers, touchpoints and recommendations, the company's
    business metric periods, anonymity threshold and survey waves (created, deleted, closed
    early, imported into, anonymous or not), the previous round, the library files and the
    day (waves close by date). Public answers reach only open waves, which results do not
    count, so the responses table itself is never scanned. Edits made in Django admin
    bypass the services and show once the day changes.
    """
    parts = [
        RESULTS_CACHE_VERSION,
        repr(compiled.rows(_stamp_audit, audit.pk)),
        _library_stamp(),
        timezone.localdate().isoformat(),
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


RESULTS_CACHE_VERSION = "3"  # raise when AuditResults changes shape
RESULTS_CACHE_SECONDS = 24 * 3600


def results_cache_key(*, audit: Audit) -> str:
    return f"assessments:results:{audit.pk}:{get_language() or 'ru'}:" + results_fingerprint(
        audit=audit
    )


def audit_results_cached(*, audit: Audit, key: str | None = None) -> AuditResults:
    """``audit_results`` with charts, kept in the cache until its fingerprint changes.

    Scoring 200 items for 30 people costs tens of milliseconds; the fingerprint costs one
    small query, so an unchanged audit is served from the cache."""
    key = key or results_cache_key(audit=audit)
    results = cache_get(key)  # None too when the cache is down: computed, never a 500
    if results is None:
        results = audit_results(audit=audit)
        cache_set(key, results, RESULTS_CACHE_SECONDS)
    results.audit = audit
    results.cache_key = key
    return results


def results_page_get(*, audit: Audit) -> dict:
    """Context of the results page: the cache key of its body and results loaded only when
    the body is not in the cache (so a cached page does not even unpickle them)."""
    key = results_cache_key(audit=audit)
    return {
        "results_key": key,
        "results_seconds": RESULTS_CACHE_SECONDS,
        "results": SimpleLazyObject(lambda: audit_results_cached(audit=audit, key=key)),
    }
