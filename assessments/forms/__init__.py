from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _


class InstrumentUploadForm(forms.Form):
    file = forms.FileField(
        label=_("YAML file"),
        required=False,
        help_text=_("An instrument in the library format; download any instrument to see one."),
    )
    text = forms.CharField(
        label=_("…or paste the YAML here"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "class": "font-monospace", "spellcheck": "false"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_enctype = "multipart/form-data"
        self.helper.layout = Layout("file", "text", Submit("upload", _("Check and save")))

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("file") and not (cleaned.get("text") or "").strip():
            raise forms.ValidationError(_("Choose a file or paste the YAML text."))
        return cleaned
