from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("", include("cxaudit.accounts.urls")),
    path("", include("assessments.urls")),
    path("", include("surveys.urls")),
    path("", include("cxaudit.reports.urls")),
    path("", include("cxaudit.metrics.urls")),
]
