"""Forms check the shape of input only; rules live in services (STYLE 17)."""

from __future__ import annotations

import copy
import functools
import json
import secrets

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout, Submit
from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cxaudit import questions as rules
from cxaudit import stats
from cxaudit.widgets import DateInput

from . import library
from .answer_fields import AnswerField, AnswerRadios, TypedAnswerField, own_fields
from .models import Audience, Block, Survey
from .selectors.respond import OwnQuestion

MAX_IMPORT_BYTES = 5 * 1024 * 1024


def _helper(*fields, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.layout = Layout(*fields, Submit("submit", submit))
    return helper


class SurveyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    audience = forms.ChoiceField(
        label=_("Who answers"), choices=Audience.choices, widget=forms.RadioSelect
    )
    blocks = forms.MultipleChoiceField(
        label=_("Questions"),
        choices=Block.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Customer surveys may combine several sets on one page; employee surveys use the "
            "employee set."
        ),
    )
    intro = forms.CharField(
        label=_("Introduction"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to respondents above the questions. Leave empty for the standard text."),
    )
    teams = forms.CharField(
        label=_("Teams or departments (employee surveys)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One per line. Respondents may pick their team; results per team appear only for "
            "teams with enough answers."
        ),
    )
    anonymous = forms.BooleanField(
        label=_("Anonymous results (always on for employee surveys)"),
        required=False,
        initial=True,
        help_text=Survey._meta.get_field("anonymous").help_text,
    )
    one_per_screen = forms.BooleanField(
        label=_("One question per screen on phones"),
        required=False,
        help_text=Survey._meta.get_field("one_per_screen").help_text,
    )

    def __init__(self, *args, survey: Survey | None = None, **kwargs):
        if survey is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": survey.title,
                    "audience": survey.audience,
                    "blocks": survey.blocks,
                    "intro": survey.intro,
                    "teams": "\n".join(survey.teams),
                    "anonymous": survey.anonymous,
                    "one_per_screen": survey.one_per_screen,
                },
            )
        super().__init__(*args, **kwargs)
        if survey is not None:
            self.fields["audience"].disabled = True
        self.fields["audience"].initial = Audience.CUSTOMER
        self.fields["blocks"].initial = [library.NPS]
        self.helper = _helper(
            "title",
            "audience",
            "blocks",
            "intro",
            "teams",
            "anonymous",
            "one_per_screen",
            submit=_("Save survey") if survey else _("Create survey"),
        )

    def clean_teams(self) -> list[str]:
        return [line for line in self.cleaned_data["teams"].splitlines() if line.strip()]


