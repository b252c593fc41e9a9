"""Form widgets every app shares."""

from django import forms


class DateInput(forms.DateInput):
    """A browser date picker. It shows its value only in ISO form, whatever the interface
    language: Django would render 02.01.2026 in Russian, and the picker stayed empty."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
