"""Business metrics per period: validation, derived balance, metrics and comparison.

Implements METHODOLOGY §6 and the business-metric part of §10. Pure: no Django imports.
Counts are whole numbers, money is ``Decimal``, durations are ``(value, unit)`` pairs
stored in whole seconds. Nothing raises for missing or bad data: every metric is a
``MetricValue`` with a status (``ok``, ``no_data``, ``undefined``, ``invalid``) and an
untranslated message key with parameters. Values are exact; ``display`` rounds them
(§1.3) and every band or flag compares the displayed value.
"""

from .comparison import (
    CHANGE_UNITS,
    FRT_METRICS,
    LENGTH_DEPENDENT,
    LTV_METRICS,
    MetricChange,
    PeriodComparison,
    compare,
)
from .computing import (
    PeriodMetrics,
    compute,
)
from .period_inputs import (
    BALANCE_FIELDS,
    COST_SHARE_TARGET,
    COUNT,
    COUNT_FIELDS,
    DURATION_FIELDS,
    LONG_DURATION_SECONDS,
    LTV_FIELDS,
    MAX_INPUT,
    MINUTES,
    MONEY,
    MONEY_FIELDS,
    MONEY_PLACES,
    PERCENT,
    PERIOD_MONTHS,
    RATE_PLACES,
    RATIO,
    SAMPLE_FIELDS,
    SCORE,
    SECONDS_PER_UNIT,
    Duration,
    Message,
    Number,
    PeriodInputs,
    QaCategory,
    Value,
    duration_seconds,
)
from .validation import (
    BalanceDerivation,
    Issue,
    derive_missing_balance,
    validate,
)
from .values import (
    MetricValue,
    ltv,
    years_from_annual_churn,
)

__all__ = [
    "BALANCE_FIELDS",
    "CHANGE_UNITS",
    "COST_SHARE_TARGET",
    "COUNT",
    "COUNT_FIELDS",
    "DURATION_FIELDS",
    "FRT_METRICS",
    "LENGTH_DEPENDENT",
    "LONG_DURATION_SECONDS",
    "LTV_FIELDS",
    "LTV_METRICS",
    "MAX_INPUT",
    "MINUTES",
    "MONEY",
    "MONEY_FIELDS",
    "MONEY_PLACES",
    "PERCENT",
    "PERIOD_MONTHS",
    "RATE_PLACES",
    "RATIO",
    "SAMPLE_FIELDS",
    "SCORE",
    "SECONDS_PER_UNIT",
    "BalanceDerivation",
    "Duration",
    "Issue",
    "Message",
    "MetricChange",
    "MetricValue",
    "Number",
    "PeriodComparison",
    "PeriodInputs",
    "PeriodMetrics",
    "QaCategory",
    "Value",
    "compare",
    "compute",
    "derive_missing_balance",
    "duration_seconds",
    "ltv",
    "validate",
    "years_from_annual_churn",
]
