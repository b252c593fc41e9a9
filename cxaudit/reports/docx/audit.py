"""The audit report's chapters in Word, one function per section of
``templates/reports/pdf/audit_report.html``, with the same texts (the same messages of the
catalogue) and the same numbers, from the same context."""

from __future__ import annotations

from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from assessments.templatetags.cx import priority_word

from .writer import Writer, clean


def pct(text: str) -> str:
    """A ``{% translate %}`` message holding "%": the catalogue spells it "%%"."""
    return text.replace("%%", "%")


def day(value, fmt: str = "DATE_FORMAT") -> str:
    return date_format(value, fmt) if value else ""


def dash(value) -> str:
    return "—" if value is None or value == "" else clean(value)


def texts(context: dict[str, Any]) -> dict[str, Any]:
    return context["texts"]


# ----------------------------------------------------------------------------- cover


def cover(w: Writer, context: dict[str, Any], *, logo: bytes | None, brand: str) -> None:
    audit, company = context["audit"], context["company"]
    if logo:
        w.picture(logo, width_cm=4.5, style="CX Kicker")
    if brand:
        w.paragraph(brand, "CX Kicker" if not logo else "CX Note")
        contact = context["branding"].contact
        if contact:
            w.note(contact)
    w.paragraph(gettext("Customer service audit"), "CX Kicker")
    w.paragraph(company.name, "CX Title")
    w.paragraph(audit.title, "CX Subtitle")
    industry = getattr(company, "industry", "")
    consultant = clean(context["consultant"])
    consultancy = context.get("consultancy")
    if consultancy and not audit.is_self_assessment:
        consultant = f"{consultant} · {clean(consultancy.name)}"
    rows = [
        [
            gettext("Company"),
            f"{clean(company.name)} · {clean(industry)}" if industry else company.name,
        ],
        [gettext("Consultant"), consultant],
        [gettext("Audit period"), f"{day(audit.period_start)} – {day(audit.period_end)}"],
        [gettext("Report date"), day(context.get("generated_at"))],
    ]
    if audit.round_number > 1:
        rows.append([gettext("Round"), audit.round_number])
    w.table(None, [[(label, "strong"), value] for label, value in rows], widths=(4.5, 12.9))
    w.note(gettext("Confidential: prepared for the company's management."))


def contents(w: Writer, toc: list[dict[str, str]], *, page_break: bool) -> None:
    w.heading(gettext("Contents"), anchor="contents", page_break=page_break)
    w.contents([(entry["id"], entry["title"]) for entry in toc])


def introduction(w: Writer, context: dict[str, Any]) -> None:
    """The consultant's introduction, a chapter of its own before the summary (when
    written)."""
    w.heading(gettext("Introduction"), anchor="introduction", page_break=True)
    w.rich(texts(context).get("introduction"))


# ----------------------------------------------------------------------------- summary


def summary(w: Writer, context: dict[str, Any]) -> None:
    results, audit, company = context["results"], context["audit"], context["company"]
    w.heading(gettext("Executive summary"), anchor="summary", page_break=True)
    w.rich(texts(context).get("summary"))
    cards: list[list[Any]] = []
    if results.has_score:
        level = f"{clean(results.level)} · {clean(results.level_name)}"
        cards.append([gettext("Overall maturity"), [(results.overall, "strong"), level]])
    cards.append(
        [
            gettext("Staff self-assessments submitted"),
            (f"{clean(context['staff_submitted'])} / {clean(context['staff_count'])}", "strong"),
        ]
    )
    cards.append([gettext("Recommendations"), (len(context["recommendations"]), "strong")])
    cards.append([gettext("Actions planned"), (context["actions_planned"], "strong")])
    w.table(None, cards, widths=(8.7, 8.7))
    w.paragraph(
        gettext(
            "This report sums up the audit of customer service at %(company)s carried out "
            "from %(start)s to %(end)s: how mature the service practice is, where it is "
            "strong, where it is at risk, and what to do next."
        )
        % {
            "company": clean(company.name),
            "start": day(audit.period_start),
            "end": day(audit.period_end),
        }
    )
    if results.has_score:
        callout = w.paragraph(style="CX Callout")
        w.text(
            callout,
            gettext("Level %(level)s: %(name)s.")
            % {"level": clean(results.level), "name": clean(results.level_name)},
            strong=True,
        )
        w.text(callout, f" {clean(results.level_description)}")
        if results.capped_by:
            w.note(
                gettext("The level is capped by the weakest domain: %(domain)s.")
                % {"domain": clean(results.capped_by)}
            )
        if results.partial:
            w.note(
                gettext("Partial: some domains have too few answers to score:")
                + " "
                + ", ".join(clean(m) for m in results.missing)
            )
    elif results:
        w.paragraph(
            gettext("Not enough answers yet: at least half of the domains need a score."),
            "CX Callout",
        )
    if results.strongest or results.weakest:
        strong = [
            f"{i}. {clean(r.label)} — {clean(r.display)}" for i, r in _numbered(results.strongest)
        ]
        weak = [
            f"{i}. {clean(r.label)} — {clean(r.display)}" for i, r in _numbered(results.weakest)
        ]
        w.table([gettext("Strengths"), gettext("Risks")], [[strong, weak]], widths=(8.7, 8.7))
    if context.get("headline"):
        w.heading(gettext("Headline figures"), 2)
    for block in context.get("headline") or ():
        if block["template"].endswith("_headline_surveys.html"):
            _headline_surveys(w, block["data"])
        else:
            _headline_metrics(w, block["data"])
    if context["recommendations"]:
        w.heading(gettext("Top priorities"), 2)
        w.items([row["text"] for row in context["recommendations"][:3]], numbered=True)


