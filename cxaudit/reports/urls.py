from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("audits/<int:pk>/report/", views.audit_report, name="audit-report"),
    path("surveys/waves/<int:pk>/report/", views.wave_report, name="wave-report"),
    path("reports/<int:pk>/", views.job_detail, name="job-detail"),
    path("reports/<int:pk>/status/", views.job_status, name="job-status"),
    path("reports/<int:pk>/download/", views.job_download, name="job-download"),
    path("reports/<int:pk>/retry/", views.job_retry, name="job-retry"),
]
