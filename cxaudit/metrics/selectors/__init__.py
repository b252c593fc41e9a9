"""Reading metric periods: the dashboard, the facts an audit needs, and exports.

Every number comes from ``cxaudit.metrics.formulas.compute``/``compare``; which recommendation
rules fire is decided by ``cxaudit.recommendations.evaluate``. Selectors load a company's
periods in one query and do the rest in Python over those few rows.

The modules import one way: ``periods`` and ``presentation`` at the bottom, ``facts`` on them,
``dashboard`` on all three, ``export`` on ``periods``. Callers keep using
``from cxaudit.metrics import selectors``; the names below are the package's public API.
"""

from .dashboard import TRIGGER_UNITS, ChangeView, Dashboard, MetricCard, metric_dashboard_get
from .export import (
    EXPORTS,
    ExportWriter,
    export_cell,
    metric_export_csv,
    metric_export_rows,
    metric_export_xlsx,
)
from .facts import (
    TRIGGER_METRIC,
    AuditMetrics,
    company_metric_facts,
    metric_facts,
    metric_recommendations,
)
from .periods import (
    PeriodResult,
    metric_period_get,
    metric_period_list,
    period_result,
    period_results,
)
from .presentation import GROUPS, METRICS, TREND_METRICS, MetricInfo, format_change, format_value

__all__ = [
    "EXPORTS",
    "GROUPS",
    "METRICS",
    "TREND_METRICS",
    "TRIGGER_METRIC",
    "TRIGGER_UNITS",
    "AuditMetrics",
    "ChangeView",
    "Dashboard",
    "ExportWriter",
    "MetricCard",
    "MetricInfo",
    "PeriodResult",
    "company_metric_facts",
    "export_cell",
    "format_change",
    "format_value",
    "metric_dashboard_get",
    "metric_export_csv",
    "metric_export_rows",
    "metric_export_xlsx",
    "metric_facts",
    "metric_period_get",
    "metric_period_list",
    "metric_recommendations",
    "period_result",
    "period_results",
]
