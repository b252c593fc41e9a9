"""The consultant's report texts: saving them, reading them in the reader's language, the
editor page and the results page."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from assessments.models import AuditStatus, AuditText, TextPart
from assessments.selectors.texts import audit_text_slots, audit_texts_get
from assessments.services.texts import audit_texts_save
from cxaudit import richtext
from tests.report_factories import demo_audit
from tests.survey_factories import SurveyFactory, WaveFactory

pytestmark = pytest.mark.django_db

INTRO = ("introduction", "", "en")


@pytest.fixture
def audit(actors, company):
    """The demo audit over the last month, with a customer survey whose wave closed in it."""
    audit = demo_audit(company=company, owner=actors["consultant"])
    today = timezone.localdate()
    audit.period_start, audit.period_end = today - timedelta(days=40), today
    audit.save()
    survey = SurveyFactory(company=company, title="Guests of the shop", blocks=["nps"])
    WaveFactory(survey=survey, number=1, closed=True)
    later = SurveyFactory(company=company, title="Not in the period", blocks=["nps"])
    WaveFactory(survey=later, number=1)  # still open: not reported on
    return audit


def _domain_key(audit, section_index=0) -> str:
    pinned = audit.instruments.select_related("version").get()
    return f"{pinned.pk}:{pinned.version.parsed.sections[section_index].key}"


def _survey_key(audit) -> str:
    return str(audit.company.surveys.get(title="Guests of the shop").pk)


# ----------------------------------------------------------------------------- service


def test_texts_are_saved_exactly_as_typed_with_who_and_when(audit, actors):
    body = "  First line\r\n- a **point**\n\n\nEnd.  "
    changed = audit_texts_save(audit=audit, by=actors["consultant"], bodies={INTRO: body})
    row = AuditText.objects.get(audit=audit, part=TextPart.INTRODUCTION, language="en")
    assert changed == 1
    assert row.body == body
    assert row.updated_by == actors["consultant"] and row.updated_at is not None


def test_an_empty_or_blank_text_deletes_its_row(audit, actors):
    summary = ("summary", "", "ru")
    audit_texts_save(
        audit=audit, by=actors["consultant"], bodies={INTRO: "Hello", summary: "Привет"}
    )
    assert AuditText.objects.filter(audit=audit).count() == 2
    audit_texts_save(audit=audit, by=actors["consultant"], bodies={INTRO: "", summary: " \n "})
    assert not AuditText.objects.filter(audit=audit).exists()


def test_an_unchanged_text_keeps_who_edited_it_last(audit, actors):
    audit_texts_save(audit=audit, by=actors["consultant"], bodies={INTRO: "Hello"})
    before = AuditText.objects.get(audit=audit)
    changed = audit_texts_save(audit=audit, by=actors["manager"], bodies={INTRO: "Hello"})
    after = AuditText.objects.get(audit=audit)
    assert changed == 0
    assert after.updated_by == actors["consultant"] and after.updated_at == before.updated_at


def test_a_text_too_long_is_refused_with_a_message_and_nothing_is_saved(audit, actors):
    audit_texts_save(audit=audit, by=actors["consultant"], bodies={INTRO: "Kept"})
    summary = ("summary", "", "en")
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        audit_texts_save(
            audit=audit,
            by=actors["consultant"],
            bodies={INTRO: "Changed", summary: "x" * (richtext.MAX_LENGTH + 1)},
        )
    messages = raised.value.message_dict["summary::en"]
    assert messages == [
        f"A text may hold at most {richtext.MAX_LENGTH} characters; "
        f"this one has {richtext.MAX_LENGTH + 1}."
    ]
    assert list(AuditText.objects.filter(audit=audit).values_list("body", flat=True)) == ["Kept"]
    audit_texts_save(
        audit=audit, by=actors["consultant"], bodies={summary: "x" * richtext.MAX_LENGTH}
    )
    assert AuditText.objects.filter(audit=audit, part="summary").exists()


@pytest.mark.parametrize(
    "text_id",
    [
        ("domain", "999999:strategy", "en"),
        ("domain", "", "en"),
        ("survey", "999999", "en"),
        ("introduction", "", "de"),
        ("appendix", "", "en"),
    ],
)
def test_a_text_the_audit_has_no_room_for_is_refused(audit, actors, text_id):
    with pytest.raises(ValidationError):
        audit_texts_save(audit=audit, by=actors["consultant"], bodies={text_id: "x"})
    assert not AuditText.objects.exists()


def test_a_closed_audit_keeps_its_texts_editable(audit, actors):
    audit.status = AuditStatus.CLOSED
    audit.save()
    audit_texts_save(audit=audit, by=actors["consultant"], bodies={INTRO: "After closing"})
    row = AuditText.objects.get(audit=audit)
    assert row.body == "After closing" and row.updated_by == actors["consultant"]


def test_the_slots_follow_the_report_domains_and_surveys(audit):
    with translation.override("en"):
        slots = audit_text_slots(audit=audit)
    pinned = audit.instruments.select_related("version").get()
    sections = pinned.version.parsed.sections
    assert [(s.part, s.key) for s in slots] == [
        ("introduction", ""),
        ("summary", ""),
        *[("domain", f"{pinned.pk}:{section.key}") for section in sections],
        ("survey", _survey_key(audit)),
    ]
    assert slots[2].title == sections[0].title.en
    assert slots[-1].title == "Guests of the shop"


def test_a_text_is_shown_in_the_readers_language_or_else_as_written(audit, actors):
    domain = _domain_key(audit)
    audit_texts_save(
        audit=audit,
        by=actors["consultant"],
        bodies={
            ("introduction", "", "ru"): "Введение",
            ("introduction", "", "en"): "Introduction",
            ("domain", domain, "ru"): "**Сильная** сторона",
        },
    )
    with translation.override("en"):
        english = audit_texts_get(audit=audit)
    russian = audit_texts_get(audit=audit, language="ru")
    assert richtext.plain(english.introduction.blocks) == "Introduction"
    assert english.introduction.written_in == ""
    assert richtext.plain(russian.introduction.blocks) == "Введение"
    shown = english.domains[domain]
    assert shown.language == "ru" and shown.written_in == "Written in Russian."
    assert shown.blocks == richtext.parse("**Сильная** сторона")
    assert russian.domains[domain].written_in == ""
    assert english.summary is None and not english.surveys


# ----------------------------------------------------------------------------- editor page


def _url(audit):
    return reverse("assessments:audit-texts", args=[audit.pk])


def test_the_editor_lists_every_text_with_its_domain_and_survey(
    audit, en, django_assert_max_num_queries
):
    client = en("consultant")
    with django_assert_max_num_queries(9):
        response = client.get(_url(audit))
    page = response.content.decode()
    assert response.status_code == 200
    pinned = audit.instruments.select_related("version").get()
    for section in pinned.version.parsed.sections:
        assert section.title.en in page
        assert f'name="domain:{pinned.pk}:{section.key}:en"' in page
        assert f'name="domain:{pinned.pk}:{section.key}:ru"' in page
    assert "Guests of the shop" in page and "Not in the period" not in page
    assert "Version in Russian (optional)" in page
    assert "**two asterisks**" in page  # the syntax help


def test_the_editor_speaks_russian(audit, client_for):
    response = client_for("consultant").get(_url(audit))
    page = response.content.decode()
    assert "Текст отчёта" in page and "необязательно" in page


def test_saving_stores_the_texts_and_returns_to_the_editor(audit, en, actors):
    domain = _domain_key(audit)
    response = en("consultant").post(
        _url(audit),
        {
            "introduction::en": "Our **findings**",
            "summary::ru": "Кратко",
            f"domain:{domain}:en": "- one\n- two",
            "save": "Save",
        },
    )
    assert response.status_code == 302 and response["Location"] == _url(audit)
    bodies = dict(
        AuditText.objects.filter(audit=audit).values_list("part", "body").order_by("part")
    )
    assert bodies == {
        "domain": "- one\n- two",
        "introduction": "Our **findings**",
        "summary": "Кратко",
    }
    assert AuditText.objects.filter(updated_by=actors["consultant"]).count() == 3


def test_a_field_not_sent_leaves_its_text_alone(audit, en, actors):
    audit_texts_save(audit=audit, by=actors["consultant"], bodies={INTRO: "Kept"})
    en("consultant").post(_url(audit), {"summary::en": "New", "save": "Save"})
    assert AuditText.objects.get(audit=audit, part="introduction").body == "Kept"


def test_a_text_too_long_is_kept_as_typed_with_the_message(audit, en, actors):
    audit_texts_save(audit=audit, by=actors["consultant"], bodies={INTRO: "Kept"})
    too_long = "<b>" + "y" * richtext.MAX_LENGTH
    response = en("consultant").post(
        _url(audit), {"introduction::en": "Changed", "summary::en": too_long, "save": "Save"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert f"A text may hold at most {richtext.MAX_LENGTH} characters" in page
    assert "&lt;b&gt;" + "y" * richtext.MAX_LENGTH in page  # what was typed, escaped
    assert ">\nChanged</textarea>" in page
    assert list(AuditText.objects.values_list("body", flat=True)) == ["Kept"]


def test_preview_shows_the_formatted_texts_and_saves_nothing(audit, en):
    response = en("consultant").post(
        _url(audit), {"introduction::en": "**Bold** <i>x</i>\n\n1. first", "preview": "Preview"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<p><strong>Bold</strong> &lt;i&gt;x&lt;/i&gt;</p><ol><li>first</li></ol>" in page
    assert not AuditText.objects.exists()


def test_the_editor_of_a_closed_audit_says_it_still_saves(audit, en):
    audit.status = AuditStatus.CLOSED
    audit.save()
    page = en("consultant").get(_url(audit)).content.decode()
    assert "its report text can still change" in page


# ----------------------------------------------------------------------------- results page


def test_the_results_page_shows_each_text_in_its_place(
    audit, en, actors, django_assert_max_num_queries
):
    domain = _domain_key(audit)
    audit_texts_save(
        audit=audit,
        by=actors["consultant"],
        bodies={
            ("introduction", "", "en"): "INTRO-TEXT",
            ("summary", "", "ru"): "РЕЗЮМЕ",
            ("domain", domain, "en"): "DOMAIN-TEXT",
            ("survey", _survey_key(audit), "en"): "SURVEY-TEXT",
        },
    )
    client = en("consultant")
    url = reverse("assessments:audit-results", args=[audit.pk])
    client.get(url)  # warm the parsed-document memo
    with django_assert_max_num_queries(24):
        response = client.get(url)
    page = response.content.decode()
    assert "Edit report text" in page
    order = [page.index(mark) for mark in ("INTRO-TEXT", "РЕЗЮМЕ", "DOMAIN-TEXT", "SURVEY-TEXT")]
    assert order == sorted(order)
    assert "Written in Russian." in page
    pinned = audit.instruments.select_related("version").get()
    title = pinned.version.parsed.sections[0].title.en
    assert page.index(title, page.index("Domains")) < page.index("DOMAIN-TEXT")
    assert page.index("Guests of the shop") < page.index("SURVEY-TEXT")


@pytest.mark.parametrize("role", ["manager", "staff"])
def test_the_company_reads_published_texts_without_an_edit_link(audit, en, actors, role):
    audit.results_published_at = timezone.now()
    audit.save()
    audit_texts_save(audit=audit, by=actors["consultant"], bodies={INTRO: "For the client"})
    page = en(role).get(reverse("assessments:audit-results", args=[audit.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "For the client" in text and "Edit report text" not in text
    assert reverse("assessments:audit-texts", args=[audit.pk]) not in text
    assert en(role).get(_url(audit)).status_code == 404
