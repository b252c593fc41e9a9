"""Issue 14, answering: live counters, "does not apply", saves sent as the page is left,
instrument versions, and a public form sent twice."""

import re

import pytest
from django.urls import reverse

from assessments.models import Answer, Instrument
from assessments.selectors.audits import audit_instruments
from assessments.selectors.results import audit_results
from assessments.services.library import library_sync
from tests.audit_factories import answers_give, assessor, audit_build

pytestmark = pytest.mark.django_db

GOLDING = "golding-cx-framework"
PLUS = "service-sales-level"
ELEMENTS = "service-elements"


def scores(audit):
    return {d.ref: d.score for d in audit_results(audit=audit).domains}


def pinned(audit, key):
    return audit.instruments.get(version__instrument__key=key)


def save_url(audit, key, item_key):
    return reverse("assessments:answer-save", args=[audit.pk, pinned(audit, key).pk, item_key])


def page_url(audit, key):
    return reverse("assessments:answer-page", args=[audit.pk, pinned(audit, key).pk])


def oob(html: str, element_id: str) -> str:
    """The out-of-band element with this id in a save response, up to the next one."""
    start = html.index(f'id="{element_id}"')
    end = html.find("hx-swap-oob", html.index("hx-swap-oob", start) + 1)
    element = html[start : end if end > 0 else len(html)]
    assert 'hx-swap-oob="true"' in element, element_id
    return element


@pytest.fixture
def audit(actors, company):
    return audit_build(company=company, by=actors["consultant"], instruments=(GOLDING, PLUS))


