from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout, Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cxaudit.widgets import DateInput


class AuditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    period_start = forms.DateField(label=_("Period from"), widget=DateInput())
    period_end = forms.DateField(label=_("Period to"), widget=DateInput())
    template = forms.ChoiceField(label=_("Template"), required=False)
    instruments = forms.MultipleChoiceField(
        label=_("…or choose instruments"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, templates, instruments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = [("", _("— no template —")), *templates]
        self.fields["instruments"].choices = instruments
        today = timezone.localdate()
        self.fields["period_start"].initial = today.replace(day=1)
        self.fields["period_end"].initial = today
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "title",
            Div(
                Div("period_start", css_class="col-sm-6"),
                Div("period_end", css_class="col-sm-6"),
                css_class="row",
            ),
            "template",
            Field("instruments"),
            Submit("create", _("Start the audit")),
        )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("template") and not cleaned.get("instruments"):
            raise forms.ValidationError(_("Choose a template or at least one instrument."))
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period ends before it starts."))
        return cleaned

    @property
    def instrument_keys(self) -> list[str]:
        template = self.cleaned_data.get("template")
        return [template] if template else list(self.cleaned_data["instruments"])


class ParticipantsForm(forms.Form):
    members = forms.MultipleChoiceField(
        label=_("Company members"), required=False, widget=forms.CheckboxSelectMultiple
    )
    emails = forms.CharField(
        label=_("…or invite by e-mail"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One address per line. They receive a company invitation first."),
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].choices = members
        self.helper = FormHelper()
        self.helper.layout = Layout("members", "emails", Submit("add", _("Invite to self-assess")))

    def clean_emails(self):
        validator = forms.EmailField()
        lines = [line.strip() for line in self.cleaned_data["emails"].splitlines() if line.strip()]
        for line in lines:
            try:
                validator.clean(line)
            except forms.ValidationError as error:
                raise forms.ValidationError(
                    _("“%(line)s” is not an e-mail address.") % {"line": line}
                ) from error
        return lines

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("members") and not cleaned.get("emails"):
            raise forms.ValidationError(_("Choose members or enter e-mail addresses."))
        return cleaned


class NextRoundForm(forms.Form):
    period_start = forms.DateField(label=_("Period from"), widget=DateInput())
    period_end = forms.DateField(label=_("Period to"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Div(
                Div("period_start", css_class="col-sm-6"),
                Div("period_end", css_class="col-sm-6"),
                css_class="row",
            ),
            Submit("start", _("Start the next round")),
        )
