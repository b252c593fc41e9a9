"""XSS: names, comments, answers and instrument texts carrying markup are shown escaped on
every page, every HTML response has a strict Content-Security-Policy, and no page relies on
inline script that the policy would block.

The world of the access matrix is made hostile: every free-text column of every row gets
the payload, and a private instrument whose texts are the payload is pinned to the audit
and answered. Then every URL of the matrix is requested by each role of the company.
"""

import json
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.integration.test_permissions import MATRIX
from tests.security.conftest import login

PAYLOAD = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'
RAW_MARKERS = ("<script>alert(1)", "<img src=x", "onerror=alert(1)>")
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"

# Free-text columns a user, a client or an uploaded file can fill.
HOSTILE_FIELDS = {
    "accounts.User": ["full_name"],
    "accounts.Organisation": ["name", "industry"],
    "assessments.InstrumentVersion": ["title_ru", "title_en"],
    "assessments.Audit": ["title"],
    "assessments.Answer": ["text", "comment"],
    "assessments.Evidence": ["original_name"],
    "assessments.Touchpoint": ["name", "channel", "owner_name", "pain_point", "improvement"],
    "assessments.Recommendation": ["text"],
    "assessments.ActionItem": ["title", "drop_reason", "notes"],
    "surveys.Survey": ["title", "intro"],
    "surveys.Channel": ["name"],
    "surveys.Response": ["team", "comment"],
    "reports.ReportJob": ["error_detail"],
}

TEXT = json.dumps(PAYLOAD)  # a valid YAML double-quoted scalar
HOSTILE_INSTRUMENT = f"""\
key: hostile-checklist
version: 1
kind: checklist
title: {{ru: {TEXT}, en: {TEXT}}}
description: {{ru: {TEXT}, en: {TEXT}}}
source: {TEXT}
sections:
  - key: basics
    title: {{ru: {TEXT}, en: {TEXT}}}
    items:
      - key: greeting
        text: {{ru: {TEXT}, en: {TEXT}}}
        guidance: {{ru: {TEXT}, en: {TEXT}}}
        scale: yes-no
        weight: 1
        rules: [standards-missing]
      - key: story
        text: {{ru: {TEXT}, en: {TEXT}}}
        scale: text
"""


def _make_hostile(world: dict) -> dict:
    from django.apps import apps

    from assessments.models import Audit, AuditInstrument, Participant
    from assessments.services.answers import answer_save, evidence_add
    from assessments.services.library import instrument_upload
    from tests.survey_factories import ResponseFactory

    version, _created = instrument_upload(
        consultancy=world["company"].parent,
        text=HOSTILE_INSTRUMENT,
        filename="hostile.yaml",
        by=world["actors"]["consultant"],
    )
    audit = world["audit"]
    pinned = AuditInstrument.objects.create(audit=audit, version=version, position=99)
    for participant in Participant.objects.filter(audit=audit):
        answer_save(
            participant=participant,
            audit_instrument=pinned,
            item_key="greeting",
            value=0,
            comment=PAYLOAD,
        )
        result = answer_save(
            participant=participant, audit_instrument=pinned, item_key="story", text=PAYLOAD
        )
    evidence_add(
        answer=result.answer,
        upload=SimpleUploadedFile(f"{PAYLOAD}.txt", b"notes", content_type="text/plain"),
        by=world["actors"]["consultant"],
    )
    ResponseFactory(wave=world["wave"], comment=PAYLOAD, team=PAYLOAD)
    Audit.objects.update(results_published_at=timezone.now())
    for label, fields in HOSTILE_FIELDS.items():
        apps.get_model(label).objects.update(**dict.fromkeys(fields, PAYLOAD))
    return {"hostile_version": version, "hostile_pinned": pinned}


@pytest.fixture
def hostile(world):
    world.update(_make_hostile(world))
    return world


def _get_urls(world) -> list[str]:
    urls = [
        reverse(name, args=MATRIX[name][0](world))
        for name in sorted(MATRIX)
        if "logout" not in name
    ]
    version = world["hostile_version"]
    return [
        *urls,
        reverse("assessments:instrument-detail", args=[version.instrument_id]),
        reverse("assessments:instrument-history", args=[version.instrument_id]),
        reverse("assessments:answer-page", args=[world["audit"].pk, world["hostile_pinned"].pk]),
    ]


