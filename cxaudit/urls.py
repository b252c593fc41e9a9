from django.contrib import admin
from django.urls import include, path

from . import views
from .api import api

urlpatterns = [
    # First: the respondents' links take the most traffic, and Django tries patterns in order.
    path("", include("surveys.urls")),
    path("", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("", include("cxaudit.accounts.urls")),
    path("", include("assessments.urls")),
    path("", include("cxaudit.reports.urls")),
    path("", include("cxaudit.metrics.urls")),
    path("", include("cxaudit.api.urls")),
    path("api/v1/", api.urls()),
]