def _numbered(rows):
    return enumerate(rows, start=1)


def survey_value(figure) -> list:
    """A survey figure as ``_survey_value.html`` shows it."""
    if not figure.shown:
        return [(figure.message, "note")]
    value = clean(figure.value)
    if figure.margin:
        value += f" ± {clean(figure.margin)}"
    lines: list = [value]
    if figure.interval:
        lines.append((figure.interval, "note"))
    if figure.indicative:
        lines.append((gettext("indicative"), "note"))
    return lines


def _band(figure) -> str:
    return clean(figure.band_label) if figure.shown and figure.band else ""


def _headline_surveys(w: Writer, data: dict[str, Any]) -> None:
    waves = data["waves"]
    caption = (
        gettext("Surveys in the audit period")
        + " · "
        + (
            ngettext("%(counter)s closed wave", "%(counter)s closed waves", waves)
            % {"counter": waves}
        )
    )
    w.paragraph(caption, "CX Caption")
    rows = [[f.label, survey_value(f), _band(f)] for f in data["figures"]]
    w.table(None, rows, widths=(7.8, 5.6, 4.0))


def _metric_band(row: dict[str, Any]) -> str:
    return clean(row["band_text"]) if row.get("band") in ("attention", "good") else ""


def _headline_metrics(w: Writer, data: dict[str, Any]) -> None:
    w.paragraph(
        gettext("Business metrics, %(period)s") % {"period": clean(data["period"].label)},
        "CX Caption",
    )
    rows = [[row["label"], row["value"], _metric_band(row)] for row in data["rows"]]
    w.table(None, rows, widths=(7.8, 5.6, 4.0))


# ----------------------------------------------------------------------------- maturity


def maturity(w: Writer, context: dict[str, Any]) -> None:
    results = context["results"]
    w.heading(gettext("Maturity by domain"), anchor="maturity", page_break=True)
    if results.radar_svg:
        w.chart(results.radar_svg, max_width_cm=12.7)
    if results.radar_by_instrument:
        w.note(
            gettext(
                "Too many domains for one radar: it shows each instrument's score, and the "
                "table below shows every domain."
            )
        )
    rows: list[list] = []
    instrument = object()
    for row in results.domains:
        if row.instrument_title != instrument:
            instrument = row.instrument_title
            rows.append([row.instrument_title])
        if row.display is not None:
            score = clean(row.display)
        elif row.status == "insufficient":
            score = gettext("insufficient evidence")
        else:
            score = "—"
        level = f"{clean(row.level)} · {clean(row.level_name)}" if row.level else ""
        rows.append([row.title, score, level, f"{clean(row.answered)} / {clean(row.applicable)}"])
    header = [gettext("Domain"), gettext("Score"), gettext("Level"), gettext("Answered")]
    w.table(header, rows, widths=(7.4, 3.0, 4.5, 2.5))
    if results.trend_svg:
        w.heading(gettext("Change since the previous round"), 2)
        w.chart(results.trend_svg)


# ----------------------------------------------------------------------------- findings


