"""Forms of the own-question editor and of survey templates: shape only (STYLE 17); the
rules (keys, conditions, versions) live in ``services.questions``."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cxaudit import questions as rules

from .models import Question, QuestionKind
from .selectors import ConditionTarget
from .services import OptionInput, QuestionInput

OPTION_SEPARATOR = "|"


def options_text(question: Question) -> str:
    """A question's options as the textarea shows them, one per line."""
    lines = []
    for choice in question.choices.all():
        parts = [choice.key, choice.label_ru] + ([choice.label_en] if choice.label_en else [])
        lines.append(f" {OPTION_SEPARATOR} ".join(parts))
    return "\n".join(lines)


def parse_options(text: str) -> tuple[tuple[OptionInput, ...], list[str]]:
    """Options typed one per line as "key | Russian label | English label", and a message
    for each line that does not have that shape."""
    options, problems = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split(OPTION_SEPARATOR)]
        if len(parts) not in (2, 3) or not parts[0] or not parts[1]:
            problems.append(
                str(_("Line %(number)d: write “key | Russian label | English label”."))
                % {"number": number}
            )
            continue
        options.append(
            OptionInput(key=parts[0], label_ru=parts[1], label_en=(parts[2:] or [""])[0])
        )
    return tuple(options), problems


def code(text: str) -> str:
    return format_html("<code>{}</code>", text)


def values_hint(target: ConditionTarget) -> str:
    """What a condition on ``target`` may name; option keys as code."""
    if target.choices:
        return format_html_join(", ", "{}", ((code(key),) for key in target.choice_keys))
    return target.values_hint()


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of question"), choices=QuestionKind.choices)
    key = forms.CharField(
        label=_("Key"),
        max_length=rules.KEY_MAX_LENGTH,
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False)
    text_ru = forms.CharField(label=_("Question in Russian"), max_length=300)
    text_en = forms.CharField(
        label=_("Question in English"),
        max_length=300,
        required=False,
        help_text=_("Optional: English-speaking respondents see the Russian text without it."),
    )
    low_label_ru = forms.CharField(label=_("Lowest point (Russian)"), max_length=60, required=False)
    low_label_en = forms.CharField(label=_("Lowest point (English)"), max_length=60, required=False)
    high_label_ru = forms.CharField(
        label=_("Highest point (Russian)"), max_length=60, required=False
    )
    high_label_en = forms.CharField(
        label=_("Highest point (English)"), max_length=60, required=False
    )
    options = forms.CharField(
        label=_("Options (for choice questions)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    condition_key = forms.ChoiceField(label=_("Show only after the question"), required=False)
    condition_values = forms.CharField(
        label=_("When its answer is"), max_length=200, required=False
    )
    typo_fix = forms.BooleanField(
        label=_("Only a typo fix: the question means the same"),
        required=False,
        help_text=_(
            "The question has answers. Without this, a changed text makes a new version, and "
            "the answers so far stay with the old wording."
        ),
    )

    def __init__(
        self,
        *args,
        targets: list[ConditionTarget],
        question: Question | None = None,
        answered: bool = False,
        **kwargs,
    ):
        if question is not None:
            kwargs.setdefault("initial", self.initial_for(question))
        super().__init__(*args, **kwargs)
        # Examples and keys are literals, not words of the page's language: shown as code.
        self.fields["key"].help_text = format_html(
            gettext(
                "Small Latin letters, digits and _, starting with a letter, such as "
                "{example}: the column of the export and the import."
            ),
            example=code("branch_visit"),
        )
        self.fields["options"].help_text = format_html(
            gettext(
                "One per line: key | Russian label | English label, such as {example}. "
                "The English label may be left out."
            ),
            example=code("branch_a | Филиал на Ленина | Lenin Street branch"),
        )
        self.fields["condition_key"].choices = [("", _("Always shown"))] + [
            (target.key, target.text if target.builtin else f"{target.key} — {target.text}")
            for target in targets
        ]
        hints = format_html_join(
            "; ", "{}: {}", ((code(target.key), values_hint(target)) for target in targets)
        )
        self.fields["condition_values"].help_text = format_html(
            gettext(
                "Numbers or ranges such as {range}, or option keys separated by commas. "
                "Possible answers: {hints}."
            ),
            range=code("0-6"),
            hints=hints or "—",
        )
        if answered:
            self.fields["key"].disabled = True
            self.fields["key"].help_text = _(
                "The key stays: the question has answers, filed under it."
            )
        else:
            del self.fields["typo_fix"]
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(Column("kind"), Column("key")),
            "required",
            "text_ru",
            "text_en",
            Row(Column("low_label_ru"), Column("high_label_ru")),
            Row(Column("low_label_en"), Column("high_label_en")),
            "options",
            Row(Column("condition_key"), Column("condition_values")),
            *(["typo_fix"] if answered else []),
            Submit("submit", _("Save question") if question else _("Add question")),
        )

    @staticmethod
    def initial_for(question: Question) -> dict:
        return {
            "kind": question.kind,
            "key": question.key,
            "required": question.required,
            "text_ru": question.text_ru,
            "text_en": question.text_en,
            "low_label_ru": question.low_label_ru,
            "low_label_en": question.low_label_en,
            "high_label_ru": question.high_label_ru,
            "high_label_en": question.high_label_en,
            "options": options_text(question),
            "condition_key": question.condition_key,
            "condition_values": rules.values_text(question.condition_values),
        }

    def clean_options(self) -> tuple[OptionInput, ...]:
        options, problems = parse_options(self.cleaned_data["options"])
        if problems:
            raise forms.ValidationError(problems)
        return options

    def question_input(self) -> QuestionInput:
        data = self.cleaned_data
        return QuestionInput(
            kind=data["kind"],
            key=data["key"],
            required=data["required"],
            text_ru=data["text_ru"],
            text_en=data["text_en"],
            low_label_ru=data["low_label_ru"],
            low_label_en=data["low_label_en"],
            high_label_ru=data["high_label_ru"],
            high_label_en=data["high_label_en"],
            options=data["options"],
            condition_key=data["condition_key"],
            condition_values=data["condition_values"],
        )


class TemplateTitleForm(forms.Form):
    """The title of a template to save, or of the survey to make from one."""

    title = forms.CharField(label=_("Title"), max_length=200)

    def __init__(self, *args, submit: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout("title", Submit("submit", submit))
