"""Writing metric periods: entry, edit, delete and the all-or-nothing CSV import.

``periods`` stores one period; ``csv_import`` reads a file of them and stores every row
through ``periods`` (one way: ``periods`` never imports ``csv_import``). Callers keep using
``from cxaudit.metrics import services``; the names below are the package's public API.
"""

from .csv_import import (
    CSV_COLUMNS,
    FALSE_WORDS,
    IMPORT_MAX_BYTES,
    IMPORT_MAX_ROWS,
    TRUE_WORDS,
    UNIT_WORDS,
    ImportPreview,
    ImportRow,
    MetricImportRejected,
    import_summary,
    metric_import_commit,
    metric_import_parse,
)
from .periods import (
    CURRENCY_RE,
    MetricPeriodInvalid,
    PeriodCheck,
    PeriodEntry,
    SaveResult,
    derived_note,
    metric_period_check,
    metric_period_create,
    metric_period_delete,
    metric_period_update,
    overlap_message,
)

__all__ = [
    "CSV_COLUMNS",
    "CURRENCY_RE",
    "FALSE_WORDS",
    "IMPORT_MAX_BYTES",
    "IMPORT_MAX_ROWS",
    "TRUE_WORDS",
    "UNIT_WORDS",
    "ImportPreview",
    "ImportRow",
    "MetricImportRejected",
    "MetricPeriodInvalid",
    "PeriodCheck",
    "PeriodEntry",
    "SaveResult",
    "derived_note",
    "import_summary",
    "metric_import_commit",
    "metric_import_parse",
    "metric_period_check",
    "metric_period_create",
    "metric_period_delete",
    "metric_period_update",
    "overlap_message",
]
