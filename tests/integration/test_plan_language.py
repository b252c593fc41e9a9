"""A rule's recommendation is stored as its key and read in the reader's language (issue 14).

Accepting in Russian used to freeze the Russian text into the action item, so an English
reader of the plan or of the PDF saw Russian. Text the consultant typed stays as typed.
"""

from importlib import import_module

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation

from assessments.models import ActionItem, Recommendation
from assessments.services import plan as services
from cxaudit.library import rule_catalogue
from cxaudit.reports import selectors as report_selectors
from tests.audit_factories import audit_with_recommendations

pytestmark = pytest.mark.django_db

RULE = "strategy-weak"


def texts(rule_id=RULE):
    return rule_catalogue().get(rule_id).text


@pytest.fixture
def consultant(actors):
    return actors["consultant"]


@pytest.fixture
def audit(company, consultant):
    with translation.override("ru"):
        return audit_with_recommendations(company=company, by=consultant)


@pytest.fixture
def accepted_in_russian(audit, consultant):
    recommendation = audit.recommendations.get(rule_id=RULE)
    with translation.override("ru"):
        return services.recommendation_accept(recommendation=recommendation, by=consultant)


def page(client, user, url, language):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(url).content.decode()


def test_refreshing_in_russian_stores_the_rule_key_not_its_text(audit):
    row = audit.recommendations.get(rule_id=RULE)
    assert row.text == ""
    with translation.override("en"):
        assert row.display_text == texts().en
    with translation.override("ru"):
        assert row.display_text == texts().ru


def test_an_action_accepted_in_russian_reads_in_english(accepted_in_russian):
    action = ActionItem.objects.get(pk=accepted_in_russian.pk)
    assert action.title == ""
    assert action.rule_id == RULE
    with translation.override("en"):
        assert action.display_title == texts().en
    with translation.override("ru"):
        assert action.display_title == texts().ru


def test_the_plan_pages_show_the_accepted_text_in_the_readers_language(
    audit, accepted_in_russian, consultant
):
    client = Client()
    plan = reverse("assessments:action-list", args=[audit.pk])
    recommendations = reverse("assessments:recommendation-list", args=[audit.pk])
    english = page(client, consultant, plan, "en")
    assert texts().en.split(",")[0] in english
    assert texts().ru.split(",")[0] not in english
    assert texts().en.split(",")[0] in page(client, consultant, recommendations, "en")
    assert texts().ru.split(",")[0] in page(client, consultant, plan, "ru")


def test_the_report_selectors_give_the_accepted_text_in_the_report_language(
    audit, accepted_in_russian
):
    for language, other in (("en", "ru"), ("ru", "en")):
        with translation.override(language):
            context = report_selectors.audit_report_context(audit=audit)
            rows = {r["recommendation"].rule_id: r["text"] for r in context["recommendations"]}
            assert rows[RULE] == texts().get(language)
            titles = [action.display_title for action in context["actions"]]
            assert texts().get(language) in titles
            html = render_to_string("reports/pdf/_actions.html", context)
            assert texts().get(language).split(",")[0] in html
            assert texts().get(other).split(",")[0] not in html


def test_keeping_the_rule_text_while_changing_the_status_keeps_the_key(
    accepted_in_russian, consultant, actors
):
    with translation.override("en"):
        action = services.action_update(
            action=accepted_in_russian,
            by=consultant,
            by_role="consultant",
            title=texts().en,
            notes="Ask the board",
        )
    assert action.title == ""
    assert action.notes == "Ask the board"


def test_typed_text_stays_as_typed_in_every_language(audit, consultant):
    recommendation = audit.recommendations.get(rule_id=RULE)
    services.recommendation_edit(recommendation=recommendation, by=consultant, text="Своё слово")
    action = services.recommendation_accept(recommendation=recommendation, by=consultant)
    assert action.title == "Своё слово"
    with translation.override("en"):
        assert recommendation.display_text == "Своё слово"
        assert action.display_title == "Своё слово"
    services.recommendation_edit(recommendation=recommendation, by=consultant, text=texts().en)
    recommendation.refresh_from_db()
    assert recommendation.text == ""


def test_the_data_migration_turns_copied_rule_texts_into_keys_and_back(audit, consultant):
    migration = import_module("assessments.migrations.0005_recommendation_text_as_rule_key")
    recommendation = audit.recommendations.get(rule_id=RULE)
    action = services.recommendation_accept(recommendation=recommendation, by=consultant)
    ActionItem.objects.filter(pk=action.pk).update(title=texts().en)
    Recommendation.objects.filter(pk=recommendation.pk).update(text=texts().ru)
    typed = audit.recommendations.exclude(rule_id=RULE).exclude(rule_id="").first()
    Recommendation.objects.filter(pk=typed.pk).update(text="Typed by hand")

    from django.apps import apps

    migration.texts_to_keys(apps, None)
    assert ActionItem.objects.get(pk=action.pk).title == ""
    assert Recommendation.objects.get(pk=recommendation.pk).text == ""
    assert Recommendation.objects.get(pk=typed.pk).text == "Typed by hand"

    migration.keys_to_texts(apps, None)
    assert ActionItem.objects.get(pk=action.pk).title == texts().ru
    assert Recommendation.objects.get(pk=recommendation.pk).text == texts().ru
    assert Recommendation.objects.get(pk=typed.pk).text == "Typed by hand"


def test_a_stored_copy_of_the_rule_text_still_reads_in_the_readers_language(audit):
    recommendation = audit.recommendations.get(rule_id=RULE)
    Recommendation.objects.filter(pk=recommendation.pk).update(text=texts().en)
    recommendation.refresh_from_db()
    with translation.override("ru"):
        assert recommendation.display_text == texts().ru
