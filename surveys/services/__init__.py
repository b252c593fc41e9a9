"""Everything that changes survey state (STYLE 3). Views call these; nothing hides in save()."""

from .answers import WaveNotOpen, rate_limited, response_submit
from .invitations import (
    invitation_for_token,
    survey_link,
    wave_invitation_remind,
    wave_invitation_send,
    wave_invitations_add,
    wave_remind,
)
from .surveys import (
    ImportInvalid,
    ImportRefused,
    channel_create,
    channel_get_or_create,
    default_wave_dates,
    response_comment_hide,
    survey_create,
    survey_settings_set,
    survey_update,
    wave_close,
    wave_create,
    wave_import,
    wave_import_check,
    wave_import_refusal,
)

__all__ = [
    "ImportInvalid",
    "ImportRefused",
    "WaveNotOpen",
    "channel_create",
    "channel_get_or_create",
    "default_wave_dates",
    "invitation_for_token",
    "rate_limited",
    "response_comment_hide",
    "response_submit",
    "survey_create",
    "survey_link",
    "survey_settings_set",
    "survey_update",
    "wave_close",
    "wave_create",
    "wave_import",
    "wave_import_check",
    "wave_import_refusal",
    "wave_invitation_remind",
    "wave_invitation_send",
    "wave_invitations_add",
    "wave_remind",
]
