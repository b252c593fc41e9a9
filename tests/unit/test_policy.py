"""Every policy table, every action × every role × every state of the object it is about.

The expected answers are written out as tables of who may, independent of the rules'
code: a changed rule fails here until the table below is changed with it.
"""

import ast
import datetime
import itertools
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.http import Http404
from django.utils import timezone

from assessments import policy as audit_policy
from assessments.models import Audit, AuditStatus
from cxaudit.accounts import policy as company_policy
from cxaudit.accounts.models import Organisation
from cxaudit.metrics import policy as metrics_policy
from cxaudit.reports import policy as report_policy
from surveys import policy as survey_policy
from surveys.models import Audience, Survey, Wave

C, M, S, NONE = "consultant", "manager", "staff", None
ROLES = (C, M, S, NONE)
ROOT = Path(__file__).resolve().parents[2]


# --------------------------------------------------------------------------- accounts


COMPANY_TABLE = {
    "company.view": {C, M, S},
    "company.manage": {C, M},
    "invitation.create": {C, M},
    "invitation.revoke": {C, M},
    "branding.edit": {C},
    "company.benchmark_edit": {C},
    "api_tokens.manage": {C, M},
    "webhooks.manage": {C, M},
}


@pytest.mark.parametrize(("action", "role"), list(itertools.product(COMPANY_TABLE, ROLES)))
def test_company_rules(action, role):
    expected = role in COMPANY_TABLE[action]
    assert company_policy.role_allows(role, action) is expected
    assert company_policy.allowed(SimpleNamespace(role=role), action) is expected


def test_company_table_is_the_tested_one():
    assert set(company_policy.RULES) == set(COMPANY_TABLE)


@pytest.mark.parametrize(("role", "roles"), [(C, (M, S)), (M, (M, S)), (S, ()), (NONE, ())])
def test_invitable_roles(role, roles):
    assert company_policy.invitable_roles(role) == roles


def test_check_refuses_with_404_and_lets_through_silently():
    with pytest.raises(Http404):
        company_policy.check(SimpleNamespace(role=S), "company.manage")
    assert company_policy.check(SimpleNamespace(role=M), "company.manage") is None


def test_an_unknown_action_is_a_programming_error_not_a_refusal():
    with pytest.raises(KeyError):
        company_policy.role_allows(C, "company.delete")


# --------------------------------------------------------------------------- metrics


METRICS_TABLE = {"metrics.view": {C, M, S}, "metrics.edit": {C, M}}


@pytest.mark.parametrize(("action", "role"), list(itertools.product(METRICS_TABLE, ROLES)))
def test_metrics_rules(action, role):
    assert metrics_policy.allowed(SimpleNamespace(role=role), action) is (
        role in METRICS_TABLE[action]
    )
    assert set(metrics_policy.RULES) == set(METRICS_TABLE)


# --------------------------------------------------------------------------- assessments

# An audit's state: (self-assessment, results published, open, the user takes part).
STATES = list(list(itertools.product((False, True), repeat=4)))

RUNNERS = {(C, False), (C, True), (M, True)}  # (role, self-assessment)


def _runs(role, self_assessment, _published, _open, _participant):
    return (role, self_assessment) in RUNNERS


def _sees_results(role, self_assessment, published, open_, participant):
    runs = _runs(role, self_assessment, published, open_, participant)
    return runs or (published and role in (M, S))


def _updates_actions(role, self_assessment, published, open_, participant):
    return (role, self_assessment) in RUNNERS or role == M


AUDIT_TABLE = {
    "audit.run": _runs,
    "audit.results.view": _sees_results,
    "answers.view": lambda role, sa, pub, open_, participant: participant,
    "answers.edit": lambda role, sa, pub, open_, participant: participant and open_,
    "recommendations.view": _sees_results,
    "recommendations.manage": _runs,
    "actions.view": lambda *state: _updates_actions(*state) or _sees_results(*state),
    "actions.update": _updates_actions,
    "actions.plan": _runs,
    "journey.view": lambda *state: state[4] or _sees_results(*state),
    "journey.manage": _runs,
    "journey.edit": lambda *state: _runs(*state) and state[3],
    "texts.view": _sees_results,
    "texts.edit": _runs,  # open or closed: the report is finalised after closing
    "benchmark.view": lambda *state: _sees_results(*state) and not state[3],  # closed only
}


def _audit(self_assessment, published, open_):
    return Audit(
        is_self_assessment=self_assessment,
        results_published_at=timezone.now() if published else None,
        status=AuditStatus.OPEN if open_ else AuditStatus.CLOSED,
    )


@pytest.mark.parametrize(
    ("action", "role", "state"), list(itertools.product(AUDIT_TABLE, ROLES, STATES))
)
def test_audit_rules(action, role, state):
    self_assessment, published, open_, participant = state
    audit = _audit(self_assessment, published, open_)
    access = SimpleNamespace(role=role, audit=audit, participant=object() if participant else None)
    expected = AUDIT_TABLE[action](role, *state)
    assert audit_policy.allowed(access, action) is expected
    assert audit_policy.role_allows(role, action, audit, participant=participant) is expected


