"""The audit report's section keys and the comparison of two reports' key figures."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cxaudit.reports.sections import (
    AUDIT_SECTIONS,
    sections_change,
    sections_normalise,
    sections_unknown,
    snapshot_compare,
)

LABELS = {
    "overall": "Overall",
    "level": "Level",
    "recommendations": "Recommendations",
    "actions": "Actions",
    "texts": "Texts",
}


def test_the_sections_are_the_issue_s_list_in_document_order():
    assert AUDIT_SECTIONS[0] == "cover" and AUDIT_SECTIONS[-1] == "appendix"
    assert len(set(AUDIT_SECTIONS)) == len(AUDIT_SECTIONS)
    for key in ("summary", "maturity", "gap", "surveys", "metrics", "recommendations"):
        assert key in AUDIT_SECTIONS
    assert AUDIT_SECTIONS.index("recommendations") < AUDIT_SECTIONS.index("actions")


def test_normalising_orders_deduplicates_and_drops_unknown_keys():
    assert sections_normalise(["appendix", "summary", "summary", "nonsense"]) == [
        "summary",
        "appendix",
    ]


@pytest.mark.parametrize("keys", [None, [], ["nonsense"]])
def test_no_choice_means_every_section(keys):
    assert sections_normalise(keys) == list(AUDIT_SECTIONS)


def test_unknown_keys_are_listed_once_in_the_order_given():
    assert sections_unknown(["x", "summary", "y", "x"]) == ["x", "y"]
    assert sections_unknown(AUDIT_SECTIONS) == []


def test_the_change_of_sections_lists_added_and_removed_in_document_order():
    added, removed = sections_change(["summary", "gap"], ["appendix", "cover", "summary"])
    assert added == ["cover", "appendix"]
    assert removed == ["gap"]


def test_an_old_job_without_a_choice_had_every_section():
    added, removed = sections_change([], ["summary"])
    assert added == []
    assert removed == [key for key in AUDIT_SECTIONS if key != "summary"]


@given(st.lists(st.sampled_from([*AUDIT_SECTIONS, "other"])))
def test_normalised_sections_are_a_non_empty_ordered_subset(keys):
    result = sections_normalise(keys)
    assert result and set(result) <= set(AUDIT_SECTIONS)
    assert result == sorted(result, key=AUDIT_SECTIONS.index)


@given(
    st.lists(st.sampled_from(AUDIT_SECTIONS), min_size=1),
    st.lists(st.sampled_from(AUDIT_SECTIONS), min_size=1),
)
def test_applying_the_change_gives_the_later_choice(before, after):
    added, removed = sections_change(before, after)
    assert set(sections_normalise(before)) - set(removed) | set(added) == set(after)
    assert not set(added) & set(removed)


def _snapshot(**overrides):
    snapshot = {
        "overall": "55.0",
        "level": 3,
        "domains": [
            {"key": "a:one", "label": "One", "score": "40.0"},
            {"key": "a:two", "label": "Two", "score": None},
        ],
        "surveys": [{"key": "nps", "label": "NPS", "value": "+12", "number": "12"}],
        "recommendations": 4,
        "actions": 2,
    }
    snapshot.update(overrides)
    return snapshot


def _by_key(rows):
    return {(row.kind, row.key): row for row in rows}


def test_two_snapshots_give_values_and_changes_in_a_fixed_order():
    before = _snapshot()
    after = _snapshot(
        overall="62.5",
        level=4,
        domains=[
            {"key": "a:two", "label": "Two (new)", "score": "70.0"},
            {"key": "a:one", "label": "One", "score": "35.5"},
        ],
        surveys=[{"key": "nps", "label": "NPS", "value": "−3", "number": "-3"}],
        recommendations=5,
    )
    rows = snapshot_compare(before, after, labels=LABELS)
    assert [row.kind for row in rows] == [
        "overall",
        "level",
        "domain",
        "domain",
        "survey",
        "recommendations",
        "actions",
    ]
    by_key = _by_key(rows)
    overall = by_key[("overall", "overall")]
    assert (overall.label, overall.before, overall.after) == ("Overall", "55.0", "62.5")
    assert overall.change == Decimal("7.5") and overall.changed
    assert by_key[("level", "level")].change == 1
    one = by_key[("domain", "a:one")]
    assert one.change == Decimal("-4.5")
    two = by_key[("domain", "a:two")]
    assert (two.label, two.before, two.after, two.change) == ("Two (new)", None, "70.0", None)
    assert two.changed
    nps = by_key[("survey", "nps")]
    assert (nps.before, nps.after, nps.change) == ("+12", "−3", Decimal("-15"))
    assert by_key[("recommendations", "recommendations")].change == 1
    actions = by_key[("actions", "actions")]
    assert actions.change == 0 and not actions.changed
    assert [row.key for row in rows if row.kind == "domain"] == ["a:two", "a:one"]


def test_a_figure_only_the_older_report_had_is_kept_with_no_later_value():
    before = _snapshot()
    after = _snapshot(surveys=[], domains=[{"key": "a:one", "label": "One", "score": "40.0"}])
    by_key = _by_key(snapshot_compare(before, after, labels=LABELS))
    nps = by_key[("survey", "nps")]
    assert (nps.before, nps.after, nps.change, nps.changed) == ("+12", None, None, True)
    assert by_key[("domain", "a:two")].after is None


def test_the_texts_row_says_whether_the_digest_changed_and_only_when_recorded():
    without = snapshot_compare(_snapshot(), _snapshot(), labels=LABELS)
    assert "texts" not in [row.kind for row in without]
    same = _by_key(snapshot_compare(_snapshot(texts="d1"), _snapshot(texts="d1"), labels=LABELS))
    assert not same[("texts", "texts")].changed
    new = _by_key(snapshot_compare(_snapshot(), _snapshot(texts="d1"), labels=LABELS))
    assert new[("texts", "texts")].changed


def test_a_missing_score_or_malformed_entries_compare_without_a_change():
    before = _snapshot(overall=None, domains="garbage", surveys=[{"label": "no key"}, 3])
    after = _snapshot(overall="bad", level=True)
    rows = snapshot_compare(before, after, labels=LABELS)
    by_key = _by_key(rows)
    assert by_key[("overall", "overall")].change is None
    assert by_key[("level", "level")].change is None
    assert by_key[("domain", "a:one")].before is None
    assert ("survey", "nps") in by_key
    infinite = snapshot_compare(_snapshot(overall="Infinity"), _snapshot(), labels=LABELS)
    assert _by_key(infinite)[("overall", "overall")].change is None


@given(st.decimals(-100, 100, places=1), st.decimals(-100, 100, places=1))
def test_the_change_is_the_later_minus_the_earlier(old, new):
    rows = snapshot_compare(_snapshot(overall=str(old)), _snapshot(overall=str(new)), labels=LABELS)
    assert rows[0].change == new - old
    assert rows[0].changed is (str(old) != str(new))
