"""The reason renderer: stored trigger dicts → sentences in the reader's language."""

import pytest
from django.utils import translation

from assessments.models import Instrument
from assessments.reasons import reason_lines

pytestmark = pytest.mark.django_db


@pytest.fixture
def instruments():
    keys = ("golding-cx-framework", "ten-ways", "service-sales-level", "strategy-canvas")
    return [Instrument.objects.get(key=key, owner=None).latest for key in keys]


def render(reasons, instruments, language="en", **kwargs):
    with translation.override(language):
        return reason_lines(reasons, instruments, **kwargs)


def item(ref, observed, condition="<=", threshold=0):
    return {
        "kind": "item",
        "ref": ref,
        "observed": observed,
        "condition": condition,
        "threshold": threshold,
    }


def test_an_item_answer_names_instrument_domain_question_and_answer(instruments):
    (line,) = render([item("golding-cx-framework:measurement.customer-view", 0)], instruments)
    assert line == (
        "Golding's framework for managing customer experience · Measurement: "
        "“We assess customer experience through the eyes of the customers themselves.” "
        "— answered “No”"
    )


def test_an_item_uses_its_own_option_labels(instruments):
    (line,) = render([item("ten-ways:listening.complaints", 1, threshold=1)], instruments)
    assert line.endswith("— answered “Occasionally or once”")
    assert line.startswith("Ten ways to assess your own service · ")


def test_an_unticked_box_and_a_blank_text(instruments):
    unticked, blank = render(
        [
            item("service-sales-level:economics.cac-known", 0),
            item("strategy-canvas:canvas.mission", None, condition="blank", threshold=None),
        ],
        instruments,
    )
    assert unticked.startswith("Service and sales level") or "Customer economics" in unticked
    assert unticked.endswith("— not ticked")
    assert blank.endswith("— left blank")


def test_a_domain_score(instruments):
    reason = {
        "kind": "domain",
        "ref": "golding-cx-framework:measurement",
        "observed": "28.0",
        "condition": "<",
        "threshold": "40.0",
    }
    (line,) = render([reason], instruments)
    assert line.endswith("Measurement: domain score 28.0 is below 40")
    (russian,) = render([reason], instruments, language="ru")
    assert "Измерения" in russian
    assert "28,0" in russian


def test_metrics(instruments):
    lines = render(
        [
            {
                "kind": "metric",
                "ref": "nps",
                "observed": "12.0",
                "condition": "<",
                "threshold": "30.0",
            },
            {
                "kind": "metric",
                "ref": "monthly_churn",
                "observed": "3.5",
                "condition": ">",
                "threshold": "3.0",
            },
            {
                "kind": "metric",
                "ref": "net_change",
                "observed": "-4",
                "condition": "<",
                "threshold": "0",
            },
            {
                "kind": "metric",
                "ref": "days_since_customer_wave",
                "observed": None,
                "condition": "never",
                "threshold": "183",
            },
            {
                "kind": "metric",
                "ref": "days_since_customer_wave",
                "observed": "200",
                "condition": ">",
                "threshold": "183",
            },
        ],
        instruments,
    )
    assert lines == [
        "NPS is 12.0, below 30",
        "Monthly churn is 3.5%, above 3%",
        "More customers lost than won: -4",
        "No customer survey wave has been closed yet",
        "The last customer survey wave closed 200 days ago (the limit is 183)",
    ]


def test_touchpoints_and_blind_spots(instruments):
    touchpoint = {
        "kind": "touchpoint",
        "ref": "7",
        "observed": 2,
        "condition": "<=",
        "threshold": 2,
    }
    lines = render(
        [
            {**touchpoint, "title": "Checkout"},
            touchpoint,
            {**touchpoint, "ref": "8"},
            {
                "kind": "gap",
                "ref": "golding-cx-framework:employees",
                "observed": None,
                "condition": "blind_spot",
                "threshold": None,
            },
        ],
        instruments,
        touchpoints={"7": "Till"},
    )
    assert lines[:3] == [
        "Touchpoint “Checkout”: emotion 2 of 5",
        "Touchpoint “Till”: emotion 2 of 5",
        "Touchpoint “#8”: emotion 2 of 5",
    ]
    assert lines[3].startswith("Golding's framework for managing customer experience · Employees:")
    assert "blind spot" in lines[3]


def test_a_reference_to_an_instrument_not_in_the_audit_still_reads(instruments):
    (line,) = render([item("metric-practice:use.monthly-review", 1)], instruments[:1])
    assert line == "metric-practice:use.monthly-review: “monthly-review” — answered “1”"


def test_nothing_to_say():
    assert reason_lines(None, []) == []
    assert reason_lines([], []) == []
