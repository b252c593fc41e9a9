from django.urls import path

from . import views

app_name = "metrics"

urlpatterns = [
    path("companies/<int:pk>/metrics/", views.dashboard, name="dashboard"),
    path("companies/<int:pk>/metrics/new/", views.period_create, name="period-create"),
    path("companies/<int:pk>/metrics/<int:period_pk>/edit/", views.period_edit, name="period-edit"),
    path(
        "companies/<int:pk>/metrics/<int:period_pk>/delete/",
        views.period_delete,
        name="period-delete",
    ),
    path("companies/<int:pk>/metrics/import/", views.period_import, name="import"),
    path("companies/<int:pk>/metrics/export.<str:fmt>", views.export, name="export"),
]
