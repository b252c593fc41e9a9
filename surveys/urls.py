from django.urls import path

from .views import files, manage, public, questions, survey_templates, theme_suggestions, themes

app_name = "surveys"

urlpatterns = [
    # Respondents: no login.
    path("s/i/<str:token>/", public.respond_invited, name="respond-invited"),
    path("s/<str:token>/", public.respond, name="respond"),
    path("s/<str:token>/thanks/", public.respond_thanks, name="respond-thanks"),
    path("s/<str:token>/<str:code>/", public.respond, name="respond-channel"),
    # Company's managers and consultants (staff: the list and published results).
    path("surveys/company/<int:company_pk>/", manage.survey_list, name="survey-list"),
    path("surveys/company/<int:company_pk>/new/", manage.survey_create, name="survey-create"),
    path(
        "surveys/company/<int:company_pk>/settings/",
        manage.survey_settings,
        name="survey-settings",
    ),
    path("surveys/<int:pk>/", manage.survey_detail, name="survey-detail"),
    path("surveys/<int:pk>/edit/", manage.survey_update, name="survey-update"),
    path("surveys/<int:pk>/results/", manage.survey_results, name="survey-results"),
    path("surveys/<int:pk>/waves/new/", manage.wave_create, name="wave-create"),
    path("surveys/<int:pk>/channels/new/", manage.channel_create, name="channel-create"),
    path("surveys/waves/<int:pk>/close/", manage.wave_close, name="wave-close"),
    path("surveys/waves/<int:pk>/reopen/", manage.wave_reopen, name="wave-reopen"),
    path(
        "surveys/waves/<int:pk>/comments/release/",
        manage.wave_comments_release,
        name="wave-comments-release",
    ),
    path("surveys/waves/<int:pk>/invitations/", manage.wave_invitations, name="wave-invitations"),
    path("surveys/waves/<int:pk>/remind/", manage.wave_remind, name="wave-remind"),
    path(
        "surveys/responses/<uuid:pk>/comment-hidden/",
        manage.response_comment_hide,
        name="response-comment-hide",
    ),
    # Own questions.
    path("surveys/<int:pk>/questions/new/", questions.question_create, name="question-create"),
    path("surveys/questions/<int:pk>/edit/", questions.question_update, name="question-update"),
    path("surveys/questions/<int:pk>/move/", questions.question_move, name="question-move"),
    path("surveys/questions/<int:pk>/remove/", questions.question_remove, name="question-remove"),
    # Survey templates of the consultancy (or of a company on its own).
    path(
        "surveys/<int:pk>/save-as-template/",
        survey_templates.template_create,
        name="template-create",
    ),
    path(
        "surveys/company/<int:company_pk>/templates/",
        survey_templates.template_list,
        name="template-list",
    ),
    path(
        "surveys/company/<int:company_pk>/templates/<int:template_pk>/use/",
        survey_templates.template_use,
        name="template-use",
    ),
    path(
        "surveys/company/<int:company_pk>/templates/<int:template_pk>/delete/",
        survey_templates.template_delete,
        name="template-delete",
    ),
    # Comment themes (issue 16).
    path("surveys/<int:pk>/themes/", themes.codebook_detail, name="codebook-detail"),
    path("surveys/<int:pk>/themes/new/", themes.theme_create, name="theme-create"),
    path("surveys/themes/<int:pk>/edit/", themes.theme_update, name="theme-update"),
    path("surveys/themes/<int:pk>/delete/", themes.theme_delete, name="theme-delete"),
    path("surveys/themes/<int:pk>/move/", themes.theme_move, name="theme-move"),
    path("surveys/themes/<int:pk>/merge/", themes.theme_merge, name="theme-merge"),
    path("surveys/themes/<int:pk>/split/", themes.theme_split, name="theme-split"),
    path("surveys/<int:pk>/themes/keep/", themes.codebook_keep, name="codebook-keep"),
    path(
        "surveys/company/<int:company_pk>/codebooks/",
        themes.codebook_kept_list,
        name="codebook-kept-list",
    ),
    path(
        "surveys/company/<int:company_pk>/codebooks/<int:codebook_pk>/delete/",
        themes.codebook_kept_delete,
        name="codebook-kept-delete",
    ),
    path(
        "surveys/waves/<int:pk>/theme-suggestions/",
        theme_suggestions.theme_suggestions,
        name="theme-suggestions",
    ),
    path(
        "surveys/theme-suggestions/<int:pk>/",
        theme_suggestions.theme_suggestion_status,
        name="theme-suggestion-status",
    ),
    path(
        "surveys/theme-suggestions/<int:pk>/<int:index>/accept/",
        theme_suggestions.theme_suggestion_accept,
        name="theme-suggestion-accept",
    ),
    path(
        "surveys/theme-suggestions/<int:pk>/<int:index>/merge/",
        theme_suggestions.theme_suggestion_merge,
        name="theme-suggestion-merge",
    ),
    path(
        "surveys/theme-suggestions/<int:pk>/<int:index>/dismiss/",
        theme_suggestions.theme_suggestion_dismiss,
        name="theme-suggestion-dismiss",
    ),
    path("surveys/responses/<uuid:pk>/themes/", themes.comment_themes, name="comment-themes"),
    path("surveys/answers/<uuid:pk>/themes/", themes.answer_themes, name="answer-themes"),
    path("surveys/waves/<int:pk>/qr.<str:fmt>", files.wave_qr, name="wave-qr"),
    path("surveys/waves/<int:pk>/export.<str:fmt>", files.wave_export, name="wave-export"),
    path("surveys/waves/<int:pk>/import/", files.wave_import, name="wave-import"),
]
