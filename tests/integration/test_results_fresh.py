"""The results pages compute what they show on every request: an edit made anywhere, the
Django admin included (a plain ORM save that no service sees), shows at once."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from assessments.models import Answer, InstrumentVersion, Recommendation, RecommendationStatus
from assessments.rule_texts import recommendation_text
from assessments.selectors.results import audit_results
from assessments.services import plan as plan_services
from tests.audit_factories import GOLDING, GOLDING_ALL_NO, answers_give, audit_build, touchpoint_add
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

KNOW_CUSTOMERS = f"{GOLDING}:strategy.know-customers"


@pytest.fixture
def audit(actors, company):
    audit = audit_build(
        company=company,
        by=actors["consultant"],
        period_start=timezone.localdate() - timedelta(days=60),
        period_end=timezone.localdate() + timedelta(days=30),
    )
    answers_give(audit=audit, answers=GOLDING_ALL_NO)
    return audit


def results_page(client, audit) -> str:
    response = client.get(reverse("assessments:audit-results", args=[audit.pk]))
    assert response.status_code == 200
    return response.content.decode()


def overall(page: str) -> str:
    """The overall score as the page shows it, with a decimal point whatever the language."""
    return re.search(r'data-testid="overall-score">([^<]+)<', page)[1].replace(",", ".")


def test_an_answer_changed_through_the_orm_shows_at_once(client_for, audit):
    client = client_for("consultant")
    assert overall(results_page(client, audit)) == "0.0"
    answer = Answer.objects.get(audit_instrument__audit=audit, item_key="know-customers")
    answer.value = 1  # what an admin edit does: no service, no revision, no updated_at
    answer.save()
    # Strategy: 1 of 3 equal weights = 33.3; the overall is the mean of three domains.
    assert overall(results_page(client, audit)) == "11.1"


def test_an_item_weight_changed_through_the_orm_shows_at_once(client_for, audit):
    answers_give(audit=audit, answers={KNOW_CUSTOMERS: 1})
    client = client_for("consultant")
    assert overall(results_page(client, audit)) == "11.1"
    version = InstrumentVersion.objects.get(pk=audit.instruments.get(position=0).version_id)
    strategy = next(s for s in version.document["sections"] if s["key"] == "strategy")
    next(i for i in strategy["items"] if i["key"] == "know-customers")["weight"] = 3
    version.save()  # the content hash stays as it was: only the document changed
    # Strategy: 3 of 5 = 60; overall 60 / 3 = 20.
    assert overall(results_page(client, audit)) == "20.0"


def test_a_touchpoint_changed_through_the_orm_shows_at_once(client_for, audit):
    touchpoint = touchpoint_add(audit=audit, name="Касса", emotion=4)
    client = client_for("consultant")
    before = results_page(client, audit)
    touchpoint.emotion = 1
    touchpoint.name = "Касса у входа"
    touchpoint.save()
    after = results_page(client, audit)
    assert "Касса у входа" in after
    assert "Касса у входа" not in before


def test_a_recommendation_rejected_through_the_orm_leaves_what_to_do_at_once(
    client_for, audit, actors
):
    plan_services.recommendations_refresh(audit=audit, by=actors["consultant"])
    client = client_for("consultant")
    with translation.override("ru"):
        first = audit.recommendations.order_by("-priority", "pk").first()
        text = recommendation_text(first)
    assert text in results_page(client, audit)
    Recommendation.objects.filter(pk=first.pk).update(status=RecommendationStatus.REJECTED)
    assert text not in results_page(client, audit)


def test_a_staff_answer_changed_through_the_orm_shows_on_the_gaps_page_at_once(
    client_for, audit, company
):
    staff = []
    for n in range(3):
        user = UserFactory(email=f"gap{n}@example.com")
        MembershipFactory(user=user, organisation=company, role="staff")
        staff.append(audit.participants.create(user=user, email=user.email, kind="staff"))
    for participant in staff:
        answers_give(audit=audit, answers=GOLDING_ALL_NO, participant=participant)
    client = client_for("consultant")
    url = reverse("assessments:audit-gaps", args=[audit.pk])
    assert "слепая зона" not in client.get(url).content.decode()
    Answer.objects.filter(participant__in=staff).update(value=1)
    assert "слепая зона" in client.get(url).content.decode()


def test_each_language_gets_the_results_in_its_own_words(audit):
    with translation.override("ru"):
        russian = audit_results(audit=audit)
    with translation.override("en"):
        english = audit_results(audit=audit)
    assert russian.level_name != english.level_name
    assert russian.overall == english.overall


def test_the_results_and_gaps_pages_keep_their_query_budget(
    client_for, audit, django_assert_max_num_queries
):
    plan_services.recommendations_refresh(audit=audit, by=audit.owner)
    touchpoint_add(audit=audit, name="Касса", emotion=2)
    client = client_for("consultant")
    for name in ("assessments:audit-results", "assessments:audit-gaps"):
        with django_assert_max_num_queries(14):
            assert client.get(reverse(name, args=[audit.pk])).status_code == 200