class _ScriptFinder(HTMLParser):
    """Inline scripts, event-handler attributes and ``javascript:`` links: all blocked by
    the CSP in a browser, so on our pages they are either a bug or an injection."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = {name for name, _value in attrs}
        # A data block (``type="application/json"``, as the API docs' settings) never runs.
        data_block = dict(attrs).get("type") == "application/json"
        if tag == "script" and "src" not in names and not data_block:
            self.found.append("inline <script>")
        if tag in ("img", "iframe", "object", "embed"):
            self.found += [f"<{tag}> injected" for name, value in attrs if value == "x"]
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}=javascript:...>")


def _script_problems(html: str) -> list[str]:
    finder = _ScriptFinder()
    finder.feed(html)
    return finder.found


def _script_src(policy: str) -> list[str]:
    for directive in policy.split(";"):
        parts = directive.split()
        if parts and parts[0] == "script-src":
            return parts[1:]
    for directive in policy.split(";"):
        parts = directive.split()
        if parts and parts[0] == "default-src":
            return parts[1:]
    return []


def test_hostile_text_is_escaped_on_every_page(hostile, actors):
    for role in ("consultant", "manager", "staff", "anonymous"):
        _crawl_as(hostile, actors, role)


def _crawl_as(hostile, actors, role):
    client = login(actors[role]) if actors[role] else Client()
    problems, shown = [], set()
    variants = ({}, {"HX-Request": "true"}) if role == "consultant" else ({},)
    for url in _get_urls(hostile):
        for headers in variants:
            response = client.get(url, headers=headers)
            content_type = response.get("Content-Type", "")
            if not content_type.startswith(("text/html", "image/svg")):
                continue
            html = response.content.decode()
            problems += [(url, "raw markup", m) for m in RAW_MARKERS if m in html]
            problems += [(url, found) for found in _script_problems(html)]
            if content_type.startswith("text/html") and response.status_code == 200:
                policy = response.get("Content-Security-Policy", "")
                sources = _script_src(policy)
                if "'self'" not in sources or {"'unsafe-inline'", "'unsafe-eval'", "*"} & set(
                    sources
                ):
                    problems.append((url, "weak CSP", policy))
            if ESCAPED in html:
                shown.add(url)
    assert not problems, role
    if role == "consultant":
        # The payload was really on the pages that show these texts, escaped.
        must_show = [
            reverse("accounts:company-detail", args=[hostile["company"].pk]),
            reverse("assessments:audit-detail", args=[hostile["audit"].pk]),
            reverse("assessments:audit-results", args=[hostile["audit"].pk]),
            reverse("assessments:audit-gaps", args=[hostile["audit"].pk]),
            reverse(
                "assessments:answer-page", args=[hostile["audit"].pk, hostile["hostile_pinned"].pk]
            ),
            reverse("assessments:library"),
            reverse(
                "assessments:instrument-detail", args=[hostile["hostile_version"].instrument_id]
            ),
            reverse("assessments:recommendation-list", args=[hostile["plan_audit"].pk]),
            reverse("assessments:action-list", args=[hostile["plan_audit"].pk]),
            reverse("assessments:journey-map", args=[hostile["plan_audit"].pk]),
            reverse("surveys:survey-list", args=[hostile["company"].pk]),
        ]
        missing = [url for url in must_show if url not in shown]
        assert not missing, f"the escaped payload was not shown on {missing}"


def test_answer_save_echoes_a_hostile_comment_escaped(hostile, actors):
    audit, pinned = hostile["audit"], hostile["hostile_pinned"]
    client = login(actors["consultant"])
    url = reverse("assessments:answer-save", args=[audit.pk, pinned.pk, "greeting"])
    response = client.post(
        url, {"value": "1", "comment": PAYLOAD, "revision": "99"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert ESCAPED in html
    assert not any(marker in html for marker in RAW_MARKERS)


def test_form_errors_echo_hostile_input_escaped(world, actors):
    client = login(actors["consultant"])
    response = client.post(
        reverse("accounts:company-create"), {"name": PAYLOAD, "industry": PAYLOAD, "parent": "x"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert not any(marker in html for marker in RAW_MARKERS)
    assert "&lt;script&gt;" in html


def test_login_page_escapes_hostile_username(db):
    response = Client().post(reverse("accounts:login"), {"username": PAYLOAD, "password": "x"})
    html = response.content.decode()
    assert not any(marker in html for marker in RAW_MARKERS)


def test_csp_forbids_inline_scripts_everywhere(db):
    """The policy itself, as configured: scripts only from our own origin."""
    response = Client().get(reverse("accounts:login"))
    policy = response["Content-Security-Policy"]
    sources = _script_src(policy)
    assert "'self'" in sources
    assert not {"'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:"} & set(sources)
    assert "object-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_svg_charts_escape_every_label():
    from cxaudit import charts

    p = PAYLOAD
    outputs = [
        charts.bar_chart([(p, 50.0), ("ok", None)], title=p, desc=p, missing_text=p),
        charts.radar_chart(
            [(p, 10.0), ("b", 20.0), ("c", None)],
            title=p,
            desc=p,
            series2=[30.0, 40.0, 50.0],
            series_labels=(p, p),
        ),
        charts.gap_chart([(p, 40.0, 60.0)], title=p, desc=p, labels=(p, p)),
        charts.distribution_chart([(p, 3), ("b", 1)], title=p, desc=p, legend=[(p, "series1")]),
        charts.trend_chart([(p, 10.0, 5.0, 15.0), ("2", 20.0, None, None)], title=p, desc=p),
        charts.stacked_share_bar([(p, 60.0, "series1"), ("b", 40.0, "series2")], title=p),
        charts.bar_chart([], title=p, empty_text=p),
    ]
    for svg in outputs:
        assert not any(marker in svg for marker in RAW_MARKERS), svg
        assert "&lt;script&gt;" in svg
        assert svg.startswith("<svg") and "<script" not in svg
