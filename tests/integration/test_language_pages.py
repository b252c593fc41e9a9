"""Every page and both PDFs speak one language (issue 14).

Each named URL of the access matrix is requested, as a role that gets 200, in English and in
Russian; both PDF documents (audit report, wave report) are rendered to HTML in both
languages. An English page may hold no Cyrillic letter, and a Russian page no English word,
outside what users typed. User-entered text is read from the world's rows and stripped
before the check, as are <script>/<style>, URLs and e-mail addresses and the values of
attributes nobody sees; brand names, abbreviations and units are on a short allow-list.
"""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from cxaudit.reports import services as report_services
from tests.conftest import ROLES
from tests.integration.test_permissions import MATRIX, world  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "ru")
SCORES = [10, 9, 9, 8, 7, 6, 3, 10, 9, 2]
# The first of these roles that gets 200 reads the page.
READERS = ("consultant", "manager", "staff", "other_consultant", "other_staff", "anonymous")
assert set(READERS) == set(ROLES)

# Latin words a Russian page may show: brands, metric abbreviations, formats, units.
ALLOWED_LATIN = {
    "CX",
    "Audit",
    "NPS",
    "eNPS",
    "CSAT",
    "CES",
    "LTV",
    "CLV",
    "CAC",
    "FCR",
    "FRT",
    "AHT",
    "IQS",
    "T2B",
    "B2B",
    "PDF",
    "CSV",
    "XLSX",
    "YAML",
    "QR",
    "SVG",
    "PNG",
    "JPEG",
    "GIF",
    "docx",  # the Word file format, named as Word names it
    "SWOT",
    "CRM",
    "API",
    "BI",  # business-intelligence tools (the API's readers)
    "HTTP",  # webhooks: the protocol, its method and the body's format
    "HTTPS",
    "POST",
    "JSON",
    "CRR",
    "SLA",
    "QA",
    "RUB",
    "USD",
    "EUR",
    "Word",
    "Excel",
    "UTF-8",
    "Windows-1251",
    "k",  # the anonymity threshold
    "n",  # the number of responses
}
# Literal names of the CSV import format (columns and units the importer reads as written).
CSV_TOKENS = {"period", "date", "channel", "comment", "seconds", "minutes", "hours", "days", "Q1"}
# Attributes a reader sees (tooltips, placeholders, alternative text, button labels).
VISIBLE_ATTRIBUTES = {"title", "placeholder", "alt", "aria-label"}
HIDDEN_TAGS = {"script", "style", "template"}
# Literal names shown as code (CSV columns, instrument keys) are not words of either language.
LITERAL_TAGS = {"code", "kbd"}

