import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import Answer, Audit, AuditEvent, Evidence, Instrument, Participant
from assessments.selectors.results import audit_results
from assessments.services import answers as answer_services
from assessments.services import audits as services

pytestmark = pytest.mark.django_db

Q1 = (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))


def start(actors, company, keys=("quick-self-check",), role="consultant"):
    return services.audit_create(
        company=company,
        by=actors[role],
        by_role=role,
        title="Аудит сервиса",
        period_start=Q1[0],
        period_end=Q1[1],
        instrument_keys=list(keys),
    )


def golding(audit):
    return audit.instruments.get(version__instrument__key="golding-cx-framework")


def assessor(audit):
    return audit.participants.get(kind="assessor")


def answer_all(participant, audit_instrument, value):
    for _section, item in audit_instrument.version.parsed.items():
        answer_services.answer_save(
            participant=participant,
            audit_instrument=audit_instrument,
            item_key=item.key,
            value=value,
        )


def test_consultant_creates_an_audit_from_the_full_template(client_for, actors, company):
    response = client_for("consultant").post(
        reverse("assessments:audit-create", args=[company.pk]),
        {
            "title": "Q1",
            "period_start": "2026-01-01",
            "period_end": "2026-03-31",
            "template": "full-cx-audit",
        },
    )
    audit = Audit.objects.get(title="Q1")
    assert response.url == reverse("assessments:audit-detail", args=[audit.pk])
    keys = list(audit.instruments.values_list("version__instrument__key", flat=True))
    assert keys == Instrument.objects.get(key="full-cx-audit").latest.parsed.includes
    assert not audit.is_self_assessment
    assert assessor(audit).user == actors["consultant"]


def test_manager_runs_a_self_assessment(client_for, actors, company):
    client_for("manager").post(
        reverse("assessments:audit-create", args=[company.pk]),
        {
            "title": "Self",
            "period_start": "2026-01-01",
            "period_end": "2026-01-31",
            "instruments": ["golding-cx-framework"],
        },
    )
    audit = Audit.objects.get(title="Self")
    assert audit.is_self_assessment
    assert (
        client_for("manager").get(reverse("assessments:audit-results", args=[audit.pk])).status_code
        == 200
    )


def test_audit_form_refuses_a_backwards_period_and_creates_nothing(client_for, company):
    response = client_for("consultant").post(
        reverse("assessments:audit-create", args=[company.pk]),
        {
            "title": "X",
            "period_start": "2026-03-01",
            "period_end": "2026-01-01",
            "template": "quick-self-check",
        },
    )
    assert response.status_code == 200
    assert "раньше" in response.content.decode() or response.context["form"].errors
    assert not Audit.objects.exists()


def test_staff_cannot_start_an_audit(client_for, company):
    response = client_for("staff").get(reverse("assessments:audit-create", args=[company.pk]))
    assert response.status_code == 404


def test_an_audit_keeps_its_versions_when_the_library_changes(actors, company):
    from assessments.services.library import _store

    audit = start(actors, company)
    pinned = golding(audit).version
    instrument = pinned.instrument
    changed = pinned.parsed.model_copy(update={"description": pinned.parsed.title})
    _store(instrument=instrument, parsed=changed, origin="library")
    instrument.refresh_from_db()
    assert instrument.latest.number == pinned.number + 1
    assert golding(audit).version == pinned


