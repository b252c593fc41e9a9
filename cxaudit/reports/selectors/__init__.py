"""Reads for report pages and report documents (STYLE §3, §5).

Access: consultants of the company's consultancy and the company's managers may generate
and download an audit's reports; staff may download them once the audit's results are
published. A survey wave's summary follows the survey results page: whoever may see the
wave's results there may generate and download it (staff: closed waves only). Outsiders get
404. The documents (``audit_document``, ``wave_document``) are built from the results
selectors of the other apps; numbers are never computed here.
"""

from .access import (
    ReportAccess,
    audit_report_get,
    report_job_get,
    report_jobs_for_subject,
    wave_report_get,
    wave_report_jobs,
)
from .audit_document import audit_report_context, audit_report_snapshot, document_context
from .history import (
    Comparison,
    HistoryRow,
    audit_report_compare,
    audit_report_history,
    audit_report_sections_get,
)
from .wave_document import wave_report_context

__all__ = [
    "Comparison",
    "HistoryRow",
    "ReportAccess",
    "audit_report_compare",
    "audit_report_context",
    "audit_report_get",
    "audit_report_history",
    "audit_report_sections_get",
    "audit_report_snapshot",
    "document_context",
    "report_job_get",
    "report_jobs_for_subject",
    "wave_report_context",
    "wave_report_get",
    "wave_report_jobs",
]
