"""Forms of the recommendations page, the action plan and the journey map editor.

They check the shape of the input only; the rules (who may change what, which status
needs an owner) live in ``services.plan``.
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Layout, Submit
from django import forms
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cxaudit.widgets import DateInput

from ..models import ActionStatus

SEVERITY_CHOICES = [
    (3, _("3 — critical")),
    (2, _("2 — important")),
    (1, _("1 — advisory")),
]
EMOTION_CHOICES = [
    ("", _("— not rated —")),
    (1, _("1 — very negative")),
    (2, _("2 — negative")),
    (3, _("3 — neutral")),
    (4, _("4 — positive")),
    (5, _("5 — delighted")),
]


def _cancel(url: str) -> HTML:
    """A "Cancel" link back to where the form was opened from (none when there is nowhere)."""
    if not url:
        return HTML("")
    label = _("Cancel")
    return HTML(format_html('<a class="btn btn-link" href="{}">{}</a>', url, label))


def _htmx(helper: FormHelper, *, url: str, target: str | None) -> None:
    helper.form_action = url
    if target:
        helper.attrs = {"hx-post": url, "hx-target": target, "hx-swap": "outerHTML"}


class RecommendationTextForm(forms.Form):
    text = forms.CharField(
        label=_("Recommendation"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, url: str, target: str | None = None, cancel_url: str = "", **kw):
        super().__init__(*args, **kw)
        self.helper = FormHelper()
        _htmx(self.helper, url=url, target=target)
        cancel = _cancel(cancel_url)
        self.helper.layout = Layout("text", Div(Submit("save", _("Save")), cancel))


class RecommendationCreateForm(forms.Form):
    text = forms.CharField(
        label=_("Your recommendation"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    severity = forms.TypedChoiceField(
        label=_("Severity"), choices=SEVERITY_CHOICES, coerce=int, initial=2
    )

    def __init__(self, *args, url: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = url
        self.helper.layout = Layout("text", "severity", Submit("add", _("Add the recommendation")))


class BulkAcceptForm(forms.Form):
    """The ticked recommendations; the checkboxes are drawn in the table rows."""

    ids = forms.TypedMultipleChoiceField(coerce=int, required=True)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ids"].choices = [(pk, str(pk)) for pk in choices]
        self.fields["ids"].error_messages["required"] = _(
            "Choose at least one recommendation to accept."
        )


class ActionItemForm(forms.Form):
    title = forms.CharField(
        label=_("Action"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DateInput())
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    drop_reason = forms.CharField(
        label=_("Why dropped"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when the action is dropped."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    PLANNING_FIELDS = ("title", "owner", "due_date")

    def __init__(self, *args, members, limited: bool, url: str, target=None, cancel_url="", **kw):
        super().__init__(*args, **kw)
        self.members = {str(user.pk): user for user in members}
        self.limited = limited
        if limited:
            for name in self.PLANNING_FIELDS:
                del self.fields[name]
        else:
            self.fields["owner"].choices = [
                ("", _("— nobody yet —")),
                *((pk, user.full_name or user.email) for pk, user in self.members.items()),
            ]
        self.helper = FormHelper()
        _htmx(self.helper, url=url, target=target)
        planning = (
            []
            if limited
            else [
                Field("title"),
                Div(
                    Div("owner", css_class="col-md-6"),
                    Div("due_date", css_class="col-md-6"),
                    css_class="row",
                ),
            ]
        )
        cancel = _cancel(cancel_url)
        self.helper.layout = Layout(
            *planning,
            "status",
            "drop_reason",
            "notes",
            Div(Submit("save", _("Save")), cancel),
        )

    def clean_owner(self):
        value = self.cleaned_data.get("owner")
        return self.members.get(value) if value else None

    def changes(self) -> dict:
        """Keyword arguments for services.plan.action_update."""
        return {name: self.cleaned_data[name] for name in self.fields}


class TouchpointForm(forms.Form):
    stage_key = forms.ChoiceField(label=_("Stage"))
    name = forms.CharField(label=_("Touchpoint"), max_length=200)
    channel = forms.CharField(label=_("Channel"), max_length=120, required=False)
    owner_name = forms.CharField(label=_("Owner"), max_length=120, required=False)
    emotion = forms.TypedChoiceField(
        label=_("Customer emotion (1–5)"),
        choices=EMOTION_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )
    pain_point = forms.CharField(
        label=_("Pain point"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    improvement = forms.CharField(
        label=_("Improvement idea"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self, *args, stages, url: str, target=None, fixed_stage=False, cancel_url="", **kw
    ):
        super().__init__(*args, **kw)
        language = get_language() or "ru"
        self.fields["stage_key"].choices = [
            (stage.key, stage.title.get(language)) for stage in stages
        ]
        if fixed_stage:
            self.fields["stage_key"].widget = forms.HiddenInput()
        self.helper = FormHelper()
        _htmx(self.helper, url=url, target=target)
        cancel = _cancel(cancel_url)
        self.helper.layout = Layout(
            "stage_key",
            Div(
                Div("name", css_class="col-md-6"),
                Div("channel", css_class="col-md-3"),
                Div("owner_name", css_class="col-md-3"),
                css_class="row",
            ),
            "emotion",
            Div(
                Div("pain_point", css_class="col-md-6"),
                Div("improvement", css_class="col-md-6"),
                css_class="row",
            ),
            Div(
                Submit(
                    "save", _("Add the touchpoint") if fixed_stage else _("Save the touchpoint")
                ),
                cancel,
            ),
        )
