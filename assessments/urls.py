from django.urls import path

from .views import audits, journey, library, plan, recommendations, texts

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
    path("companies/<int:pk>/audits/", audits.audit_list, name="audit-list"),
    path("companies/<int:pk>/audits/new/", audits.audit_create, name="audit-create"),
    path("audits/<int:pk>/", audits.audit_detail, name="audit-detail"),
    path("audits/<int:pk>/participants/", audits.participants_add, name="participants-add"),
    path("audits/<int:pk>/remind/", audits.participants_remind, name="participants-remind"),
    path("audits/<int:pk>/answer/<int:instrument_pk>/", audits.answer_page, name="answer-page"),
    path(
        "audits/<int:pk>/answer/<int:instrument_pk>/<str:item_key>/",
        audits.answer_save,
        name="answer-save",
    ),
    path("audits/<int:pk>/close/", audits.audit_close, name="audit-close"),
    path("audits/<int:pk>/reopen/", audits.audit_reopen, name="audit-reopen"),
    path("audits/<int:pk>/publish/", audits.results_publish, name="results-publish"),
    path("audits/<int:pk>/results/", audits.results, name="audit-results"),
    path("audits/<int:pk>/gaps/", audits.gaps, name="audit-gaps"),
    path("audits/<int:pk>/report-text/", texts.audit_texts_edit, name="audit-texts"),
    path("evidence/<int:pk>/", audits.evidence_download, name="evidence-download"),
    path(
        "audits/<int:pk>/recommendations/",
        recommendations.recommendation_list,
        name="recommendation-list",
    ),
    path(
        "audits/<int:pk>/recommendations/refresh/",
        recommendations.recommendation_refresh,
        name="recommendation-refresh",
    ),
    path(
        "audits/<int:pk>/recommendations/accept/",
        recommendations.recommendation_accept_many,
        name="recommendation-accept-many",
    ),
    path(
        "audits/<int:pk>/recommendations/new/",
        recommendations.recommendation_create,
        name="recommendation-create",
    ),
    path(
        "audits/<int:pk>/recommendations/<int:rec_pk>/accept/",
        recommendations.recommendation_accept,
        name="recommendation-accept",
    ),
    path(
        "audits/<int:pk>/recommendations/<int:rec_pk>/reject/",
        recommendations.recommendation_reject,
        name="recommendation-reject",
    ),
    path(
        "audits/<int:pk>/recommendations/<int:rec_pk>/edit/",
        recommendations.recommendation_edit,
        name="recommendation-edit",
    ),
    path("audits/<int:pk>/actions/", plan.action_list, name="action-list"),
    path("actions/<int:pk>/", plan.action_edit, name="action-edit"),
    path("audits/<int:pk>/journey/", journey.journey_map, name="journey-map"),
    path("audits/<int:pk>/journey/new/", journey.touchpoint_create, name="touchpoint-create"),
    path("audits/<int:pk>/journey/<int:tp_pk>/", journey.touchpoint_edit, name="touchpoint-edit"),
    path(
        "audits/<int:pk>/journey/<int:tp_pk>/delete/",
        journey.touchpoint_delete,
        name="touchpoint-delete",
    ),
    path("audits/<int:pk>/next-round/", plan.round_start, name="round-start"),
]
