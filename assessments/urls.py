from django.urls import path

from .views import audits, library, plan

app_name = "assessments"

urlpatterns = [
    path("library/", library.library, name="library"),
    path("library/upload/", library.instrument_upload, name="instrument-upload"),
    path("library/<int:pk>/", library.instrument_detail, name="instrument-detail"),
    path(
        "library/<int:pk>/v<int:number>/",
        library.instrument_detail,
        name="instrument-version",
    ),
    path("library/<int:pk>/history/", library.instrument_history, name="instrument-history"),
    path(
        "library/<int:pk>/v<int:number>/yaml/",
        library.instrument_download,
        name="instrument-download",
    ),
    *audits.urlpatterns,
    *plan.urlpatterns,
]
