from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SUBSCRIBABLE, Scope


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("Where the token is used, such as “Website NPS widget” or “Power BI”."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("What the token may do"),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one scope.")},
    )

    # The form's one-time key: a page reloaded after a token was created sends it again
    # and creates nothing (the secret, shown once, is never stored to be shown again).
    once = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout("name", "scopes", "once", Submit("submit", _("Create token")))


class WebhookForm(forms.Form):
    url = forms.CharField(
        label=_("Address (HTTPS)"),
        max_length=500,
        help_text=_(
            "Where we send each event as a signed POST, such as https://example.com/hooks."
        ),
        widget=forms.URLInput,
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=SUBSCRIBABLE,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one event.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout("url", "events", Submit("submit", _("Add webhook")))
