"""Business metrics: everyone with a role in the company sees the dashboard and exports
(staff read-only); consultants of the company's consultancy and its managers enter, edit,
delete and import; outsiders get 404."""

from tests.integration.access import company_page, post_page

READ = company_page()
WRITE = company_page(staff=404)

MATRIX = {
    "metrics:dashboard": (lambda w: [w["company"].pk], READ),
    "metrics:export": (lambda w: [w["company"].pk, "csv"], READ),
    "metrics:period-create": (lambda w: [w["company"].pk], WRITE),
    "metrics:period-edit": (lambda w: [w["company"].pk, w["metric_period"].pk], WRITE),
    "metrics:period-delete": (lambda w: [w["company"].pk, w["metric_period"].pk], WRITE),
    "metrics:import": (lambda w: [w["company"].pk], WRITE),
}

POST = {
    "metrics:period-create": WRITE,
    "metrics:period-edit": WRITE,
    "metrics:period-delete": post_page(),
    "metrics:import": WRITE,
}


def build_world(world):
    from tests.metrics_factories import MetricPeriodFactory, quarter

    return {"metric_period": MetricPeriodFactory(company=world["company"], **quarter(2024, 1))}