class SurveySettingsForm(forms.Form):
    anonymity_threshold = forms.IntegerField(label=_("Anonymity threshold (k)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Formatted here, in the reader's language: formatting a lazy text in the class body
        # froze it in the language active when the module was imported.
        self.fields["anonymity_threshold"].help_text = _(
            "Figures, breakdowns and comments of a group are shown only when at least this "
            "many people answered: from %(minimum)d to %(maximum)d, 5 is the usual choice."
        ) % {"minimum": stats.MIN_ANONYMITY_THRESHOLD, "maximum": stats.MAX_ANONYMITY_THRESHOLD}
        self.helper = _helper("anonymity_threshold", submit=_("Save"))


class WaveForm(forms.Form):
    opens_on = forms.DateField(label=_("Opens on"), widget=DateInput())
    closes_on = forms.DateField(label=_("Closes on (inclusive)"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("opens_on", "closes_on", submit=_("Add wave"))


class WaveReopenForm(forms.Form):
    closes_on = forms.DateField(label=_("Closes on (inclusive)"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("closes_on", submit=_("Reopen the wave"))


class ChannelForm(forms.Form):
    name = forms.CharField(
        label=_("Channel"),
        max_length=100,
        help_text=_("For example “Shop on Lenin Street” or “Call centre”."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("name", submit=_("Add channel"))


class InvitationsForm(forms.Form):
    emails = forms.CharField(
        label=_("E-mail addresses"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One per line, or separated by commas or semicolons."),
    )
    language = forms.ChoiceField(label=_("Language of the e-mail"), choices=settings.LANGUAGES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("emails", "language", submit=_("Send invitations"))

    def clean_emails(self) -> list[str]:
        raw = self.cleaned_data["emails"].replace(";", "\n").replace(",", "\n").split()
        validator = forms.EmailField()
        errors, emails = [], []
        for item in raw:
            try:
                emails.append(validator.clean(item))
            except forms.ValidationError:
                errors.append(item)
        if errors:
            raise forms.ValidationError(
                _("Not e-mail addresses: %(items)s") % {"items": ", ".join(errors[:10])}
            )
        return emails


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8 or Windows-1251, separated by commas or semicolons, with a header row."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("file", submit=_("Check the file"))
        self.helper.form_tag = False

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload.read()


# --------------------------------------------------------------------------- respondents


class ResponseForm(forms.Form):
    """The respondent's form, built from the survey's blocks. The submission token makes a
    double click or a retry store one response."""

    submission_token = forms.CharField(widget=forms.HiddenInput, max_length=64, min_length=16)

    def __init__(
        self, *args, survey: Survey, own_questions: tuple[OwnQuestion, ...] = (), **kwargs
    ):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["submission_token"] = secrets.token_urlsafe(24)
        self.one_per_screen = survey.one_per_screen
        self.questions, fields = _survey_fields(
            tuple(survey.blocks), tuple(survey.teams), get_language()
        )
        self.own_questions = tuple(own_questions)
        asked = own_fields(self.own_questions, get_language()) if own_questions else {}
        # Each form gets its own copies, as Django copies a form class's declared fields.
        self.fields.update(copy.deepcopy(fields))
        self.fields.update(copy.deepcopy(asked))

    def own_answers(self) -> dict[str, object]:
        """The own questions' answers as sent, by key, for the service to check."""
        return {q.key: self.cleaned_data.get(q.field_name) for q in self.own_questions}

    @staticmethod
    def field_for(question: library.Question, teams: tuple[str, ...]) -> forms.Field:
        label = library.pick(question.text)
        hint = library.pick(question.hint) if question.hint else ""
        required_error = {"required": _("Please choose an answer.")}
        if question.kind == "scale":
            choices = [(v, question.label(v)) for v in question.scale]
            widget = AnswerRadios()
            widget.low_label = (
                question.label(question.low) if question.low in question.labels else ""
            )
            widget.high_label = (
                question.label(question.high) if question.high in question.labels else ""
            )
            widget.all_labelled = len(question.labels) == len(question.scale)
            return TypedAnswerField(
                label=label,
                help_text=hint,
                choices=choices,
                coerce=int,
                required=question.required,
                widget=widget,
                error_messages=required_error,
            )
        if question.kind == "choice":
            if question.key == "team":
                choices = [(team, team) for team in teams]
            else:
                choices = [(key, library.pick(text)) for key, text in question.choices]
            return AnswerField(
                label=label,
                help_text=hint,
                choices=choices,
                required=question.required,
                widget=AnswerRadios,
                error_messages=required_error,
            )
        # No max_length: it would put a maxlength attribute on the textarea, and browsers cut
        # pasted text there without a word. The validator refuses it with a message, and the
        # re-rendered form keeps everything the respondent typed.
        return forms.CharField(
            label=label,
            help_text=hint,
            required=False,
            validators=[
                MaxLengthValidator(
                    library.COMMENT_MAX_LENGTH,
                    message=_(
                        "Please shorten your comment to at most %(limit_value)d characters "
                        "(it has %(show_value)d)."
                    ),
                )
            ],
            widget=forms.Textarea(attrs={"rows": 3}),
        )

    def build_helper(self, *, submit: str) -> FormHelper:
        """Each question in a ``survey-step`` block (one per screen on phones, when the
        survey asks for it); an own question's block says which answer it waits for."""
        helper = FormHelper()
        helper.form_id = "survey-form"
        helper.attrs = {"novalidate": ""}
        if self.one_per_screen:
            helper.attrs["data-one-per-screen"] = ""
        steps = [
            Div(
                Field(q.key, template="surveys/widgets/_scale_field.html")
                if q.kind == "scale"
                else q.key,
                css_class="survey-step",
                data_key=q.key,
            )
            for q in self.questions
        ]
        for question in self.own_questions:
            condition = {}
            if question.condition_key:
                condition = {
                    "data_condition_on": question.condition_key,
                    "data_condition_values": json.dumps(
                        [str(value) for value in question.condition_values]
                    ),
                }
            name = question.field_name
            steps.append(
                Div(
                    Field(name, template="surveys/widgets/_scale_field.html")
                    if question.kind in rules.RATINGS
                    else name,
                    css_class="survey-step own-question",
                    data_key=question.key,
                    **condition,
                )
            )
        helper.layout = Layout(
            "submission_token", *steps, Submit("send", submit, css_class="btn-lg w-100 mt-2")
        )
        return helper


@functools.lru_cache(maxsize=256)
def _survey_fields(blocks: tuple[str, ...], teams: tuple[str, ...], language: str | None):
    """A survey's questions and their form fields in ``language`` (the active one), built
    once per process: building them cost more than the rest of a submit."""
    questions = library.questions_for(blocks, teams=list(teams))
    return questions, {q.key: ResponseForm.field_for(q, teams) for q in questions}
