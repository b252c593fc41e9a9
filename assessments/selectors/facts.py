"""What one audit's results are computed from, read in a bounded number of queries: the
pinned instruments, the official (assessor) answers, the staff tallies summed in SQL, the
touchpoints and the period's survey and business figures; and the scores and gaps the pure
scoring module computes from them."""

import dataclasses
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import cached_property

from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cxaudit import recommendations as rules_engine
from cxaudit import scoring
from cxaudit.instrument_schema import Section
from cxaudit.metrics.selectors import company_metric_facts
from surveys.audit_facts import survey_period_results

from ..models import Answer, Audit, AuditInstrument, ParticipantKind, Touchpoint
from ..models.library import document_digest, versions_parse


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
    result: scoring.DomainGap = field(repr=False)
    section: Section = field(repr=False)
    language: str = field(repr=False)

    @cached_property
    def items(self) -> list[GapItemRow]:
        """One row per item, built when a page lists them (the results page does not)."""
        items_by_key = {item.key: item for item in self.section.items}
        return [
            GapItemRow(
                title=items_by_key[g.key].text.get(self.language),
                staff=_pct(g.staff),
                consultant=_pct(g.consultant),
                gap=scoring.display(g.gap),
                flag=g.flag,
                staff_count=g.staff_count,
            )
            for g in self.result.items
        ]


def audit_instruments_pinned(*, audit: Audit) -> list[AuditInstrument]:
    """The audit's instrument versions in order, parsed: the documents are read only when
    this process has not parsed them yet."""
    instruments = list(
        audit.instruments.select_related("version", "version__instrument")
        .defer("version__document", "version__yaml_text")
        .annotate(digest=document_digest("version__document"))
        .order_by("position")
    )
    versions_parse([(ai.version, ai.digest) for ai in instruments])
    return instruments


@dataclass(frozen=True)
class VersionSpecs:
    """What scoring reads from one parsed instrument version: its scored sections as specs,
    and each item's "instrument:section" and "instrument:section.item" refs by item key."""

    sections: tuple[tuple[scoring.SectionSpec, Section], ...]
    refs: dict[str, tuple[str, str]]


# By document digest: built from immutable content (an edited document has another digest),
# so this can never be stale; bounded like the parsed documents it is built from.
_VERSION_SPECS: dict[str, VersionSpecs] = {}


def digest_memo(store: dict, audit_instrument: AuditInstrument, build):
    """``build(parsed)`` for a pinned version loaded by ``audit_instruments_pinned``, once per
    document digest in this process: for what is derived from the document alone."""
    digest = audit_instrument.digest
    value = store.get(digest)
    if value is None:
        value = build(audit_instrument.version.parsed)
        if len(store) > 512:
            store.clear()
        store[digest] = value
    return value


def version_specs(audit_instrument: AuditInstrument) -> VersionSpecs:
    return digest_memo(_VERSION_SPECS, audit_instrument, _version_specs_build)


def _version_specs_build(parsed) -> VersionSpecs:
    sections = []
    if parsed.is_scored:
        for section in parsed.sections:
            if not section.is_scored:
                continue
            items = tuple(
                scoring.ItemSpec(
                    key=item.key, scale=item.scale, weight=item.weight, allow_na=item.allow_na
                )
                for item in section.items
                if item.is_scored
            )
            ref = f"{parsed.key}:{section.key}"
            sections.append(
                (scoring.SectionSpec(key=ref, weight=section.weight, items=items), section)
            )
    refs = {}
    for section, item in parsed.items():
        ref = f"{parsed.key}:{section.key}"
        refs[item.key] = (ref, f"{ref}.{item.key}")
    return VersionSpecs(sections=tuple(sections), refs=refs)


def _section_specs(instruments):
    specs, titles, groups = [], {}, []
    language = get_language() or "ru"
    for audit_instrument in instruments:
        parsed = audit_instrument.version.parsed
        sections = version_specs(audit_instrument).sections
        if sections:
            groups.append((parsed.title.get(language), [spec.key for spec, _s in sections]))
        for spec, section in sections:
            specs.append(spec)
            titles[spec.key] = (parsed.title.get(language), section.title.get(language), section)
    return specs, titles, groups


