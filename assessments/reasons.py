"""Why a recommendation appears, in words: stored trigger dicts → translated sentences.

A recommendation keeps the triggers that fired as plain dicts (``kind``, ``ref``,
``observed``, ``condition``, ``threshold`` and, for touchpoints, the ``title``); this module
turns them into sentences in the active language, such as
“Golding's framework · Measurement: “We assess …” — answered “No””. The recommendations page,
the action plan and the PDF report share it, so it is a plain function of the reasons and
the audit's instruments.
"""

from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation

from django.utils.formats import number_format
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from cxaudit.instrument_schema import Instrument

from .answering import item_choices

PERCENT = "%"
POINTS = "pt"
MINUTES = "min"
# Metric name → (label, unit) of the values the engine compares.
METRICS = {
    "nps": (gettext_lazy("NPS"), ""),
    "nps_margin": (gettext_lazy("The NPS margin of error"), POINTS),
    "csat_t2b": (gettext_lazy("The share of satisfied customers (CSAT 4–5)"), PERCENT),
    "csat_b2b": (gettext_lazy("The share of dissatisfied customers (CSAT 1–2)"), PERCENT),
    "ces_agree": (gettext_lazy("The share of customers who found it easy (CES)"), PERCENT),
    "enps": (gettext_lazy("eNPS"), ""),
    "wellbeing_mean": (gettext_lazy("The mean state at work (0–10)"), ""),
    "monthly_churn": (gettext_lazy("Monthly churn"), PERCENT),
    "repeat_rate_drop": (gettext_lazy("The fall in the repeat purchase rate"), POINTS),
    "frt_median_minutes": (gettext_lazy("The median first response time"), MINUTES),
    "fcr": (gettext_lazy("First contact resolution"), PERCENT),
    "iqs": (gettext_lazy("The internal quality score"), ""),
    "cost_share": (gettext_lazy("Support costs as a share of revenue"), PERCENT),
}
UNITS = {
    PERCENT: gettext_lazy("%(n)s%%"),
    POINTS: gettext_lazy("%(n)s points"),
    MINUTES: gettext_lazy("%(n)s min"),
}
COMPARISONS = {
    "<": gettext_lazy("%(metric)s is %(value)s, below %(threshold)s"),
    "<=": gettext_lazy("%(metric)s is %(value)s, at most %(threshold)s"),
    ">": gettext_lazy("%(metric)s is %(value)s, above %(threshold)s"),
    ">=": gettext_lazy("%(metric)s is %(value)s, at least %(threshold)s"),
}


def _parsed(instrument) -> Instrument:
    """An AuditInstrument, an InstrumentVersion or an already parsed instrument."""
    version = getattr(instrument, "version", instrument)
    return getattr(version, "parsed", version)


def _number(value, *, whole_if_possible: bool = False) -> str:
    """A stored decimal string in the active locale ("28.0" → "28,0" in Russian)."""
    if value is None:
        return "—"
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if whole_if_possible and number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    return number_format(number)


def _where(parsed: Instrument | None, section_key: str, language: str) -> str:
    if parsed is None:
        return section_key
    try:
        section = parsed.section(section_key)
    except KeyError:
        return parsed.title.get(language)
    return f"{parsed.title.get(language)} · {section.title.get(language)}"


def _item_reason(reason: Mapping, instruments: Mapping[str, Instrument], language: str) -> str:
    ref = str(reason.get("ref", ""))
    instrument_key, _sep, rest = ref.partition(":")
    section_key, _dot, item_key = rest.partition(".")
    parsed = instruments.get(instrument_key)
    item = None
    if parsed is not None:
        try:
            item = parsed.item(rest)
        except KeyError:
            item = None
    where = _where(parsed, section_key, language) if item is not None else ref
    text = item.text.get(language) if item is not None else item_key
    observed = reason.get("observed")
    if reason.get("condition") == "blank" or observed is None:
        return _("%(where)s: “%(item)s” — left blank") % {"where": where, "item": text}
    try:
        raw = int(observed)
    except (TypeError, ValueError):
        raw = None
    if item is not None and item.scale == "plus" and raw == 0:
        return _("%(where)s: “%(item)s” — not ticked") % {"where": where, "item": text}
    label = str(observed)
    if item is not None and raw is not None:
        label = next((c.label for c in item_choices(item) if c.value == raw), label)
    return _("%(where)s: “%(item)s” — answered “%(answer)s”") % {
        "where": where,
        "item": text,
        "answer": label,
    }


