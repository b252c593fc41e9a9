from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout, Submit
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import SECTION_TITLES, ReportFormat
from .sections import AUDIT_SECTIONS


class ReportRequestForm(forms.Form):
    """The language of a new report and, for an audit, its format: the PDF button or the
    "Word (.docx)" button next to it sends ``format``."""

    language = forms.ChoiceField(
        label=_("Language of the report"),
        choices=settings.LANGUAGES,
        help_text=_("Independent of the language of this page."),
    )
    format = forms.ChoiceField(choices=ReportFormat, required=False)

    def __init__(self, *args, action: str = "", submit_label=None, word: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.word = word
        self.helper = FormHelper()
        self.helper.form_action = action
        buttons = [Submit("generate", submit_label or _("Generate report"))]
        if word:
            buttons.append(
                StrictButton(
                    _("Word (.docx)"),
                    type="submit",
                    name="format",
                    value=ReportFormat.DOCX,
                    css_class="btn btn-outline-primary text-nowrap",
                )
            )
        self.helper.layout = Layout("language", Div(*buttons, css_class="d-flex flex-wrap gap-2"))

    def clean_format(self) -> str:
        chosen = self.cleaned_data.get("format") or ReportFormat.PDF
        if chosen == ReportFormat.DOCX and not self.word:
            raise ValidationError(
                _("Word export is available for audit reports only; choose PDF."), code="format"
            )
        return chosen

    def clean(self):
        cleaned = super().clean()
        if "format" in self.errors:  # not a field on the page: say it above the form
            self.add_error(None, self.errors.pop("format"))
        return cleaned


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
