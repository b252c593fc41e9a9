"""Surveys, their waves and channels, anonymous responses and participation.

Anonymity (METHODOLOGY §5, A7) is a property of the tables, not only of the code:

- ``Response`` has no user, IP address, user agent, cookie, token or time of day; its primary
  key is a random UUID, so not even the insertion order can be read from it.
- ``Submission`` records the form's submission token (exactly-once) and ``InvitationUse`` the
  use of a single-use invitation link (participation); neither points at a response.
- ``QuestionAnswer`` (answers to the consultant's own questions) is keyed by a random UUID
  too and holds nothing of the respondent but the answer.
"""

from .questions import (
    DriverAnalysis,
    DriverAnalysisStatus,
    Question,
    QuestionAnswer,
    QuestionChoice,
    QuestionKind,
    QuestionQuerySet,
    SurveyTemplate,
)
from .surveys import (
    Audience,
    Block,
    Channel,
    InvitationUse,
    Response,
    Source,
    Submission,
    Survey,
    SurveyQuerySet,
    SurveySettings,
    Wave,
    WaveInvitation,
    WaveQuerySet,
    channel_code,
    invitation_token,
    wave_token,
)
from .themes import (
    Codebook,
    SuggestionStatus,
    TagSource,
    Theme,
    ThemeSuggestion,
    ThemeTag,
)

__all__ = [
    "Audience",
    "Block",
    "Channel",
    "Codebook",
    "DriverAnalysis",
    "DriverAnalysisStatus",
    "InvitationUse",
    "Question",
    "QuestionAnswer",
    "QuestionChoice",
    "QuestionKind",
    "QuestionQuerySet",
    "Response",
    "Source",
    "Submission",
    "SuggestionStatus",
    "Survey",
    "SurveyQuerySet",
    "SurveySettings",
    "SurveyTemplate",
    "TagSource",
    "Theme",
    "ThemeSuggestion",
    "ThemeTag",
    "Wave",
    "WaveInvitation",
    "WaveQuerySet",
    "channel_code",
    "invitation_token",
    "wave_token",
]
