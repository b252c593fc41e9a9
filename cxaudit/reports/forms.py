from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import SECTION_TITLES
from .sections import AUDIT_SECTIONS


class ReportRequestForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language of the report"),
        choices=settings.LANGUAGES,
        help_text=_("Independent of the language of this page."),
    )

    def __init__(self, *args, action: str = "", submit_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = action
        self.helper.layout = Layout(
            "language", Submit("generate", submit_label or _("Generate report"))
        )


class ReportSectionsForm(forms.Form):
    sections = forms.MultipleChoiceField(
        label=_("Sections of the report"),
        choices=[(key, SECTION_TITLES[key]) for key in AUDIT_SECTIONS],
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Saved for this audit and used by its next reports. A section with nothing "
            "to show is left out anyway."
        ),
        error_messages={"required": _("Choose at least one section.")},
    )

    def __init__(self, *args, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = action
        self.helper.layout = Layout("sections", Submit("save-sections", _("Save sections")))
