"""schemathesis against the generated OpenAPI schema, with a valid token of a company with
a survey, waves and answers: no operation answers 5xx, and every response (errors too)
matches the schema it documents."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from cxaudit.api.api import api
from cxaudit.wsgi import application
from tests.api_factories import api_token
from tests.survey_factories import ChannelFactory, SurveyFactory, WaveFactory, answers


@pytest.fixture
def _connection_kept():
    """The WSGI handler closes the database connection after each request, and with it
    the test's transaction: the test client keeps it open the same way."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def world(db, company, settings, _connection_kept):
    settings.API_RATE_LIMIT = 10**6
    survey = SurveyFactory(company=company, blocks=["nps", "csat"], anonymous=True)
    ChannelFactory(survey=survey)
    answers(WaveFactory(survey=survey, number=1, closed=True), [9, 7, 3, 10, 10, 6], csat=4)
    WaveFactory(survey=survey, number=2)


# Built from the NinjaAPI itself (no request, no database), called through the WSGI app.
schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = application


@pytest.fixture
def secret(company):
    return api_token(company)[1]


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_answers_as_documented(case, world, secret):
    """Every check but "a schema-valid request is accepted": answers valid by the schema
    may still be refused by the survey's own rules (a required answer, a closed wave) with
    a documented 422 or 409."""
    case.call_and_validate(
        headers={"Authorization": f"Bearer {secret}"},
        excluded_checks=[positive_data_acceptance],
    )


def test_schema_names_are_unique_so_none_replaces_another_in_the_components():
    """OpenAPI components are keyed by class name: two schemas named alike would share one
    component, and one operation would document the other's body."""
    import inspect
    from collections import Counter

    from ninja import Schema

    from cxaudit.api import errors
    from cxaudit.api.endpoints import audits, companies, metrics, responses, surveys

    names = Counter(
        name
        for module in (audits, companies, metrics, responses, surveys, errors)
        for name, value in vars(module).items()
        if inspect.isclass(value)
        and issubclass(value, Schema)
        and value.__module__ == module.__name__
    )
    assert [name for name, count in names.items() if count > 1] == []


def test_every_read_of_real_objects_matches_its_schema(world, company, secret, actors):
    """The generated cases mostly meet unknown ids (404); these read the company's own
    survey, waves, audit and metrics, so the success bodies are checked against the schema
    too."""
    from assessments.services import audits as audit_services
    from assessments.services import plan as plan_services
    from surveys.models import Survey
    from tests.audit_factories import audit_with_recommendations
    from tests.metrics_factories import MetricPeriodFactory, quarter

    survey = Survey.objects.get(company=company)
    closed, opened = survey.waves.order_by("number")
    audit = audit_with_recommendations(company=company, by=actors["consultant"])
    audit_services.results_publish(audit=audit, by=actors["consultant"])
    recommendation = audit.recommendations.first()
    plan_services.recommendation_accept(recommendation=recommendation, by=actors["consultant"])
    MetricPeriodFactory(company=company, **quarter(2025, 1))
    reads = {
        "/api/v1/companies": {},
        "/api/v1/companies/{company_id}": {"company_id": company.pk},
        "/api/v1/companies/{company_id}/surveys": {"company_id": company.pk},
        "/api/v1/surveys/{survey_id}": {"survey_id": survey.pk},
        "/api/v1/surveys/{survey_id}/waves": {"survey_id": survey.pk},
        "/api/v1/waves/{wave_id}": {"wave_id": closed.pk},
        "/api/v1/waves/{wave_id}/responses": {"wave_id": closed.pk},
        "/api/v1/companies/{company_id}/audits": {"company_id": company.pk},
        "/api/v1/audits/{audit_id}": {"audit_id": audit.pk},
        "/api/v1/audits/{audit_id}/recommendations": {"audit_id": audit.pk},
        "/api/v1/audits/{audit_id}/actions": {"audit_id": audit.pk},
        "/api/v1/companies/{company_id}/metrics": {"company_id": company.pk},
    }
    headers = {"Authorization": f"Bearer {secret}"}
    for path, parameters in reads.items():
        case = schema[path]["GET"].Case(path_parameters=parameters)
        response = case.call_and_validate(headers=headers)
        assert response.status_code == 200, path
    for wave_id in (opened.pk, closed.pk):  # open (201) and closed (409) waves
        case = schema["/api/v1/waves/{wave_id}/responses"]["POST"].Case(
            path_parameters={"wave_id": wave_id},
            body={
                "submission_token": f"schema-check-{wave_id:08d}",
                "answers": {"nps": 9, "csat": 4},
            },
        )
        assert case.call_and_validate(headers=headers).status_code in (201, 409)