def domain_labels(titles: dict) -> dict[str, str]:
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


def _instrument_scores(maturity, groups) -> list[tuple[str, Fraction | None]]:
    """Each scored instrument's own overall score (§7.2 over its domains), in audit order,
    from the domains already scored for the whole audit."""
    return [
        (title, scoring.maturity_from_domains([maturity.domain(key) for key in keys]).score)
        for title, keys in groups
    ]


def _item_refs(instruments) -> dict[int, dict[str, tuple[str, str]]]:
    """Each pinned item's refs (see ``VersionSpecs``) by audit instrument id, then item key."""
    return {ai.pk: version_specs(ai).refs for ai in instruments}


def _official_answers(audit: Audit, refs) -> tuple[dict, dict]:
    """Assessor answers by "instrument:section" then item key, and the stored rows (value,
    text, is_na) by "instrument:section.item"."""
    answers: dict[str, dict[str, scoring.Answer]] = {}
    raw = {}
    rows = (
        Answer.objects.official()
        .filter(audit_instrument_id__in=refs)  # the audit's instruments: no join to them
        .values_list("audit_instrument_id", "item_key", "value", "text", "is_na", named=True)
    )
    for row in rows:
        found = refs[row.audit_instrument_id].get(row.item_key)
        if found is None:  # an item the pinned version does not have
            continue
        section_ref, item_ref = found
        answers.setdefault(section_ref, {})[row.item_key] = scoring.Answer(
            value=row.value, is_na=row.is_na
        )
        raw[item_ref] = row
    return answers, raw


def _staff_tallies(audit: Audit, refs) -> dict[str, dict[str, scoring.StaffTally]]:
    """Per item, how many staff answered and the sum of their answers: one SQL aggregate."""
    tallies: dict[str, dict[str, scoring.StaffTally]] = {}
    rows = (
        Answer.objects.filter(
            audit_instrument_id__in=refs,  # the audit's instruments: grouped along their index
            participant__kind=ParticipantKind.STAFF,
            is_na=False,
            value__isnull=False,
        )
        .values_list("audit_instrument_id", "item_key")
        .annotate(n=Count("id"), total=Sum("value"))
        .order_by()
    )
    for audit_instrument_id, item_key, n, total in rows:
        found = refs[audit_instrument_id].get(item_key)
        if found is not None:
            tallies.setdefault(found[0], {})[item_key] = scoring.StaffTally(count=n, total=total)
    return tallies


def _pct(value: Fraction | None) -> Decimal | None:
    return None if value is None else scoring.display(value * 100)


def _gap_rows(specs, titles, official, tallies, language) -> list[GapRow]:
    labels = domain_labels(titles)
    rows = []
    for spec in specs:
        result = scoring.domain_gap_from_tallies(
            spec, tallies.get(spec.key, {}), official.get(spec.key, {})
        )
        rows.append(
            GapRow(
                ref=spec.key,
                title=labels[spec.key],
                staff=scoring.display(result.staff_score),
                consultant=scoring.display(result.consultant_score),
                gap=scoring.display(result.gap),
                flag=result.flag,
                staff_count=result.staff_count,
                result=result,
                section=titles[spec.key][2],
                language=language,
            )
        )
    return rows


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


@dataclass
class AuditFacts:
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


def audit_facts_get(*, audit: Audit) -> AuditFacts:
    language = get_language() or "ru"
    instruments = audit_instruments_pinned(audit=audit)
    specs, titles, groups = _section_specs(instruments)
    refs = _item_refs(instruments)
    official, raw_answers = _official_answers(audit, refs)
    tallies = _staff_tallies(audit, refs)
    surveys, business, metric_facts = audit_metric_facts(audit=audit)
    maturity = scoring.score_audit(specs, official)
    return AuditFacts(
        instruments=instruments,
        titles=titles,
        raw_answers=raw_answers,
        maturity=maturity,
        gaps=_gap_rows(specs, titles, official, tallies, language),
        touchpoints=list(audit.touchpoints.order_by("stage_key", "position", "pk")),
        surveys=surveys,
        business=business,
        metric_facts=metric_facts,
        instrument_scores=_instrument_scores(maturity, groups),
    )
