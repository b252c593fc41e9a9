"""Forms of the codebook editor: shape only (STYLE 17); phrase checks live in the service."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Theme


class ThemeForm(forms.ModelForm):
    class Meta:
        model = Theme
        fields = ["key", "name_ru", "name_en", "phrases"]
        widgets = {"phrases": forms.Textarea(attrs={"rows": 6})}
        help_texts = {"phrases": _("One per line, in Russian or English.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "key", "name_ru", "name_en", "phrases", Submit("save", _("Save theme"))
        )

    def validate_unique(self):
        """Unique keys are the service's rule (with a clear message)."""
