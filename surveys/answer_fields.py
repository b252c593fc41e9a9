"""Fields of the respondent's form: answer choices shared between forms, and the fields of
the consultant's own questions (``own_fields``), built once per question set and language.
Forms check the shape of input only (STYLE 17)."""

from __future__ import annotations

import copy
import functools

from django import forms
from django.utils.translation import gettext_lazy as _

from cxaudit import questions as rules

from .selectors.respond import OwnQuestion


class SharedChoices:
    """Answer choices are built once per survey and language and never changed, so a form's
    copy of a field shares them; copying them for every form cost more than validating."""

    def __deepcopy__(self, memo):
        result = forms.Field.__deepcopy__(self, memo)
        result._choices = self._choices
        return result


class AnswerField(SharedChoices, forms.ChoiceField):
    pass


class TypedAnswerField(SharedChoices, forms.TypedChoiceField):
    pass


class AnswerRadios(forms.RadioSelect):
    def __deepcopy__(self, memo):
        result = copy.copy(self)  # shares the choices (see SharedChoices)
        result.attrs = self.attrs.copy()
        memo[id(self)] = result
        return result


class _ShapeOnly:
    """Own questions' fields check the shape of what was sent only (a text, a list): which
    answers count, and which are required, depends on the other answers (conditions), so
    ``own_answers.check`` decides, in the service. ``required`` only marks the label."""

    def validate(self, value):
        return None


class _OwnChoiceField(_ShapeOnly, AnswerField):
    pass


class _OwnMultipleField(_ShapeOnly, SharedChoices, forms.MultipleChoiceField):
    pass


class _OwnTextField(_ShapeOnly, forms.CharField):
    pass


def _own_field(question: OwnQuestion) -> forms.Field:
    label = question.text()
    if question.kind in rules.RATINGS:
        scale = rules.SCALES[question.kind]
        widget = AnswerRadios()
        widget.low_label = question.low_label()
        widget.high_label = question.high_label()
        widget.all_labelled = False
        widget.mark_required = question.required
        return _OwnChoiceField(
            label=label,
            choices=[(str(v), str(v)) for v in scale],
            required=question.required,
            widget=widget,
        )
    if question.kind == rules.YES_NO:
        choices = [(str(rules.YES), _("Yes")), (str(rules.NO), _("No"))]
        return _OwnChoiceField(
            label=label, choices=choices, required=question.required, widget=AnswerRadios
        )
    if question.kind in rules.CHOICES:
        choices = [(choice.key, choice.label()) for choice in question.choices]
        if question.kind == rules.SINGLE:
            return _OwnChoiceField(
                label=label, choices=choices, required=question.required, widget=AnswerRadios
            )
        return _OwnMultipleField(
            label=label,
            choices=choices,
            required=question.required,
            widget=forms.CheckboxSelectMultiple,
        )
    # No maxlength attribute (browsers cut pasted text without a word): the check refuses a
    # longer answer with a message, and the form comes back with everything typed.
    widget = forms.TextInput() if question.kind == rules.SHORT_TEXT else forms.Textarea({"rows": 4})
    return _OwnTextField(label=label, required=question.required, widget=widget)


@functools.lru_cache(maxsize=256)
def own_fields(questions: tuple[OwnQuestion, ...], language: str | None):
    """The own questions' fields in ``language``, built once per question set (compared by
    value: an edited question builds anew)."""
    return {q.field_name: _own_field(q) for q in questions}