def findings(w: Writer, context: dict[str, Any]) -> None:
    w.heading(gettext("Findings by domain"), anchor="findings", page_break=True)
    instruments = context["instruments"]
    if not instruments:
        w.note(gettext("No checklist is attached to this audit."))
    for instrument in instruments:
        concluded = [d for d in instrument["domains"] if d.get("conclusion")]
        shown = [d for d in instrument["domains"] if d["findings"] or d.get("conclusion")]
        if not (instrument["with_findings"] or concluded):
            continue
        w.heading(instrument["title"], 2)
        for domain in shown:
            w.heading(domain["title"], 3)
            w.rich(domain.get("conclusion"))
            for row in domain["findings"]:
                w.text(w.paragraph(), row["text"], strong=True)
                if row["answer"]:
                    w.note(f"{gettext('Answer')}: {clean(row['answer'])}")
                if row["comment"]:
                    w.paragraph(row["comment"], "CX Quote")
                if row["evidence"]:
                    w.note(f"{gettext('Evidence')}: {', '.join(clean(e) for e in row['evidence'])}")
    if context["findings_elsewhere"]:
        if context["findings_any"]:
            w.note(
                gettext(
                    "The other domains have no comments or evidence; every answer is in "
                    "the appendix."
                )
            )
        else:
            w.note(gettext("No domain has comments or evidence; every answer is in the appendix."))


# ----------------------------------------------------------------------------- gap


def gap(w: Writer, context: dict[str, Any]) -> None:
    results = context["results"]
    w.heading(gettext("Staff and consultant views"), anchor="gap", page_break=True)
    minimum = results.staff_minimum
    if not results.staff_compared:
        if not results.staff_count:
            text = gettext(
                "No staff member answered the self-assessment; comparing staff with the "
                "consultant needs at least %(minimum)s, so this section is left out."
            ) % {"minimum": minimum}
        else:
            n = results.staff_count
            text = ngettext(
                "Only %(n)s staff member answered the self-assessment; comparing staff with "
                "the consultant needs at least %(minimum)s, so this section is left out.",
                "Only %(n)s staff members answered the self-assessment; comparing staff with "
                "the consultant needs at least %(minimum)s, so this section is left out.",
                n,
            ) % {"n": n, "minimum": minimum}
        w.paragraph(text)
        return
    n = results.staff_count
    w.paragraph(
        ngettext(
            "%(n)s staff member assessed the same items.",
            "%(n)s staff members assessed the same items.",
            n,
        )
        % {"n": n}
        + " "
        + gettext(
            "A blind spot is where staff rate the practice clearly higher than the "
            "consultant; a hidden strength is the reverse."
        )
    )
    if results.gap_svg:
        w.chart(results.gap_svg)
    flags = {"blind_spot": gettext("blind spot"), "hidden_strength": gettext("hidden strength")}
    rows = [
        [g.title, dash(g.staff), dash(g.consultant), dash(g.gap), flags.get(g.flag, "")]
        for g in results.gaps
    ]
    header = [
        gettext("Domain"),
        gettext("Staff"),
        gettext("Consultant"),
        gettext("Gap"),
        gettext("Flag"),
    ]
    w.table(header, rows, widths=(6.4, 2.5, 2.8, 2.2, 3.5))


# ----------------------------------------------------------------------------- canvas, journey


def canvas(w: Writer, context: dict[str, Any]) -> None:
    w.heading(gettext("Strategy canvas"), anchor="canvas")
    rows = [[question, dash(answer)] for question, answer in context["results"].canvas]
    w.table([gettext("Question"), gettext("Answer")], rows, widths=(7.0, 10.4))


def journey(w: Writer, context: dict[str, Any]) -> None:
    w.heading(gettext("Customer journey"), anchor="journey")
    rows = []
    for stage in context["journey"]:
        for point in stage["touchpoints"]:
            rows.append(
                [
                    stage["stage"],
                    point.name,
                    dash(point.channel),
                    dash(point.emotion or None),
                    dash(point.pain_point),
                    dash(point.improvement),
                ]
            )
    header = [
        gettext("Stage"),
        gettext("Touchpoint"),
        gettext("Channel"),
        gettext("Emotion"),
        gettext("Pain point"),
        gettext("Improvement idea"),
    ]
    w.table(header, rows, widths=(2.6, 2.8, 2.2, 1.8, 4.0, 4.0))


# ----------------------------------------------------------------------------- plan


def severity_word(severity) -> str:
    if severity == 3:
        return gettext("critical")
    if severity == 2:
        return gettext("important")
    return gettext("advisory")


