"""Everything that changes survey state (STYLE 3). Views call these; nothing hides in save()."""

from .answers import (
    AnswersInvalid,
    QuestionsChanged,
    WaveNotOpen,
    rate_limited,
    response_submit,
)
from .drivers import (
    driver_analysis_for_page,
    driver_analysis_request,
    driver_analysis_run,
)
from .imports import (
    ImportInvalid,
    ImportRefused,
    wave_import,
    wave_import_check,
    wave_import_refusal,
)
from .invitations import (
    invitation_for_token,
    survey_link,
    wave_invitation_remind,
    wave_invitation_send,
    wave_invitations_add,
    wave_remind,
)
from .questions import (
    OptionInput,
    QuestionInput,
    question_create,
    question_move,
    question_remove,
    question_update,
)
from .survey_templates import (
    survey_from_template,
    survey_snapshot,
    survey_template_delete,
    survey_template_save,
)
from .surveys import (
    channel_create,
    channel_get_or_create,
    default_wave_dates,
    response_comment_hide,
    survey_create,
    survey_settings_set,
    survey_update,
    wave_close,
    wave_comments_release,
    wave_create,
    wave_reopen,
)

__all__ = [
    "AnswersInvalid",
    "ImportInvalid",
    "ImportRefused",
    "OptionInput",
    "QuestionInput",
    "QuestionsChanged",
    "WaveNotOpen",
    "channel_create",
    "channel_get_or_create",
    "default_wave_dates",
    "driver_analysis_for_page",
    "driver_analysis_request",
    "driver_analysis_run",
    "invitation_for_token",
    "question_create",
    "question_move",
    "question_remove",
    "question_update",
    "rate_limited",
    "response_comment_hide",
    "response_submit",
    "survey_create",
    "survey_from_template",
    "survey_link",
    "survey_settings_set",
    "survey_snapshot",
    "survey_template_delete",
    "survey_template_save",
    "survey_update",
    "wave_close",
    "wave_comments_release",
    "wave_create",
    "wave_import",
    "wave_import_check",
    "wave_import_refusal",
    "wave_invitation_remind",
    "wave_invitation_send",
    "wave_invitations_add",
    "wave_remind",
    "wave_reopen",
]
