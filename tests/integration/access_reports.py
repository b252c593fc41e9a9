"""Report pages: whoever may see an audit's results may open and download its reports.

The world's audit has published results, so the company's manager and staff see them too;
another consultancy's consultant, another company's staff and anonymous visitors do not.
The report history and comparisons follow the same rule; the choice of sections is
changed by those who may generate the report (the consultant and the manager).
A survey wave's summaries follow its results page: the world's wave is closed, so staff
see it as well.
"""

from tests.integration.access import company_page, post_page, signed_in

MATRIX = {
    "reports:audit-report": (lambda w: [w["report_audit"].pk], company_page()),
    "reports:audit-report-sections": (lambda w: [w["report_audit"].pk], signed_in(405)),
    "reports:audit-report-history": (lambda w: [w["report_audit"].pk], company_page()),
    "reports:audit-report-compare": (lambda w: [w["report_audit"].pk], company_page()),
    "reports:job-detail": (lambda w: [w["report_job"].pk], company_page()),
    "reports:job-status": (lambda w: [w["report_job"].pk], company_page()),
    "reports:job-download": (lambda w: [w["report_job"].pk], company_page()),
    "reports:job-retry": (lambda w: [w["report_job"].pk], signed_in(405)),
    "reports:wave-report": (lambda w: [w["report_wave"].pk], company_page()),
}

POST = {
    "reports:audit-report": post_page(),
    "reports:audit-report-sections": post_page(),
    "reports:job-retry": post_page(),
    "reports:wave-report": post_page(staff=302),
}

POST_DATA = {
    "reports:audit-report": lambda w: {"language": "en"},
    "reports:audit-report-sections": lambda w: {"sections": ["summary", "appendix"]},
    "reports:wave-report": lambda w: {"language": "en"},
}


def build_world(world):
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from cxaudit.reports.models import ReportStatus
    from tests.report_factories import AuditFactory, ReportJobFactory
    from tests.survey_factories import SurveyFactory, WaveFactory

    audit = AuditFactory(
        company=world["company"],
        owner=world["actors"]["consultant"],
        results_published_at=timezone.now(),
    )
    job = ReportJobFactory(audit=audit, status=ReportStatus.DONE, progress=100)
    job.file.save("ignored.pdf", ContentFile(b"%PDF-1.4\n% access matrix\n"))
    wave = WaveFactory(
        survey=SurveyFactory(company=world["company"], title="Report guests"), closed=True
    )
    return {"report_audit": audit, "report_job": job, "report_wave": wave}