def test_a_save_sends_the_section_and_instrument_counters_out_of_band(en, audit):
    client = en("consultant")
    response = client.post(
        save_url(audit, GOLDING, "know-customers"),
        {"value": "1", "tab": "t1"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert 'id="item-know-customers"' in html
    assert "1 of 3 answered" in oob(html, "progress-section-strategy")
    assert "1/3" in oob(html, "pill-strategy")
    assert "1 of 9 answered" in oob(html, "progress-instrument")
    # Counters of the other sections are sent too and say what is stored.
    assert "0 of 3 answered" in oob(html, "progress-section-measurement")


def test_does_not_apply_is_stored_leaves_the_total_and_the_score(en, audit):
    client = en("consultant")
    for item_key, value in (
        ("know-customers", "na"),
        ("know-needs", "1"),
        ("roles-understood", "0"),
    ):
        client.post(
            save_url(audit, GOLDING, item_key),
            {"value": value, "tab": "t1"},
            HTTP_HX_REQUEST="true",
        )
    answer = Answer.objects.get(item_key="know-customers")
    assert (answer.is_na, answer.value) == (True, None)
    page = client.get(page_url(audit, GOLDING)).content.decode()
    assert "2 of 2 answered" in page
    assert "1 item does not apply" in page
    assert 'value="na"' in page and "Does not apply" in page
    strategy = next(d for d in audit_results(audit=audit).domains if d.ref.endswith(":strategy"))
    assert (strategy.answered, strategy.applicable) == (2, 2)
    assert strategy.display == 50  # yes and no; N/A is not scored


def test_choosing_an_answer_after_not_applicable_replaces_it(en, audit):
    client = en("consultant")
    url = save_url(audit, GOLDING, "know-customers")
    client.post(url, {"value": "na", "tab": "t1"}, HTTP_HX_REQUEST="true")
    client.post(url, {"value": "1", "tab": "t1"}, HTTP_HX_REQUEST="true")
    answer = Answer.objects.get(item_key="know-customers")
    assert (answer.is_na, answer.value) == (False, 1)


def test_not_answered_and_no_look_different(en, audit):
    client = en("consultant")
    client.post(
        save_url(audit, GOLDING, "know-needs"), {"value": "0", "tab": "t"}, HTTP_HX_REQUEST="true"
    )
    page = client.get(page_url(audit, GOLDING)).content.decode()
    item = page[page.index('id="item-know-customers"') : page.index('id="item-know-needs"')]
    assert "Not answered yet" in item
    answered = page[page.index('id="item-know-needs"') : page.index('id="item-roles-understood"')]
    assert "Not answered yet" not in answered
    assert re.search(r'value="0"\s+checked', answered)
    assert "btn-outline-danger" in answered  # "No" is drawn apart from "Yes"


def test_a_plus_list_counts_as_the_results_count(en, audit):
    """An unticked box is "no" (METHODOLOGY §7.1): a plus list is answered from the start,
    on the answer page, the audit page and the results alike."""
    client = en("consultant")
    page = client.get(page_url(audit, PLUS)).content.decode()
    assert "13 of 13 answered" in page
    assert "0 ticked as “yes”" in page
    assert "Not ticked: counts as “no”." in page
    assert "Not answered yet" not in page
    response = client.post(
        save_url(audit, PLUS, "cac-known"),
        {"value": ["0", "1"], "tab": "t"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert "Ticked: counts as “yes”." in html
    assert "13 of 13 answered" in oob(html, "progress-instrument")
    assert "1 ticked as “yes”" in oob(html, "progress-instrument")
    assert "1 ticked as “yes”" in oob(html, "progress-section-economics")
    assert "0 ticked as “yes”" in oob(html, "progress-section-strategy")
    economics = next(d for d in audit_results(audit=audit).domains if d.ref == f"{PLUS}:economics")
    assert (economics.answered, economics.applicable) == (4, 4)
    rows = {
        r["instrument"].version.instrument.key: r
        for r in audit_instruments(audit=audit, participant=assessor(audit))
    }
    assert (rows[PLUS]["answered"], rows[PLUS]["total"]) == (13, 13)


def test_the_audit_page_counts_as_the_answer_page(en, audit):
    answers_give(
        audit=audit,
        answers={
            f"{GOLDING}:strategy.know-customers": "na",
            f"{GOLDING}:strategy.know-needs": 1,
            f"{GOLDING}:measurement.customer-view": 0,
        },
    )
    rows = {
        r["instrument"].version.instrument.key: r
        for r in audit_instruments(audit=audit, participant=assessor(audit))
    }
    assert rows[GOLDING]["progress"] == {"done": 2, "total": 8, "na": 1}
    page = en("consultant").get(page_url(audit, GOLDING))
    assert "2 of 8 answered" in page.content.decode()


def test_a_background_save_stores_the_comment_and_leaves_no_message(client_for, audit):
    """answer.js posts the touched form with background=1 as the page is left."""
    client = client_for("consultant")
    response = client.post(
        save_url(audit, GOLDING, "know-customers"),
        {"value": "1", "comment": "Спросили у трёх клиентов", "background": "1", "tab": "t"},
    )
    assert response.status_code == 204
    assert Answer.objects.get(item_key="know-customers").comment == "Спросили у трёх клиентов"
    detail = client.get(reverse("assessments:audit-detail", args=[audit.pk]))
    assert list(detail.context["messages"]) == []


def test_a_background_save_needs_the_csrf_token(actors, audit):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(actors["consultant"])
    response = client.post(
        save_url(audit, GOLDING, "know-customers"), {"value": "1", "background": "1"}
    )
    assert response.status_code == 403
    assert not Answer.objects.exists()


def test_a_refused_background_save_says_so(client_for, audit):
    response = client_for("consultant").post(
        save_url(audit, GOLDING, "know-customers"), {"value": "7", "background": "1"}
    )
    assert response.status_code == 400
    assert not Answer.objects.exists()


def test_save_and_page_query_budgets(en, audit, django_assert_max_num_queries):
    client = en("consultant")
    answers_give(audit=audit, answers={f"{GOLDING}:strategy.know-needs": 1})
    with django_assert_max_num_queries(16):
        client.post(
            save_url(audit, GOLDING, "know-customers"),
            {"value": "1", "tab": "t"},
            HTTP_HX_REQUEST="true",
        )
    with django_assert_max_num_queries(12):
        client.get(page_url(audit, PLUS))
    with django_assert_max_num_queries(16):
        client.get(reverse("assessments:audit-detail", args=[audit.pk]))


def test_an_old_audit_keeps_its_version_and_a_new_audit_gets_the_new_one(actors, company, tmp_path):
    import shutil

    from cxaudit.library import LIBRARY_DIR

    answers = {f"{GOLDING}:strategy.know-customers": 1, f"{GOLDING}:strategy.know-needs": 0}
    old = audit_build(company=company, by=actors["consultant"], instruments=(GOLDING,))
    answers_give(audit=old, answers=answers)
    strategy = f"{GOLDING}:strategy"
    assert scores(old)[strategy] == 50
    version = pinned(old, GOLDING).version
    copy = tmp_path / "library"
    shutil.copytree(LIBRARY_DIR, copy)
    path = copy / f"{GOLDING}.yaml"
    text = path.read_text(encoding="utf-8")  # know-customers, the first item, weighs 3
    path.write_text(text.replace("scale: yes-no", "scale: yes-no\n        weight: 3", 1))
    assert library_sync(directory=copy).updated == [GOLDING]
    old.refresh_from_db()
    assert pinned(old, GOLDING).version == version
    assert scores(old)[strategy] == 50
    new = audit_build(company=company, by=actors["consultant"], instruments=(GOLDING,))
    answers_give(audit=new, answers=answers)
    latest = Instrument.objects.get(key=GOLDING, owner=None).latest
    assert pinned(new, GOLDING).version == latest
    assert latest.number == version.number + 1
    assert scores(new)[strategy] == 75


def test_built_in_instruments_offer_does_not_apply():
    for key in (GOLDING, ELEMENTS, "ten-ways", "metric-practice", "cx-understanding"):
        parsed = Instrument.objects.get(key=key, owner=None).latest.parsed
        scored = [item for _s, item in parsed.items() if item.is_scored]
        assert scored and all(item.allow_na for item in scored), key


# --------------------------------------------------------------------------- public form


@pytest.mark.parametrize(
    ("language", "heading"),
    [("ru", "Ваши ответы уже получены"), ("en", "Your answers were already received")],
)
def test_a_public_form_sent_again_is_counted_once_and_says_so(client, company, language, heading):
    from surveys.models import Response
    from tests.survey_factories import SurveyFactory, WaveFactory, form_token, respond_url

    wave = WaveFactory(survey=SurveyFactory(company=company, blocks=["nps"]), number=1)
    url = respond_url(wave)
    token = form_token(client, url)
    first = client.post(url, {"submission_token": token, "nps": 9})
    again = client.post(url, {"submission_token": token, "nps": 3}, follow=True)
    assert first["Location"].endswith("/thanks/")
    assert again.status_code == 200
    page = client.get(again.redirect_chain[-1][0], HTTP_ACCEPT_LANGUAGE=language)
    assert heading in page.content.decode()
    assert Response.objects.get().nps == 9


def test_the_public_form_keeps_its_token_for_the_back_button(client, company):
    """respond.js puts the sent token back on a history visit; the page must carry it."""
    from tests.survey_factories import SurveyFactory, WaveFactory, respond_url

    wave = WaveFactory(survey=SurveyFactory(company=company, blocks=["nps"]), number=1)
    html = client.get(respond_url(wave)).content.decode()
    assert 'name="submission_token"' in html
    assert "/static/js/respond.js" in html or "js/respond" in html
