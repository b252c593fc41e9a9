"""Codebooks and the themes of comments (issue 16): the editor's writes, the matcher's
tags and the consultant's corrections.

Tagging choice: a survey's comments are tagged by ``themes_apply`` whenever its codebook
changes (every edit bumps ``Codebook.revision``) and when a wave closes; a comment stored
in an open wave gets its auto tags at the wave's closing or the next edit. Below
``INLINE_LIMIT`` comments the run is inline; above, the worker does it
(``themes_apply_task``). Manual rows (a consultant's correction) are never touched: a
manual ``present=False`` row keeps the matcher from adding the theme back.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils.translation import gettext as _

from cxaudit.accounts.models import Organisation
from cxaudit.themes.codebook import Matcher, ThemeSpec, phrase_problems

from ..models import (
    Codebook,
    QuestionAnswer,
    QuestionKind,
    Response,
    Survey,
    TagSource,
    Theme,
    ThemeTag,
)
from ..selectors.questions import template_owner_id

INLINE_LIMIT = 2000
TEXT_KINDS = (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT)


def phrase_message(key: str) -> str:
    messages = {
        "phrase_empty": _("has no words"),
        "phrase_too_long": _("is too long: a theme's phrase is a few words"),
        "phrase_stop_words_only": _("has only words too common to find a theme by"),
    }
    return messages.get(key, _("cannot be used"))


def phrases_check(phrases: str) -> list[str]:
    """One message per bad line ("Line 2 “…” is too long…"); empty when all are fine."""
    problems = []
    for number, line in enumerate(phrases.splitlines(), start=1):
        if not line.strip():
            continue
        key = phrase_problems(line.strip())
        if key is not None:
            problems.append(
                _("Line %(number)d “%(phrase)s” %(problem)s.")
                % {"number": number, "phrase": line.strip(), "problem": phrase_message(key)}
            )
    return problems


def phrases_joined(phrases: Iterable[str], more: Iterable[str]) -> str:
    """``phrases`` then those of ``more`` not among them, one per line."""
    known = list(phrases)
    return "\n".join([*known, *(phrase for phrase in more if phrase not in set(known))])


def _clean_phrases(phrases: str) -> str:
    return "\n".join(line.strip() for line in phrases.splitlines() if line.strip())


@dataclass(frozen=True)
class Comment:
    response_id: uuid.UUID
    question_id: int | None
    wave_id: int
    text: str


def survey_comments(*, survey: Survey) -> Iterator[Comment]:
    """Every comment of the survey's waves: built-in comments the consultant did not hide,
    and answers to own text questions (listed on the page whether or not the consultant
    hid the response's built-in comment, so tagged alike)."""
    responses = (
        Response.objects.filter(wave__survey=survey, comment_hidden=False)
        .exclude(comment="")
        .order_by("pk")
        .values_list("pk", "wave_id", "comment")
    )
    for pk, wave_id, text in responses.iterator(chunk_size=2000):
        yield Comment(pk, None, wave_id, text)
    answers = (
        QuestionAnswer.objects.filter(wave__survey=survey, question__kind__in=TEXT_KINDS)
        .exclude(text="")
        .order_by("pk")
        .values_list("response_id", "question_id", "wave_id", "text")
    )
    for response_id, question_id, wave_id, text in answers.iterator(chunk_size=2000):
        yield Comment(response_id, question_id, wave_id, text)


def survey_comment_count(*, survey: Survey) -> int:
    responses = Response.objects.filter(wave__survey=survey, comment_hidden=False).exclude(
        comment=""
    )
    answers = QuestionAnswer.objects.filter(
        wave__survey=survey, question__kind__in=TEXT_KINDS
    ).exclude(text="")
    return responses.count() + answers.count()


def codebook_matcher(*, codebook: Codebook) -> tuple[Matcher, dict[str, int]]:
    themes = list(codebook.themes.all())
    matcher = Matcher([ThemeSpec(key=t.key, phrases=t.phrase_list()) for t in themes])
    return matcher, {theme.key: theme.pk for theme in themes}


@transaction.atomic
def themes_apply(*, codebook: Codebook) -> int:
    """Write the auto tags of every comment of the codebook's survey; returns how many.
    Stale auto rows go, new ones are created in bulk; manual rows stay as they are."""
    survey = codebook.survey
    if survey is None:
        return 0
    matcher, theme_ids = codebook_matcher(codebook=codebook)
    ThemeTag.objects.filter(theme__codebook=codebook, source=TagSource.AUTO).delete()
    manual = set(
        ThemeTag.objects.filter(theme__codebook=codebook, source=TagSource.MANUAL).values_list(
            "response_id", "question_id", "theme_id"
        )
    )
    rows = []
    batch: list[Comment] = []

    def flush() -> None:
        for comment, keys in zip(batch, matcher.match_many(c.text for c in batch), strict=True):
            for key in keys:
                theme_id = theme_ids[key]
                if (comment.response_id, comment.question_id, theme_id) in manual:
                    continue  # a correction by hand decides
                rows.append(
                    ThemeTag(
                        response_id=comment.response_id,
                        question_id=comment.question_id,
                        wave_id=comment.wave_id,
                        theme_id=theme_id,
                        source=TagSource.AUTO,
                    )
                )
        batch.clear()

    for comment in survey_comments(survey=survey):
        batch.append(comment)
        if len(batch) >= 1000:
            flush()
    flush()
    ThemeTag.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def codebook_changed(*, codebook: Codebook) -> None:
    """Bump the revision and tag again: inline for a small survey, else in the worker."""
    Codebook.objects.filter(pk=codebook.pk).update(revision=F("revision") + 1)
    codebook.refresh_from_db(fields=["revision"])
    survey = codebook.survey
    if survey is None:
        return
    if survey_comment_count(survey=survey) <= INLINE_LIMIT:
        themes_apply(codebook=codebook)
    else:
        from ..tasks import themes_apply as themes_apply_task

        transaction.on_commit(partial(themes_apply_task.delay, codebook.pk, codebook.revision))


def themes_apply_run(*, codebook_id: int, revision: int) -> None:
    """The worker's run; a message for an older revision is dropped (a newer one follows)."""
    codebook = Codebook.objects.filter(pk=codebook_id, revision=revision).first()
    if codebook is not None:
        themes_apply(codebook=codebook)


def wave_themes_apply(*, survey: Survey) -> None:
    """At a wave's closing: tag the survey's comments if it has a codebook."""
    codebook = Codebook.objects.filter(survey=survey).first()
    if codebook is not None and codebook.themes.exists():
        codebook_changed(codebook=codebook)


# ------------------------------------------------------------------- codebooks


def _copy_themes(*, source: Codebook, target: Codebook) -> None:
    Theme.objects.bulk_create(
        Theme(
            codebook=target,
            key=theme.key,
            name_ru=theme.name_ru,
            name_en=theme.name_en,
            phrases=theme.phrases,
            position=theme.position,
        )
        for theme in source.themes.all()
    )


@transaction.atomic
def codebook_create(*, survey: Survey, by, source: Codebook | None = None) -> Codebook:
    """The survey's codebook, empty or a copy of one of the consultancy's codebooks."""
    if Codebook.objects.filter(survey=survey).exists():
        raise ValidationError(_("The survey already has a codebook."))
    codebook = Codebook(survey=survey, title=source.title if source else survey.title)
    codebook.created_by = by
    codebook.full_clean()
    codebook.save()
    if source is not None:
        _copy_themes(source=source, target=codebook)
        codebook_changed(codebook=codebook)
    return codebook


@transaction.atomic
def codebook_save_as(*, codebook: Codebook, company: Organisation, title: str, by) -> Codebook:
    """A copy of a survey's codebook kept by the company's consultancy (or by the company
    on its own), as survey templates are."""
    copy = Codebook(owner_id=template_owner_id(company), title=title, created_by=by)
    copy.full_clean()
    copy.save()
    _copy_themes(source=codebook, target=copy)
    return copy


# --------------------------------------------------------------------- themes


def _theme_check(*, codebook: Codebook, key: str, phrases: str, exclude: int | None) -> None:
    errors: dict[str, list[str]] = {}
    clash = codebook.themes.filter(key=key)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        errors["key"] = [_("The codebook already has a theme with this key.")]
    problems = phrases_check(phrases)
    if problems:
        errors["phrases"] = problems
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def theme_create(
    *, codebook: Codebook, key: str, name_ru: str, name_en: str = "", phrases: str = ""
) -> Theme:
    _theme_check(codebook=codebook, key=key, phrases=phrases, exclude=None)
    last = codebook.themes.aggregate(last=Max("position"))["last"]
    theme = Theme(
        codebook=codebook,
        key=key,
        name_ru=name_ru,
        name_en=name_en,
        phrases=_clean_phrases(phrases),
        position=0 if last is None else last + 1,
    )
    theme.full_clean()
    theme.save()
    codebook_changed(codebook=codebook)
    return theme


@transaction.atomic
def theme_update(*, theme: Theme, key: str, name_ru: str, name_en: str, phrases: str) -> Theme:
    _theme_check(codebook=theme.codebook, key=key, phrases=phrases, exclude=theme.pk)
    theme.key, theme.name_ru, theme.name_en = key, name_ru, name_en
    theme.phrases = _clean_phrases(phrases)
    theme.full_clean()
    theme.save()
    codebook_changed(codebook=theme.codebook)
    return theme


@transaction.atomic
def theme_delete(*, theme: Theme) -> None:
    codebook = theme.codebook
    theme.delete()
    codebook_changed(codebook=codebook)


@transaction.atomic
def theme_move(*, theme: Theme, direction: str) -> None:
    themes = list(theme.codebook.themes.order_by("position", "pk"))
    index = next(i for i, t in enumerate(themes) if t.pk == theme.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(themes):
        themes[index], themes[other] = themes[other], themes[index]
    for position, item in enumerate(themes):
        item.position = position
    Theme.objects.bulk_update(themes, ["position"])
    Codebook.objects.filter(pk=theme.codebook_id).update(revision=F("revision") + 1)


@transaction.atomic
def theme_merge(*, theme: Theme, into: Theme) -> Theme:
    """``theme`` joins ``into``: its phrases and its manual corrections move, then
    ``theme`` goes."""
    if theme.codebook_id != into.codebook_id or theme.pk == into.pk:
        raise ValidationError(_("Pick another theme of the same codebook."))
    into.phrases = phrases_joined(into.phrase_list(), theme.phrase_list())
    into.save(update_fields=["phrases"])
    # A comment corrected by hand for either theme: present if it was present for either.
    taken = dict(
        ((tag.response_id, tag.question_id), tag.present)
        for tag in ThemeTag.objects.filter(theme=into, source=TagSource.MANUAL)
    )
    for tag in ThemeTag.objects.filter(theme=theme, source=TagSource.MANUAL):
        kept = taken.get((tag.response_id, tag.question_id))
        if kept is True or (kept is False and not tag.present):
            continue
        ThemeTag.objects.filter(theme=into, response_id=tag.response_id).filter(
            question=tag.question_id
        ).delete()
        tag.theme = into
        tag.save(update_fields=["theme"])
    theme.delete()
    codebook_changed(codebook=into.codebook)
    return into


@transaction.atomic
def theme_split(
    *, theme: Theme, phrases: list[str], key: str, name_ru: str, name_en: str = ""
) -> Theme:
    """A new theme with some of ``theme``'s phrases, which ``theme`` gives up."""
    moving = [phrase for phrase in theme.phrase_list() if phrase in set(phrases)]
    if not moving or len(moving) == len(theme.phrase_list()):
        raise ValidationError(_("Pick some of the theme's phrases, not all of them."))
    theme.phrases = "\n".join(p for p in theme.phrase_list() if p not in set(moving))
    theme.save(update_fields=["phrases"])
    return theme_create(
        codebook=theme.codebook,
        key=key,
        name_ru=name_ru,
        name_en=name_en,
        phrases="\n".join(moving),
    )


# ---------------------------------------------------------------- corrections


@transaction.atomic
def comment_themes_set(
    *, codebook: Codebook, response: Response, question_id: int | None, theme_ids: set[int]
) -> None:
    """The consultant's themes for one comment, written as manual rows: a theme ticked is
    present, one unticked is absent, whatever the matcher finds later. A theme of another
    codebook refuses the lot."""
    themes = list(codebook.themes.all())
    if theme_ids - {theme.pk for theme in themes}:
        raise ValidationError(_("Only themes of this survey's codebook can be set; nothing saved."))
    tags = ThemeTag.objects.filter(theme__codebook=codebook, response=response)
    tags = (
        tags.filter(question__isnull=True)
        if question_id is None
        else tags.filter(question_id=question_id)
    )
    tags.delete()
    ThemeTag.objects.bulk_create(
        ThemeTag(
            response=response,
            question_id=question_id,
            wave_id=response.wave_id,
            theme=theme,
            source=TagSource.MANUAL,
            present=theme.pk in theme_ids,
        )
        for theme in themes
    )


def codebook_kept_delete(*, codebook: Codebook) -> None:
    """A kept codebook goes; the surveys' codebooks copied from it stay as they are."""
    if codebook.owner_id is None:
        raise ValidationError(_("Only a kept codebook can be deleted here."))
    codebook.delete()
