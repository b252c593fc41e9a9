"""Survey results for an audit's period: the figures shown on the audit results page and
the facts its recommendation rules read (METHODOLOGY §9). Closed waves only (A5), every
wave of the company counted in ONE aggregate query."""

from dataclasses import dataclass, field
from datetime import date

from cxaudit.accounts.models import Organisation

from . import library, stats
from .models import Audience, Response, Wave
from .selectors import Figure, Tally, anonymity_threshold, count_expressions, metric_figure

CUSTOMER_KEYS = ("nps", "csat", "ces")
EMPLOYEE_KEYS = ("enps", "state_at_work")


@dataclass
class PeriodSurveyResults:
    figures: list[Figure] = field(default_factory=list)
    waves: int = 0
    facts: dict = field(default_factory=dict)  # keyword arguments for MetricFacts


class _AllQuestions:
    """count_expressions() reads ``blocks``: count every question any survey can hold."""

    blocks = tuple(library.CUSTOMER_BLOCKS) + tuple(library.EMPLOYEE_BLOCKS)


def _closed(waves, today: date):
    return [wave for wave in waves if wave.status_on(today) == Wave.Status.CLOSED]


def survey_period_results(
    *, company: Organisation, start: date, end: date, today: date
) -> PeriodSurveyResults:
    waves = list(
        Wave.objects.filter(survey__company=company, opens_on__lte=end)
        .select_related("survey")
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
    customer, employee, anonymous = Tally(), Tally(), False
    by_wave = {w.pk: w for w in in_period}
    rows = (
        Response.objects.filter(wave_id__in=by_wave)
        .values("wave_id")
        .annotate(**count_expressions(_AllQuestions))
        .order_by()
    )
    for row in rows:
        survey = by_wave[row["wave_id"]].survey
        if survey.audience == Audience.CUSTOMER:
            customer.add(row)
            anonymous = anonymous or survey.anonymous
        else:
            employee.add(row)
    k = anonymity_threshold(company)
    for key in CUSTOMER_KEYS:
        if customer.answered(key):
            result.figures.append(metric_figure(key, customer, k=k, anonymous=anonymous))
    for key in EMPLOYEE_KEYS:
        if employee.answered(key) or employee.n:
            result.figures.append(metric_figure(key, employee, k=k, anonymous=True))
    result.facts.update(_facts(customer, employee, k))
    return result


def _facts(customer: Tally, employee: Tally, k: int) -> dict:
    """Displayed values only: hidden figures trigger nothing (METHODOLOGY §9)."""
    facts: dict = {}
    nps = stats.nps(**customer.nps_counts()._asdict())
    if nps.status == "ok":
        facts.update(nps=nps.value, nps_margin=nps.margin, nps_indicative=nps.indicative)
    csat = stats.csat(counts=customer.scale("csat"))
    if csat.status == "ok":
        facts.update(csat_t2b=csat.value, csat_b2b=csat.low_share, csat_indicative=csat.indicative)
    ces = stats.ces(counts=customer.scale("ces"))
    if ces.status == "ok":
        facts.update(ces_agree=ces.value, ces_indicative=ces.indicative)
    enps = stats.enps(**employee.nps_counts("enps")._asdict(), threshold=k)
    if enps.status == "ok":
        facts["enps"] = enps.value
    wellbeing = stats.state_at_work(counts=employee.scale("state_at_work"), threshold=k)
    if wellbeing.status == "ok":
        facts["wellbeing_mean"] = wellbeing.value
    return facts


__all__ = ["PeriodSurveyResults", "survey_period_results"]