def status_display(value) -> str:
    """``{{ value.get_status_display }}``: a proposal the rule engine made but nobody
    stored yet has no status, and the PDF shows nothing for it."""
    method = getattr(value, "get_status_display", None)
    return clean(method()) if callable(method) else ""


def recommendations(w: Writer, context: dict[str, Any]) -> None:
    w.heading(gettext("Recommendations"), anchor="recommendations", page_break=True)
    rows = context["recommendations"]
    if not rows:
        w.note(gettext("No recommendations were made."))
        return
    w.note(
        gettext("Sorted by priority: severity weighted by how far the practice is from healthy.")
        + " "
        + gettext(
            "Under each recommendation: why it appears, from the audit's answers, scores, "
            "surveys and metrics."
        )
    )
    table_rows = []
    for number, row in enumerate(rows, start=1):
        recommendation = row["recommendation"]
        cell: list = [row["text"]]
        if getattr(recommendation, "indicative", False):
            cell.append((gettext("Indicative: based on few responses."), "note"))
        if row["reasons"]:
            cell.append((gettext("Why:"), "note"))
            cell.extend((f"• {clean(reason)}", "note") for reason in row["reasons"])
        table_rows.append(
            [
                number,
                cell,
                severity_word(recommendation.severity),
                priority_word(recommendation.priority),
                status_display(recommendation),
            ]
        )
    header = [
        "#",
        gettext("Recommendation"),
        gettext("Severity"),
        gettext("Priority"),
        gettext("Status"),
    ]
    w.table(header, table_rows, widths=(0.9, 10.3, 2.2, 1.9, 2.1))


def actions(w: Writer, context: dict[str, Any]) -> None:
    w.heading(gettext("Action plan"), anchor="actions")
    if not context["actions"]:
        w.note(gettext("No actions have been planned yet."))
        return
    rows = []
    for action in context["actions"]:
        cell: list = [action.display_title]
        if action.notes:
            cell.append((action.notes, "note"))
        rows.append(
            [
                cell,
                dash(action.owner),
                dash(day(action.due_date, "SHORT_DATE_FORMAT")),
                action.get_status_display(),
            ]
        )
    header = [gettext("Action"), gettext("Owner"), gettext("Due"), gettext("Status")]
    w.table(header, rows, widths=(9.4, 3.4, 2.4, 2.2))


# ----------------------------------------------------------------------------- appendix


def appendix(w: Writer, context: dict[str, Any]) -> None:
    w.heading(gettext("Appendix: methodology and answers"), anchor="appendix", page_break=True)
    w.heading(gettext("How the audit was done"), 2)
    w.paragraph(
        gettext(
            "The consultant answered each checklist item from observation, documents and "
            "interviews; those answers are the official score. Staff answered the same items "
            "as a self-assessment, and the difference between the two views shows blind spots "
            "and hidden strengths."
        )
    )
    w.paragraph(
        gettext(
            "A domain's score is the weighted share of the best possible answers, from 0 to "
            "100; a domain with fewer than half of its items answered has no score. The "
            "overall score is the weighted mean of the domain scores, and the overall level is "
            "at most one above the weakest domain's level."
        )
    )
    levels = [
        [f"{level['number']} {clean(level['name'])}", level["band"], level["description"]]
        for level in context["levels"]
    ]
    w.table(
        [gettext("Level"), gettext("Score"), gettext("What it means")],
        levels,
        widths=(3.6, 2.2, 11.6),
    )
    w.heading(gettext("Every answer"), 2)
    for instrument in context["instruments"]:
        version = gettext("version %(number)s") % {"number": instrument["version"]}
        w.paragraph(f"{clean(instrument['title'])} · {version}", "CX Caption")
        rows: list[list] = []
        for domain in instrument["domains"]:
            rows.append([domain["title"]])
            for row in domain["items"]:
                if row["free_text"]:
                    cell: list = [row["text"], dash(row["answer"])]
                    if row["comment"]:
                        cell.append((row["comment"], "note"))
                    rows.append([cell])
                else:
                    rows.append([row["text"], dash(row["answer"]), row["comment"]])
                if row["evidence"]:
                    names = ", ".join(clean(name) for name in row["evidence"])
                    evidence = (f"{gettext('Evidence')}: {names}", "note")
                    last = rows[-1]
                    if row["free_text"]:
                        last[0].append(evidence)
                    else:
                        last[2] = [last[2], evidence] if last[2] else [evidence]
        header = [gettext("Item"), gettext("Answer"), gettext("Comment")]
        w.table(header, rows, widths=(9.6, 2.6, 5.2))
