"""A wave's responses: read as the export writes them; and answers from a company's own
website, app or helpdesk, which the public page's form (``ResponseForm``) checks and its
service (``response_submit``) stores, with the same exactly-once submission token."""

from __future__ import annotations

from django.http import QueryDict
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from surveys import policy as survey_policy
from surveys import selectors as survey_selectors
from surveys import services as survey_services
from surveys.forms import ResponseForm
from surveys.selectors.exports import ExportRefused, wave_export
from surveys.selectors.respond import FIELD_PREFIX

from .. import selectors
from ..auth import TOKEN_ROLE, TokenRequest, read_results, submit_responses
from ..errors import INVALID, ApiError, documented
from ..params import Id

router = Router(tags=["responses"])

WAVE_NOT_OPEN = "wave_not_open"
QUESTIONS_CHANGED = "questions_changed"
RESULTS_WITHHELD = "results_withheld"

Answer = int | str | list[str] | None


class Submission(Schema):
    submission_token: str = Field(
        min_length=16,
        max_length=64,
        description="A random string the sender makes once per answer: sending the same "
        "answer again with it stores nothing (a retry is safe).",
    )
    answers: dict[str, Answer] = Field(
        description="By question key: nps, csat, ces, exit_reason, exit_where, team, comment "
        "(as the survey asks them), and the survey's own questions by their key."
    )
    channel: str | None = Field(None, max_length=16, description="A channel's code, if any")


class Stored(Schema):
    stored: bool = Field(description="False when this submission token was used already")


class Paging(Schema):
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=10**9)


class ResponsePage(Schema):
    count: int
    limit: int
    offset: int
    columns: list[str]
    items: list[dict[str, str | int | None]]


@router.get(
    "/waves/{wave_id}/responses",
    response={200: ResponsePage, **documented(403, 404)},
    auth=read_results,
)
def response_list(request: TokenRequest, wave_id: Id, paging: Query[Paging]):
    """The wave's answers as the export writes them (``wave_export``), a page at a time.
    Anonymous surveys: nothing before the wave closes or below k answers (403
    ``results_withheld``), no dates, a hidden group's name null (all hidden groups one
    pool, as in the export), comments of hidden groups, held or hidden by the consultant
    empty, columns fewer than k answered empty."""
    wave = selectors.wave_get(token=request.auth, pk=wave_id)
    if not survey_policy.role_allows(TOKEN_ROLE, "wave.results.view", wave):
        raise ApiError(403, RESULTS_WITHHELD, _("The wave's results are not available yet."))
    try:
        columns, page = wave_export(
            wave=wave, hidden_as_none=True, window=(paging.offset, paging.limit)
        )
    except ExportRefused as refusal:
        raise ApiError(403, RESULTS_WITHHELD, str(refusal)) from refusal
    return {
        "count": selectors.wave_response_count(wave=wave),
        "limit": paging.limit,
        "offset": paging.offset,
        "columns": columns,
        "items": [dict(zip(columns, row, strict=True)) for row in page],
    }


def _form_data(submission: Submission, own_keys: set[str]) -> QueryDict:
    """The answers as the public form would post them."""
    data = QueryDict(mutable=True)
    data["submission_token"] = submission.submission_token
    for key, value in submission.answers.items():
        name = f"{FIELD_PREFIX}{key}" if key in own_keys else key
        if value is None:
            continue
        values = value if isinstance(value, list) else [value]
        data.setlist(name, [str(item) for item in values])
    return data


def _invalid(errors: dict[str, list[str]]) -> ApiError:
    return ApiError(422, INVALID, _("Some answers are missing or invalid."), errors=errors)


@router.post(
    "/waves/{wave_id}/responses",
    response={201: Stored, 200: Stored, **documented(400, 403, 404, 409, 422)},
    auth=submit_responses,
)
def response_submit(request: TokenRequest, wave_id: Id, submission: Submission):
    """Submit one respondent's answers to an open wave (201; 200 with ``stored: false``
    when the submission token was used already). 409 ``wave_not_open`` when the wave does
    not take answers; 422 ``invalid`` with the refused answers by key."""
    wave = selectors.wave_get(token=request.auth, pk=wave_id)
    survey = wave.survey
    channel = None
    if submission.channel:
        channel = survey_selectors.channel_for_code(wave=wave, code=submission.channel)
        if channel is None:
            raise _invalid({"channel": [_("This survey has no channel with this code.")]})
    questions = survey_selectors.respond_questions(survey.pk)
    own_keys = {question.key for question in questions}
    form = ResponseForm(_form_data(submission, own_keys), survey=survey, own_questions=questions)
    known = set(form.fields) - {"submission_token"}
    unknown = {
        key: [_("This survey asks no question with this key.")]
        for key in submission.answers
        if key not in known and f"{FIELD_PREFIX}{key}" not in known
    }
    if unknown:
        raise _invalid(unknown)
    if not form.is_valid():
        raise _invalid(
            {
                name.removeprefix(FIELD_PREFIX): [str(message) for message in messages]
                for name, messages in form.errors.items()
            }
        )
    data = dict(form.cleaned_data)
    token = data.pop("submission_token")
    try:
        stored = survey_services.response_submit(
            wave=wave,
            submission_token=token,
            answers=data,
            channel=channel,
            questions=questions,
            own=form.own_answers(),
        )
    except survey_services.WaveNotOpen as refusal:
        raise ApiError(
            409, WAVE_NOT_OPEN, _("The survey no longer takes answers, or has not started yet.")
        ) from refusal
    except survey_services.AnswersInvalid as refusal:
        raise _invalid({key: [message] for key, message in refusal.errors.items()}) from refusal
    except survey_services.QuestionsChanged as refusal:
        survey_selectors.wave_cache_clear()
        raise ApiError(
            409,
            QUESTIONS_CHANGED,
            _("The questions have just changed. Please check the answers and send again."),
        ) from refusal
    return Status(201, {"stored": True}) if stored else Status(200, {"stored": False})
