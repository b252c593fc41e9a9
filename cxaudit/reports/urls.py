from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("audits/<int:pk>/report/", views.audit_report, name="audit-report"),
    path(
        "audits/<int:pk>/report/sections/",
        views.audit_report_sections,
        name="audit-report-sections",
    ),
    path(
        "audits/<int:pk>/report/history/", views.audit_report_history, name="audit-report-history"
    ),
    path(
        "audits/<int:pk>/report/compare/", views.audit_report_compare, name="audit-report-compare"
    ),
    path("surveys/waves/<int:pk>/report/", views.wave_report, name="wave-report"),
    path("reports/<int:pk>/", views.job_detail, name="job-detail"),
    path("reports/<int:pk>/status/", views.job_status, name="job-status"),
    path("reports/<int:pk>/download/", views.job_download, name="job-download"),
    path("reports/<int:pk>/retry/", views.job_retry, name="job-retry"),
]