def _domain_reason(reason: Mapping, instruments: Mapping[str, Instrument], language: str) -> str:
    instrument_key, _sep, section_key = str(reason.get("ref", "")).partition(":")
    return _("%(where)s: domain score %(score)s is below %(threshold)s") % {
        "where": _where(instruments.get(instrument_key), section_key, language),
        "score": _number(reason.get("observed")),
        "threshold": _number(reason.get("threshold"), whole_if_possible=True),
    }


def _metric_reason(reason: Mapping) -> str:
    ref = str(reason.get("ref", ""))
    condition = reason.get("condition")
    observed = reason.get("observed")
    if ref == "days_since_customer_wave":
        if condition == "never" or observed is None:
            return _("No customer survey wave has been closed yet")
        days = int(Decimal(str(observed)))
        return ngettext(
            "The last customer survey wave closed %(days)s day ago (the limit is %(limit)s)",
            "The last customer survey wave closed %(days)s days ago (the limit is %(limit)s)",
            days,
        ) % {"days": days, "limit": _number(reason.get("threshold"), whole_if_possible=True)}
    if ref == "net_change":
        return _("More customers lost than won: %(value)s") % {"value": _number(observed)}
    label, unit = METRICS.get(ref, (ref, ""))

    def with_unit(text: str) -> str:
        return str(UNITS[unit]) % {"n": text} if unit else text

    value = with_unit(_number(observed))
    template = COMPARISONS.get(str(condition))
    if template is None:
        return f"{label}: {value}"
    return str(template) % {
        "metric": label,
        "value": value,
        "threshold": with_unit(_number(reason.get("threshold"), whole_if_possible=True)),
    }


def _touchpoint_reason(reason: Mapping, touchpoints: Mapping[str, str]) -> str:
    ref = str(reason.get("ref", ""))
    name = reason.get("title") or touchpoints.get(ref) or f"#{ref}"
    return _("Touchpoint “%(name)s”: emotion %(value)s of 5") % {
        "name": name,
        "value": reason.get("observed") or "—",
    }


OUTCOMES = {"nps": "NPS", "csat": "CSAT", "enps": "eNPS"}


def _driver_reason(reason: Mapping, language: str) -> str:
    texts = reason.get("question") or {}
    question = texts.get(language) or texts.get("ru") or texts.get("en") or reason.get("ref")
    return _(
        "Key drivers of the latest survey wave: “%(question)s” is the one to fix first, with "
        "%(share)s%% of the explained variation in %(outcome)s and a score of %(score)s of 100"
    ) % {
        "question": question,
        "share": _number(reason.get("observed")),
        "outcome": OUTCOMES.get(str(reason.get("outcome")), reason.get("outcome") or ""),
        "score": _number(reason.get("performance")),
    }


def _theme_reason(reason: Mapping, language: str) -> str:
    texts = reason.get("theme") or {}
    theme = texts.get(language) or texts.get("ru") or texts.get("en") or reason.get("ref")
    return _(
        "Comment themes of the latest survey wave: “%(theme)s” is the theme detractors "
        "mention most, in %(share)s%% of their comments against %(promoters)s%% of promoters'"
    ) % {
        "theme": theme,
        "share": _number(reason.get("observed")),
        "promoters": _number(reason.get("promoters")),
    }


def _gap_reason(reason: Mapping, instruments: Mapping[str, Instrument], language: str) -> str:
    instrument_key, _sep, section_key = str(reason.get("ref", "")).partition(":")
    return _("%(where)s: staff rate the practice much higher than the consultant (blind spot)") % {
        "where": _where(instruments.get(instrument_key), section_key, language)
    }


def reason_lines(
    reasons: Iterable[Mapping] | None,
    instruments: Iterable = (),
    *,
    touchpoints: Mapping[str, str] | None = None,
) -> list[str]:
    """One translated sentence per trigger, in the active language.

    ``instruments`` are the audit's AuditInstrument rows (or parsed instruments);
    ``touchpoints`` optionally maps touchpoint keys to names for reasons stored without one.
    """
    language = get_language() or "ru"
    by_key = {parsed.key: parsed for parsed in map(_parsed, instruments)}
    names = touchpoints or {}
    lines = []
    for reason in reasons or ():
        kind = reason.get("kind")
        if kind == "item":
            lines.append(_item_reason(reason, by_key, language))
        elif kind == "domain":
            lines.append(_domain_reason(reason, by_key, language))
        elif kind == "metric":
            lines.append(_metric_reason(reason))
        elif kind == "touchpoint":
            lines.append(_touchpoint_reason(reason, names))
        elif kind == "gap":
            lines.append(_gap_reason(reason, by_key, language))
        elif kind == "driver":
            lines.append(_driver_reason(reason, language))
        elif kind == "theme":
            lines.append(_theme_reason(reason, language))
        else:
            lines.append(str(reason.get("ref", "")))
    return lines