def test_audit_table_is_the_tested_one():
    assert set(audit_policy.RULES) == set(AUDIT_TABLE) | {"audit.start"}


@pytest.mark.parametrize("role", ROLES)
def test_consultants_and_managers_start_audits(role):
    company_access = SimpleNamespace(role=role)
    assert audit_policy.allowed(company_access, "audit.start", object()) is (role in (C, M))


# --------------------------------------------------------------------------- surveys

TODAY = datetime.date(2026, 3, 10)
WAVE_STATES = ("scheduled", "open", "closed", "closed early")


def _wave(status, *, anonymous=True, audience=Audience.CUSTOMER):
    survey = Survey(anonymous=anonymous, audience=audience)
    day = datetime.timedelta(days=1)
    opens, closes = {
        "scheduled": (TODAY + day, TODAY + 5 * day),
        "open": (TODAY - day, TODAY + day),
        "closed": (TODAY - 5 * day, TODAY - day),
        "closed early": (TODAY - day, TODAY + day),
    }[status]
    closed_at = timezone.now() if status == "closed early" else None
    return Wave(survey=survey, opens_on=opens, closes_on=closes, closed_at=closed_at)


# Who sees a wave's results, by (anonymous survey, wave status).
WAVE_RESULTS = {
    (anonymous, status): {C, M, S} if status.startswith("closed") else set()
    for anonymous in (True, False)
    for status in WAVE_STATES
}
WAVE_RESULTS[(False, "open")] = {C, M}


@pytest.mark.parametrize(
    ("role", "anonymous", "status"),
    list(itertools.product(ROLES, (True, False), WAVE_STATES)),
)
def test_wave_results(role, anonymous, status, time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 10, 12, tzinfo=datetime.UTC))
    wave = _wave(status, anonymous=anonymous)
    expected = role in WAVE_RESULTS[(anonymous, status)]
    assert survey_policy.role_allows(role, "wave.results.view", wave) is expected


@pytest.mark.parametrize(
    ("role", "audience"), list(itertools.product(ROLES, (Audience.CUSTOMER, Audience.EMPLOYEE)))
)
def test_only_the_consultant_moderates_employee_comments(role, audience):
    survey = Survey(audience=audience)
    expected = role == C and audience == Audience.EMPLOYEE
    assert survey_policy.allowed(SimpleNamespace(role=role), "comments.moderate", survey) is (
        expected
    )


@pytest.mark.parametrize(
    ("action", "role"), list(itertools.product(("survey.view", "survey.manage"), ROLES))
)
def test_survey_rules(action, role):
    expected = role in ({C, M, S} if action == "survey.view" else {C, M})
    assert survey_policy.role_allows(role, action) is expected
    assert set(survey_policy.RULES) == {
        "survey.view",
        "survey.manage",
        "comments.moderate",
        "wave.results.view",
        "templates.manage",
        "themes.correct",
        "wave.comments.read",
    }


@pytest.mark.parametrize("role", ROLES)
def test_who_edits_the_codebook_corrects_a_comments_themes(role):
    allowed = survey_policy.role_allows(role, "themes.correct", Survey())
    assert allowed is (role in {C, M})


@pytest.mark.parametrize(
    ("role", "audience", "client", "released", "status"),
    list(
        itertools.product(
            ROLES,
            (Audience.CUSTOMER, Audience.EMPLOYEE),
            (True, False),
            (True, False),
            WAVE_STATES,
        )
    ),
)
def test_who_reads_a_waves_comments(role, audience, client, released, status, time_machine):
    """Comments follow the results, except employee comments of a consultancy's client,
    which the consultant alone reads until released."""
    time_machine.move_to(datetime.datetime(2026, 3, 10, 12, tzinfo=datetime.UTC))
    wave = _wave(status, audience=audience)
    wave.survey.company = Organisation(
        kind="company", parent=Organisation(pk=1, kind="consultancy") if client else None
    )
    wave.comments_released_at = timezone.now() if released else None
    held = audience == Audience.EMPLOYEE and client and not released
    expected = role in WAVE_RESULTS[(True, status)] and (not held or role == C)
    assert survey_policy.comments_held(wave) is held
    assert survey_policy.role_allows(role, "wave.comments.read", wave) is expected


# Who keeps a company's survey templates, by whether it has a consultancy.
TEMPLATES_TABLE = {True: {C}, False: {M}}


@pytest.mark.parametrize(
    ("role", "with_consultancy"), list(itertools.product(ROLES, (True, False)))
)
def test_survey_templates_are_kept_by_the_consultancy_or_a_lone_company_s_managers(
    role, with_consultancy
):
    company = SimpleNamespace(parent_id=7 if with_consultancy else None)
    expected = role in TEMPLATES_TABLE[with_consultancy]
    assert survey_policy.allowed(SimpleNamespace(role=role), "templates.manage", company) is (
        expected
    )


# --------------------------------------------------------------------------- reports


