"""The journey map of an audit: its touchpoints, which feed the ``touchpoint-pain`` rule."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Audit, Touchpoint
from ..selectors.plan import journey_stages
from .plan import TEXT_MAX_LENGTH, clean_text

NAME_MAX_LENGTH = 200


def _touchpoint_fields(
    *, audit: Audit, stage_key: str, name: str, emotion, texts: dict[str, str]
) -> dict:
    if not audit.is_open:
        raise ValidationError(_("The audit is closed; the journey map can no longer change."))
    if stage_key not in {stage.key for stage in journey_stages(audit=audit)}:
        raise ValidationError(_("This stage is not part of the audit's journey map."))
    if emotion in ("", None):
        emotion = None
    else:
        try:
            emotion = int(emotion)
        except (TypeError, ValueError) as error:
            raise ValidationError(_("The emotion is a number from 1 to 5.")) from error
        if not 1 <= emotion <= 5:
            raise ValidationError(_("The emotion is a number from 1 to 5."))
    fields = {
        "stage_key": stage_key,
        "name": clean_text(name, empty=_("Name the touchpoint."), max_length=NAME_MAX_LENGTH),
        "emotion": emotion,
    }
    limits = {"channel": 120, "owner_name": 120, "pain_point": TEXT_MAX_LENGTH}
    for field, value in texts.items():
        fields[field] = (value or "").strip()[: limits.get(field, TEXT_MAX_LENGTH)]
    return fields


@transaction.atomic
def touchpoint_create(
    *,
    audit: Audit,
    by,
    stage_key: str,
    name: str,
    channel: str = "",
    owner_name: str = "",
    emotion: int | None = None,
    pain_point: str = "",
    improvement: str = "",
) -> Touchpoint:
    fields = _touchpoint_fields(
        audit=audit,
        stage_key=stage_key,
        name=name,
        emotion=emotion,
        texts={
            "channel": channel,
            "owner_name": owner_name,
            "pain_point": pain_point,
            "improvement": improvement,
        },
    )
    last = (
        audit.touchpoints.filter(stage_key=stage_key)
        .order_by("-position")
        .values_list("position", flat=True)
        .first()
    )
    touchpoint = Touchpoint(audit=audit, position=(last or 0) + 1, **fields)
    touchpoint.full_clean()
    touchpoint.save()
    return touchpoint


@transaction.atomic
def touchpoint_update(
    *,
    touchpoint: Touchpoint,
    by,
    stage_key: str,
    name: str,
    channel: str = "",
    owner_name: str = "",
    emotion: int | None = None,
    pain_point: str = "",
    improvement: str = "",
) -> Touchpoint:
    fields = _touchpoint_fields(
        audit=touchpoint.audit,
        stage_key=stage_key,
        name=name,
        emotion=emotion,
        texts={
            "channel": channel,
            "owner_name": owner_name,
            "pain_point": pain_point,
            "improvement": improvement,
        },
    )
    for field, value in fields.items():
        setattr(touchpoint, field, value)
    touchpoint.full_clean()
    touchpoint.save()
    return touchpoint


@transaction.atomic
def touchpoint_delete(*, touchpoint: Touchpoint, by) -> None:
    if not touchpoint.audit.is_open:
        raise ValidationError(_("The audit is closed; the journey map can no longer change."))
    touchpoint.delete()
