"""Forms of the codebook editor: shape only (STYLE 17); phrase checks live in the service."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Theme


class ThemeForm(forms.ModelForm):
    key = forms.SlugField(label=_("Key"), max_length=40)

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


class ThemeMergeForm(forms.Form):
    into = forms.ModelChoiceField(label=_("Join it to"), queryset=Theme.objects.none())

    def __init__(self, *args, themes, submit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = themes
        self.fields["into"].label_from_instance = lambda theme: theme.name()
        self.helper = FormHelper()
        self.helper.layout = Layout("into", Submit("save", submit))


class ThemeSplitForm(forms.Form):
    """A new theme taking some of the theme's phrases."""

    phrases = forms.MultipleChoiceField(
        label=_("Phrases that move to the new theme"), widget=forms.CheckboxSelectMultiple
    )
    key = forms.SlugField(label=_("Key of the new theme"), max_length=40)
    name_ru = forms.CharField(label=_("Name (Russian)"), max_length=100)
    name_en = forms.CharField(label=_("Name (English)"), max_length=100, required=False)

    def __init__(self, *args, theme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phrases"].choices = [(p, p) for p in theme.phrase_list()]
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "phrases", "key", "name_ru", "name_en", Submit("save", _("Split the theme"))
        )


class SuggestionAcceptForm(forms.Form):
    """A suggested theme as the consultant names and words it."""

    key = forms.SlugField(label=_("Key"), max_length=40)
    name_ru = forms.CharField(label=_("Name (Russian)"), max_length=100)
    name_en = forms.CharField(label=_("Name (English)"), max_length=100, required=False)
    phrases = forms.CharField(
        label=_("Words and phrases"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "One per line. Keep some of them and accept the rest as another theme to split it."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "key", "name_ru", "name_en", "phrases", Submit("save", _("Add to the codebook"))
        )