@pytest.mark.parametrize(("role", "state"), list(itertools.product(ROLES, STATES)))
def test_audit_reports_follow_the_audit_results(role, state):
    self_assessment, published, open_, _participant = state
    audit = _audit(self_assessment, published, open_)
    access = SimpleNamespace(role=role, audit=audit, wave=None, job=None)
    sees = _sees_results(role, *state)
    assert report_policy.allowed(access, "report.view") is sees
    assert report_policy.allowed(access, "report.generate") is (sees and role in (C, M))
    assert report_policy.allowed(access, "report.history") is sees
    assert report_policy.allowed(access, "report.compare") is sees
    assert report_policy.allowed(access, "report.sections") is (sees and role in (C, M))


# A wave summary made before the wave closed (from live figures) or after.
JOB_TIMES = ("before closing", "after closing", "no job")


@pytest.mark.parametrize(
    ("role", "anonymous", "status", "job_time"),
    list(itertools.product(ROLES, (True, False), WAVE_STATES, JOB_TIMES)),
)
def test_wave_reports_follow_the_wave_results(role, anonymous, status, job_time, time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 10, 12, tzinfo=datetime.UTC))
    wave = _wave(status, anonymous=anonymous)
    closed = report_policy.wave_closed_at(wave)
    job = {
        "before closing": SimpleNamespace(created_at=closed - datetime.timedelta(hours=1)),
        "after closing": SimpleNamespace(created_at=closed),
        "no job": None,
    }[job_time]
    access = SimpleNamespace(role=role, audit=None, wave=wave, job=job)
    sees = role in WAVE_RESULTS[(anonymous, status)] and (
        job_time != "before closing" or role in (C, M)
    )
    assert report_policy.allowed(access, "report.view") is sees
    assert report_policy.allowed(access, "report.generate") is sees
    assert report_policy.allowed(access, "report.jobs.all") is (role in (C, M))


@pytest.mark.parametrize("role", ROLES)
def test_a_deleted_waves_job_is_seen_by_managers_and_never_regenerated(role):
    access = SimpleNamespace(role=role, audit=None, wave=None, job=SimpleNamespace())
    assert report_policy.allowed(access, "report.view") is (role in (C, M))
    assert report_policy.allowed(access, "report.generate") is False


def test_report_table_is_the_tested_one():
    assert set(report_policy.RULES) == {
        "report.view",
        "report.generate",
        "report.jobs.all",
        "report.history",
        "report.compare",
        "report.sections",
    }


def test_a_wave_closes_at_the_end_of_its_last_day_or_when_closed_early():
    wave = _wave("closed")
    end = timezone.make_aware(datetime.datetime.combine(TODAY, datetime.time.min))
    assert report_policy.wave_closed_at(wave) == end
    wave.closed_at = end - datetime.timedelta(days=2)
    assert report_policy.wave_closed_at(wave) == wave.closed_at


# --------------------------------------------------------------------------- call sites

POLICIES = {
    "cxaudit.accounts": company_policy,
    # The API's pages ask the accounts policy (``policy``); its endpoints name the others
    # by their aliases.
    "cxaudit.api": company_policy,
    "cxaudit.metrics": metrics_policy,
    "cxaudit.reports": report_policy,
    "assessments": audit_policy,
    "surveys": survey_policy,
}
ENTRY_POINTS = {"allowed", "check", "role_allows"}


def _actions_named_in(path: Path):
    """(line, action) of every ``<x>policy.<entry point>(..., "action", ...)`` call."""
    for node in ast.walk(ast.parse(path.read_text())):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        owner = node.func.value
        if node.func.attr in ENTRY_POINTS and isinstance(owner, ast.Name) and "policy" in owner.id:
            for arg in node.args:  # a constant, or either branch of ``a if x else b``
                for leaf in ast.walk(arg):
                    if isinstance(leaf, ast.Constant) and isinstance(leaf.value, str):
                        yield owner.id, node.lineno, leaf.value


ALIASES = {
    "audit_policy": audit_policy,
    "survey_policy": survey_policy,
    "metrics_policy": metrics_policy,
}


def _policy_of(path: Path, name: str):
    """The policy module ``name`` stands for in ``path``: an alias, or its app's own."""
    if name in ALIASES:
        return ALIASES[name]
    parts = path.relative_to(ROOT).parts
    app = ".".join(parts[:2]) if parts[0] == "cxaudit" else parts[0]
    return POLICIES[app]


def test_every_action_the_code_asks_about_is_in_its_policys_table():
    """A misspelt action would only fail at run time, as a KeyError on that page."""
    unknown, asked = [], set()
    for folder in ("assessments", "surveys", "cxaudit"):
        for path in (ROOT / folder).rglob("*.py"):
            for name, line, action in _actions_named_in(path):
                module = _policy_of(path, name)
                asked.add((module.__name__, action))
                if action not in module.RULES:
                    unknown.append(f"{path.relative_to(ROOT)}:{line} {name} {action}")
    assert not unknown, unknown
    never_asked = {
        (module.__name__, action) for module in POLICIES.values() for action in module.RULES
    } - asked
    assert not never_asked, f"rules nothing asks about: {sorted(never_asked)}"