def test_answers_are_saved_one_by_one_with_htmx(client_for, actors, company):
    audit = start(actors, company)
    url = reverse("assessments:answer-save", args=[audit.pk, golding(audit).pk, "know-customers"])
    response = client_for("consultant").post(
        url, {"value": "1", "revision": "0", "tab": "a"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "Сохранено" in response.content.decode()
    answer = Answer.objects.get(item_key="know-customers")
    assert (answer.value, answer.revision) == (1, 1)


def test_an_older_tab_does_not_overwrite_a_newer_answer(client_for, actors, company):
    audit = start(actors, company)
    url = reverse("assessments:answer-save", args=[audit.pk, golding(audit).pk, "know-customers"])
    client = client_for("consultant")
    client.post(url, {"value": "1", "revision": "0", "tab": "first"}, HTTP_HX_REQUEST="true")
    response = client.post(
        url, {"value": "0", "revision": "0", "tab": "second"}, HTTP_HX_REQUEST="true"
    )
    assert response["X-Answer-Status"] == "409"
    assert Answer.objects.get(item_key="know-customers").value == 1
    # The same tab saving twice in a row is not a conflict.
    client.post(url, {"value": "0", "revision": "0", "tab": "first"}, HTTP_HX_REQUEST="true")
    assert Answer.objects.get(item_key="know-customers").value == 0


@pytest.mark.parametrize(
    ("instrument_key", "item_key", "data", "message"),
    [
        ("golding-cx-framework", "know-customers", {"value": "7"}, "не входит в варианты"),
        ("golding-cx-framework", "know-customers", {"value": "yes"}, "не входит в варианты"),
        # Unticked means "no" on a plus list, so it can never be "not applicable" (§7.1).
        ("service-sales-level", "cac-known", {"is_na": "1"}, "не применимо"),
        ("service-sales-level", "cac-known", {"value": "na"}, "не применимо"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_stored(
    client_for, actors, company, instrument_key, item_key, data, message
):
    audit = start(actors, company)
    instrument = audit.instruments.get(version__instrument__key=instrument_key)
    url = reverse("assessments:answer-save", args=[audit.pk, instrument.pk, item_key])
    response = client_for("consultant").post(url, data, HTTP_HX_REQUEST="true")
    assert message in response.content.decode()
    assert not Answer.objects.exists()


def test_an_item_of_another_audit_is_404(client_for, actors, company):
    audit = start(actors, company)
    other = start(actors, company)
    url = reverse("assessments:answer-save", args=[audit.pk, golding(other).pk, "know-customers"])
    assert client_for("consultant").post(url, {"value": "1"}).status_code == 404
    url = reverse("assessments:answer-save", args=[audit.pk, golding(audit).pk, "no-such-item"])
    assert client_for("consultant").post(url, {"value": "1"}).status_code == 404
    assert not Answer.objects.exists()


def test_a_non_participant_cannot_answer(client_for, actors, company):
    audit = start(actors, company)
    url = reverse("assessments:answer-save", args=[audit.pk, golding(audit).pk, "know-customers"])
    assert client_for("manager").post(url, {"value": "1"}).status_code == 404
    assert not Answer.objects.exists()


def test_closing_freezes_answers_and_reopening_is_recorded(client_for, actors, company):
    audit = start(actors, company)
    client = client_for("consultant")
    client.post(reverse("assessments:audit-close", args=[audit.pk]))
    url = reverse("assessments:answer-save", args=[audit.pk, golding(audit).pk, "know-customers"])
    response = client.post(url, {"value": "1"}, HTTP_HX_REQUEST="true")
    assert "закрыт" in response.content.decode()
    assert not Answer.objects.exists()
    client.post(reverse("assessments:audit-reopen", args=[audit.pk]))
    actions = list(AuditEvent.objects.filter(audit=audit).values_list("action", "by"))
    assert ("reopened", actors["consultant"].pk) in actions
    assert ("closed", actors["consultant"].pk) in actions


def test_staff_answers_stay_private_until_results_are_published(client_for, actors, company):
    audit = start(actors, company)
    services.participants_add(
        audit=audit,
        users=[actors["staff"]],
        by=actors["consultant"],
        by_role="consultant",
        language="ru",
    )
    results_url = reverse("assessments:audit-results", args=[audit.pk])
    assert client_for("staff").get(results_url).status_code == 404
    assert client_for("manager").get(results_url).status_code == 404
    client_for("consultant").post(reverse("assessments:results-publish", args=[audit.pk]))
    assert client_for("staff").get(results_url).status_code == 200


def test_invite_by_email_creates_a_company_invitation(client_for, actors, company):
    from cxaudit.accounts.models import Invitation

    audit = start(actors, company)
    response = client_for("consultant").post(
        reverse("assessments:participants-add", args=[audit.pk]),
        {"emails": "new.staff@example.com"},
    )
    assert response.status_code == 302
    assert Invitation.objects.filter(email="new.staff@example.com", role="staff").exists()
    assert Participant.objects.filter(audit=audit, email="new.staff@example.com").exists()


def test_results_follow_the_methodology(actors, company):
    audit = start(actors, company, keys=["golding-cx-framework"])
    instrument = golding(audit)
    official = assessor(audit)
    answers = {
        "know-customers": 1,
        "know-needs": 1,
        "roles-understood": 0,
        "execution-plan": 0,
        "customer-view": 0,
        "strategy-understood": 1,
        "ambassadors": 1,
        "empowered": 1,
    }
    for key, value in answers.items():
        answer_services.answer_save(
            participant=official, audit_instrument=instrument, item_key=key, value=value
        )
    results = audit_results(audit=audit)
    scores = {row.ref.split(":")[1]: row.display for row in results.domains}
    assert str(scores["strategy"]) == "66.7"
    assert str(scores["measurement"]) == "0.0"
    assert str(scores["employees"]) == "100.0"
    assert results.level == 2  # capped by measurement (level 1)
    assert results.capped_by
    rule_ids = {rec.rule_id for rec in results.recommendations}
    assert "measurement-weak" in rule_ids


def test_gap_view_uses_staff_tallies(client_for, actors, company, django_assert_max_num_queries):
    from tests.factories import MembershipFactory, UserFactory

    audit = start(actors, company, keys=["golding-cx-framework"])
    instrument = golding(audit)
    answer_all(assessor(audit), instrument, 0)
    for n in range(3):
        user = UserFactory(email=f"s{n}@example.com")
        MembershipFactory(user=user, organisation=company, role="staff")
        (participant,) = services.participants_add(
            audit=audit,
            users=[user],
            by=actors["consultant"],
            by_role="consultant",
            language="ru",
        )
        participant.user = user
        participant.save()
        answer_all(participant, instrument, 1)
    results = audit_results(audit=audit)
    assert results.staff_count == 3
    assert all(gap.flag == "blind_spot" for gap in results.gaps)
    page = client_for("consultant").get(reverse("assessments:audit-gaps", args=[audit.pk]))
    assert "слепая зона" in page.content.decode()


def test_results_of_200_items_and_30_participants_take_at_most_15_queries(
    client_for, actors, company, django_assert_max_num_queries
):
    from tests.factories import MembershipFactory, UserFactory

    keys = [
        "service-sales-level",
        "cx-understanding",
        "golding-cx-framework",
        "service-elements",
        "ten-ways",
        "metric-practice",
        "strategy-canvas",
    ]
    audit = start(actors, company, keys=keys)
    instruments = list(audit.instruments.select_related("version"))
    items = sum(len(list(ai.version.parsed.items())) for ai in instruments)
    people = [assessor(audit)]
    for n in range(29):
        user = UserFactory(email=f"p{n}@example.com")
        MembershipFactory(user=user, organisation=company, role="staff")
        people.append(
            Participant.objects.create(audit=audit, user=user, email=user.email, kind="staff")
        )
    rows = []
    for participant in people:
        for ai in instruments:
            for _section, item in ai.version.parsed.items():
                value = (item.raw_range or (None, None))[1]
                rows.append(
                    Answer(
                        participant=participant,
                        audit_instrument=ai,
                        item_key=item.key,
                        value=value,
                        text="" if value is not None else "текст",
                    )
                )
    # Pad to 200 items with a repeated instrument's answers counted once per participant.
    Answer.objects.bulk_create(rows)
    assert items >= 100
    client = client_for("consultant")
    with django_assert_max_num_queries(15):
        response = client.get(reverse("assessments:audit-results", args=[audit.pk]))
    assert response.status_code == 200


def test_evidence_is_sniffed_capped_and_served_as_attachment(client_for, actors, company):
    audit = start(actors, company)
    url = reverse("assessments:answer-save", args=[audit.pk, golding(audit).pk, "know-customers"])
    client = client_for("consultant")
    fake = SimpleUploadedFile(
        "invoice.pdf", b"MZ\x90\x00 this is an exe", content_type="application/pdf"
    )
    response = client.post(url, {"value": "1", "file": fake}, HTTP_HX_REQUEST="true")
    assert "не принимаются" in response.content.decode()
    assert not Evidence.objects.exists()
    pdf = SimpleUploadedFile("report.pdf", b"%PDF-1.4 minimal", content_type="application/pdf")
    client.post(url, {"value": "1", "revision": "0", "file": pdf}, HTTP_HX_REQUEST="true")
    evidence = Evidence.objects.get()
    assert evidence.content_type == "application/pdf"
    download = client.get(reverse("assessments:evidence-download", args=[evidence.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"


def test_too_large_evidence_is_refused(actors, company, monkeypatch):
    audit = start(actors, company)
    monkeypatch.setattr(answer_services, "EVIDENCE_MAX_BYTES", 10)
    result = answer_services.answer_save(
        participant=assessor(audit),
        audit_instrument=golding(audit),
        item_key="know-customers",
        value=1,
    )
    with pytest.raises(services.ValidationError):
        answer_services.evidence_add(
            answer=result.answer,
            upload=SimpleUploadedFile("big.txt", b"x" * 100),
            by=actors["consultant"],
        )
    assert not Evidence.objects.exists()


def test_next_round_carries_open_actions_and_shows_change(actors, company):
    from assessments.models import ActionItem

    audit = start(actors, company, keys=["golding-cx-framework"])
    answer_all(assessor(audit), golding(audit), 0)
    ActionItem.objects.create(audit=audit, title="Measure CES", status="planned")
    ActionItem.objects.create(audit=audit, title="Done already", status="done")
    services.audit_close(audit=audit, by=actors["consultant"])
    new = services.next_round_start(
        audit=audit,
        by=actors["consultant"],
        by_role="consultant",
        period_start=datetime.date(2026, 4, 1),
        period_end=datetime.date(2026, 6, 30),
    )
    assert new.round_number == 2
    assert list(new.actions.values_list("title", flat=True)) == ["Measure CES"]
    answer_all(assessor(new), golding(new), 1)
    results = audit_results(audit=new)
    overall = next(c for c in results.changes if c["title"] in ("Overall", "Итого"))
    assert str(overall["delta"]) == "100.0"
    assert results.trend_svg.startswith("<svg")


def test_survey_results_of_the_period_show_and_feed_the_rules(client_for, actors, company):
    from surveys.models import Response
    from tests.survey_factories import SurveyFactory, WaveFactory

    audit = start(actors, company, keys=["golding-cx-framework"])
    survey = SurveyFactory(company=company, blocks=["nps"], audience="customer")
    wave = WaveFactory(
        survey=survey, opens_on=datetime.date(2026, 2, 1), closes_on=datetime.date(2026, 2, 28)
    )
    scores = [10] * 10 + [8] * 10 + [3] * 20  # NPS = -25
    Response.objects.bulk_create(
        Response(wave=wave, submitted_on=datetime.date(2026, 2, 10), nps=score) for score in scores
    )
    results = audit_results(audit=audit)
    (figure,) = [f for f in results.surveys.figures if f.key == "nps"]
    assert figure.shown
    assert figure.value.replace("−", "-") in ("-25.0", "-25,0")
    assert "nps-negative" in {rec.rule_id for rec in results.recommendations}
    page = client_for("consultant").get(reverse("assessments:audit-results", args=[audit.pk]))
    assert "Опросы за период аудита" in page.content.decode()


def test_business_metrics_of_the_period_show_and_feed_the_rules(client_for, actors, company):
    from tests.metrics_factories import MetricPeriodFactory

    audit = start(actors, company, keys=["golding-cx-framework"])
    MetricPeriodFactory(
        company=company,
        starts_on=datetime.date(2026, 1, 1),
        customers_start=1000,
        customers_won=50,
        customers_lost=150,
        customers_end=900,
    )
    results = audit_results(audit=audit)
    assert results.business.latest is not None
    rule_ids = {rec.rule_id for rec in results.recommendations}
    assert {"net-loss", "churn-high"} <= rule_ids
    page = client_for("consultant").get(reverse("assessments:audit-results", args=[audit.pk]))
    assert "Бизнес-метрики за период аудита" in page.content.decode()


def test_what_to_do_is_in_the_readers_language_and_leaves_out_rejected(actors, company):
    from django.utils import translation

    from assessments.services import plan as plan_services
    from cxaudit.library import rule_catalogue
    from tests.audit_factories import audit_with_recommendations

    consultant = actors["consultant"]
    with translation.override("ru"):
        audit = audit_with_recommendations(company=company, by=consultant)
    rejected, *kept = list(audit.recommendations.all())
    plan_services.recommendation_reject(recommendation=rejected, by=consultant)
    catalogue = rule_catalogue()
    with translation.override("en"):
        lines = audit_results(audit=audit).to_do
    assert [line.text for line in lines] == [catalogue.get(r.rule_id).text.en for r in kept]


@pytest.mark.parametrize(
    ("role", "published", "expected"),
    [
        ("consultant", False, {"assessor"}),  # staff files are theirs alone
        ("manager", False, set()),
        ("manager", True, {"assessor"}),
        ("staff", False, {"staff"}),
        ("staff", True, {"assessor", "staff"}),
    ],
)
def test_evidence_visible_is_own_files_and_the_official_ones_with_the_results(
    actors, company, role, published, expected
):
    from assessments.selectors.audits import audit_access_get, evidence_visible
    from tests.audit_factories import evidence_of_each
    from tests.factories import MembershipFactory, UserFactory

    colleague = UserFactory(email="colleague@example.com")
    MembershipFactory(user=colleague, organisation=company, role="staff")
    audit = start(actors, company, keys=["golding-cx-framework"])
    files = evidence_of_each(audit=audit, staff=actors["staff"], colleague=colleague)
    names = {evidence.pk: name for name, evidence in files.items()}
    if published:
        services.results_publish(audit=audit, by=audit.owner)
    access = audit_access_get(user=actors[role], pk=audit.pk)
    visible = {names[e.pk] for e in evidence_visible(access=access)}
    assert visible == expected