CYRILLIC = re.compile(r"[\u0400-\u04ff]+")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-'][A-Za-z0-9]+)*")
URL_OR_EMAIL = re.compile(r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|/[\w./?=&%-]+")

# Fields whose values users typed (names, titles, comments, notes): shown as typed.
USER_TEXT = {
    "accounts.User": ("email", "full_name"),
    "accounts.Organisation": ("name", "industry"),
    "accounts.Invitation": ("email",),
    "accounts.Branding": ("display_name", "contact_line"),
    "api.ApiToken": ("name",),
    "assessments.Audit": ("title",),
    "assessments.Participant": ("email",),
    "assessments.Answer": ("text", "comment"),
    "assessments.Evidence": ("original_name",),
    "assessments.Touchpoint": ("name", "channel", "owner_name", "pain_point", "improvement"),
    "assessments.Recommendation": ("text",),
    "assessments.ActionItem": ("title", "drop_reason", "notes"),
    "surveys.Survey": ("title", "intro", "teams"),
    "surveys.Channel": ("name",),
    "surveys.Response": ("exit_where", "team", "comment"),
    "surveys.WaveInvitation": ("email",),
    "surveys.Question": (
        "key",
        "text_ru",
        "text_en",
        "low_label_ru",
        "low_label_en",
        "high_label_ru",
        "high_label_en",
    ),
    "surveys.QuestionChoice": ("key", "label_ru", "label_en"),
    "surveys.QuestionAnswer": ("text",),
    "surveys.SurveyTemplate": ("title",),
    "surveys.Codebook": ("title",),
    "surveys.Theme": ("key", "name_ru", "name_en", "phrases"),
}


class VisibleText(HTMLParser):
    """The text a reader sees: data outside hidden tags plus visible attribute values.

    An element marked with another ``lang`` (the language switch names each language in
    itself) is skipped with its content."""

    def __init__(self, language: str):
        super().__init__(convert_charrefs=True)
        self.language = language
        self.parts: list[str] = []
        self.hidden = 0
        self.skipping: list[str] = []  # the tag whose content is skipped, once per nesting

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if self.skipping:
            if tag == self.skipping[0]:
                self.skipping.append(tag)
            return
        lang = attributes.get("lang")
        if lang and tag != "html" and not lang.startswith(self.language):
            self.skipping.append(tag)
            return
        if tag in HIDDEN_TAGS or tag in LITERAL_TAGS:
            self.hidden += 1
        for name, value in attrs:
            if value and name in VISIBLE_ATTRIBUTES:
                self.parts.append(value)
        if tag == "input" and attributes.get("type") in ("submit", "button"):
            self.parts.append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        if self.skipping:
            if tag == self.skipping[0]:
                self.skipping.pop()
            return
        if (tag in HIDDEN_TAGS or tag in LITERAL_TAGS) and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden and not self.skipping:
            self.parts.append(data)


def user_texts() -> list[str]:
    """Every user-entered value of the world, longest first (and each of its lines)."""
    from django.apps import apps

    found: set[str] = set()
    for label, fields in USER_TEXT.items():
        for row in apps.get_model(label).objects.values_list(*fields):
            for value in row:
                values = value if isinstance(value, list) else [value]
                for text in values:
                    text = str(text or "").strip()
                    if text:
                        found.add(text)
                        found.update(line.strip() for line in text.splitlines() if line.strip())
    # The navigation bar greets a user by the first word of the name they typed.
    found.update(name.split()[0] for name in found_names())
    return sorted(found, key=len, reverse=True)


def found_names() -> list[str]:
    from cxaudit.accounts.models import User

    return [name for name in User.objects.values_list("full_name", flat=True) if name.strip()]


def visible(html: str, typed: list[str], language: str) -> str:
    parser = VisibleText(language)
    parser.feed(html)
    text = "\n".join(parser.parts)
    for value in typed:
        text = text.replace(value, " ")
    return URL_OR_EMAIL.sub(" ", text)


def foreign(text: str, language: str) -> list[str]:
    """Words of the other language, in the order they appear (each once)."""
    if language == "en":
        words = CYRILLIC.findall(text)
    else:
        allowed = ALLOWED_LATIN | CSV_TOKENS
        words = [w for w in LATIN_WORD.findall(text) if w not in allowed]
    return list(dict.fromkeys(words))


def contexts(text: str, words: list[str], width: int = 40) -> list[str]:
    lines = []
    flat = " ".join(text.split())
    for word in words[:8]:
        at = flat.find(word)
        lines.append(f"{word!r} in …{flat[max(0, at - width) : at + len(word) + width]}…")
    return lines


@pytest.fixture
def pages_world(request):
    """The access matrix's world (``world``, from test_permissions) with enough answers for
    results, breakdowns and comments to be shown (k = 5), and the plan audit published."""
    from tests.survey_factories import answers

    built = request.getfixturevalue("world")
    survey = built["survey"]  # every customer block, so that each question is rendered
    survey.blocks = ["nps", "csat", "ces", "exit"]
    survey.save(update_fields=["blocks"])
    answers(built["wave"], SCORES, comment="Очень вкусно", csat=4, ces=6, channel=built["channel"])
    answers(built["commented_response"].wave, SCORES, key="enps", comment="Больше кофе")
    answers(built["report_wave"], SCORES, comment="Очень вкусно")
    audit = built["plan_audit"]
    audit.results_published_at = timezone.now()
    audit.save(update_fields=["results_published_at"])
    return built


def reader_clients(client_for, language):
    clients = {}
    for role in READERS:
        client = client_for(role)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        clients[role] = client
    return clients


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_is_in_the_readers_language(client_for, pages_world, language):
    clients = reader_clients(client_for, language)
    typed = user_texts()
    problems, checked = [], 0
    for url_name, (build_args, expected) in sorted(MATRIX.items()):
        role = next((r for r in READERS if expected[r] == 200), None)
        if role is None:
            continue
        url = reverse(url_name, args=build_args(pages_world))
        # The whole page, and the partial htmx asks for where the view has one.
        for variant, headers in (("page", {}), ("htmx", {"HX-Request": "true"})):
            response = clients[role].get(url, headers=headers)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            checked += 1
            text = visible(response.content.decode(), typed, language)
            words = foreign(text, language)
            if words:
                where = f"{url_name} ({role}, {variant})"
                problems.append(f"{where}: " + "; ".join(contexts(text, words)))
    assert checked > 80
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_both_pdf_documents_are_in_the_report_language(pages_world, language):
    audit, wave = pages_world["plan_audit"], pages_world["report_wave"]
    typed = user_texts()
    problems = []
    for name, (job, _created) in {
        "audit report": report_services.audit_report_request(
            audit=audit, language=language, by=None
        ),
        "wave report": report_services.wave_report_request(wave=wave, language=language, by=None),
    }.items():
        html = report_services.report_html(job=job)
        text = visible(html, typed, language)
        words = foreign(text, language)
        if words:
            problems.append(f"{name}: " + "; ".join(contexts(text, words)))
    assert not problems, "\n".join(problems)
