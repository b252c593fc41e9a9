"""Survey results for an audit's period: the figures shown on the audit results page and
the facts its recommendation rules read (METHODOLOGY §9). Closed waves only (A5), each
counted only where its own survey page shows it (A2 under the wave's k), every wave of the
company counted in ONE aggregate query."""

from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from cxaudit import stats
from cxaudit.accounts.models import Organisation
from cxaudit.recommendations import DetractorTheme

from . import library
from .models import Audience, Response, Wave
from .selectors import (
    Figure,
    Tally,
    anonymity_threshold,
    count_expressions,
    metric_figure,
    survey_results,
    wave_threshold,
)
from .selectors.drivers import driver_fix_first

CUSTOMER_KEYS = ("nps", "csat", "ces")
EMPLOYEE_KEYS = ("enps", "state_at_work")


@dataclass
class PeriodSurveyResults:
    figures: list[Figure] = field(default_factory=list)
    waves: int = 0
    left_out: int = 0  # waves of the period hidden on their survey page: counted nowhere
    facts: dict = field(default_factory=dict)  # keyword arguments for MetricFacts


class _AllQuestions:
    """count_expressions() reads ``blocks``: count every question any survey can hold."""

    blocks = tuple(library.CUSTOMER_BLOCKS) + tuple(library.EMPLOYEE_BLOCKS)


def _closed(waves, today: date):
    return [wave for wave in waves if wave.status_on(today) == Wave.Status.CLOSED]


def survey_period_results(
    *, company: Organisation, start: date, end: date, today: date
) -> PeriodSurveyResults:
    """Each figure pools the period's waves that show it on their own survey page (each
    under its own k, A2 and A5): a wave hidden there is left out, never subtracted back out
    of the pool (``stats.pool``). Non-anonymous customer waves always count."""
    waves = list(
        Wave.objects.filter(survey__company=company, opens_on__lte=end)
        .select_related("survey__company__survey_settings")
        .order_by("closes_on")
    )
    closed = _closed(waves, today)
    in_period = [w for w in closed if w.closes_on >= start]
    result = PeriodSurveyResults(waves=len(in_period))
    customer_waves = [w for w in closed if w.survey.audience == Audience.CUSTOMER]
    if customer_waves:
        result.facts["surveys_in_use"] = True
        last = max(w.closed_at.date() if w.closed_at else w.closes_on for w in customer_waves)
        result.facts["days_since_customer_wave"] = max(0, (end - last).days)
    if not in_period:
        return result
    tallies = {w.pk: Tally() for w in in_period}
    rows = (
        Response.objects.filter(wave_id__in=tallies)
        .values("wave_id")
        .annotate(**count_expressions(_AllQuestions))
        .order_by()
    )
    for row in rows:
        tallies[row["wave_id"]].add(row)
    k_now = anonymity_threshold(company)
    pooled: dict[str, tuple[Tally, int]] = {}
    left_out: set[int] = set()
    for audience, keys in ((Audience.CUSTOMER, CUSTOMER_KEYS), (Audience.EMPLOYEE, EMPLOYEE_KEYS)):
        of_audience = [w for w in in_period if w.survey.audience == audience]
        responded = any(tallies[w.pk].n for w in of_audience)
        for key in keys:
            parts = {
                w.pk: stats.PoolPart(n=tallies[w.pk].answered(key), k=_anonymous_k(w))
                for w in of_audience
            }
            chosen = stats.pool(parts)
            left_out |= chosen.left_out
            tally = Tally()
            for pk in chosen.members:
                tally.add(tallies[pk].counts)
            asked = chosen.members or chosen.left_out
            if not asked and (audience == Audience.CUSTOMER or not responded):
                continue  # the question was not asked in the period
            k = chosen.k or max((parts[pk].k or 0 for pk in chosen.left_out), default=0) or k_now
            pooled[key] = (tally, k)
            anonymous = chosen.k is not None or not chosen.members
            result.figures.append(metric_figure(key, tally, k=k, anonymous=anonymous))
    result.left_out = len(left_out)
    result.facts.update(_facts(pooled))
    driver = driver_fix_first(wave=in_period[-1])  # the period's latest wave (A5: closed)
    if driver is not None:
        result.facts["driver_fix_first"] = driver
    theme = detractor_theme(wave=in_period[-1])
    if theme is not None:
        result.facts["detractor_theme"] = theme
    return result


def detractor_theme(*, wave: Wave) -> DetractorTheme | None:
    """The comment theme with the highest share among the wave's detractors, when that
    share is significantly above the promoters' (as staff see the results page: every
    anonymity and comment rule applied); None otherwise."""
    if not wave.is_closed:
        return None
    context = survey_results(survey=wave.survey, can_manage=False, wave_number=wave.number)
    themes = context.get("themes") if context.get("wave") == wave else None
    rows = [r for r in (themes.rows if themes else []) if r.classes.get("detractor")]
    if not rows:
        return None
    top = max(rows, key=lambda r: Fraction(r.classes["detractor"].count, r.classes["detractor"].n))
    detractors, promoters = top.classes["detractor"], top.classes.get("promoter")
    if promoters is None or top.comparison is None or not top.comparison.significant:
        return None
    d_share = Fraction(100 * detractors.count, detractors.n)
    p_share = Fraction(100 * promoters.count, promoters.n)
    if d_share <= p_share:
        return None
    return DetractorTheme(
        ref=top.theme.key,
        name_ru=top.theme.name("ru"),
        name_en=top.theme.name("en"),
        detractor_share=d_share,
        promoter_share=p_share,
    )


def _anonymous_k(wave: Wave) -> int | None:
    """The wave's own k when its figures are anonymous (employee surveys always are)."""
    if wave.survey.anonymous or wave.survey.audience == Audience.EMPLOYEE:
        return wave_threshold(wave)
    return None


def _facts(pooled: dict[str, tuple[Tally, int]]) -> dict:
    """Displayed values only: hidden figures trigger nothing (METHODOLOGY §9). A figure
    pools only waves shown on their own, so a hidden wave feeds no fact either."""
    empty = (Tally(), stats.DEFAULT_ANONYMITY_THRESHOLD)
    facts: dict = {}
    nps = stats.nps(**pooled.get("nps", empty)[0].nps_counts()._asdict())
    if nps.status == "ok":
        facts.update(nps=nps.value, nps_margin=nps.margin, nps_indicative=nps.indicative)
    csat = stats.csat(counts=pooled.get("csat", empty)[0].scale("csat"))
    if csat.status == "ok":
        facts.update(csat_t2b=csat.value, csat_b2b=csat.low_share, csat_indicative=csat.indicative)
    ces = stats.ces(counts=pooled.get("ces", empty)[0].scale("ces"))
    if ces.status == "ok":
        facts.update(ces_agree=ces.value, ces_indicative=ces.indicative)
    tally, k = pooled.get("enps", empty)
    enps = stats.enps(**tally.nps_counts("enps")._asdict(), threshold=k)
    if enps.status == "ok":
        facts["enps"] = enps.value
    tally, k = pooled.get("state_at_work", empty)
    wellbeing = stats.state_at_work(counts=tally.scale("state_at_work"), threshold=k)
    if wellbeing.status == "ok":
        facts["wellbeing_mean"] = wellbeing.value
    return facts


__all__ = ["PeriodSurveyResults", "survey_period_results"]
