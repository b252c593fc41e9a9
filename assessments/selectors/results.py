"""Everything the results page, the gaps page and the PDF report show about one audit,
computed from the database on every call (``facts``) in a bounded number of queries:
nothing is cached, so an edit made anywhere, Django admin included, shows at once."""

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db.models import Exists, OuterRef
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cxaudit import scoring

from ..levels import LEVEL_DESCRIPTIONS, level_name
from ..models import (
    Answer,
    Audit,
    ParticipantKind,
    Recommendation,
    RecommendationStatus,
    Touchpoint,
)
from ..rule_texts import recommendation_text
from .facts import GapRow, audit_facts_get, domain_labels
from .proposals import recommendations_evaluate
from .results_charts import (
    GAPS_PAGE_CHARTS,
    RADAR_MAX_AXES,
    RESULTS_PAGE_CHARTS,
    results_charts_draw,
)


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

    @property
    def has_score(self) -> bool:
        return self.overall is not None

    @property
    def staff_compared(self) -> bool:
        """Enough staff answered to compare their view with the consultant's (§8)."""
        return self.staff_count >= self.staff_minimum


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


def audit_results(*, audit: Audit, with_charts: bool = True) -> AuditResults:
    facts = audit_facts_get(audit=audit)
    titles, maturity, gaps, touchpoints = (
        facts.titles,
        facts.maturity,
        facts.gaps,
        facts.touchpoints,
    )
    labels = domain_labels(titles)
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
    recommendations = stored or recommendations_evaluate(facts=facts)
    to_do = [
        ToDoLine(
            text=recommendation_text(r) if stored else r.text,
            priority=r.priority,
            indicative=r.indicative,
        )
        for r in recommendations
        if getattr(r, "status", None) != RecommendationStatus.REJECTED
    ]
    staff_count = (  # staff who answered anything: one index probe each, no join of answers
        audit.participants.filter(kind=ParticipantKind.STAFF)
        .filter(Exists(Answer.objects.filter(participant=OuterRef("pk"))))
        .count()
    )
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
        results_charts_draw(results)
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


def results_page_get(*, audit: Audit) -> dict:
    """Context of the results page: the results with the charts it shows."""
    results = audit_results(audit=audit, with_charts=False)
    results_charts_draw(results, kinds=RESULTS_PAGE_CHARTS)
    return {"results": results}


def gaps_page_get(*, audit: Audit) -> dict:
    """Context of the staff-versus-consultant page: the results with the gap chart."""
    results = audit_results(audit=audit, with_charts=False)
    results_charts_draw(results, kinds=GAPS_PAGE_CHARTS)
    return {"results": results}
