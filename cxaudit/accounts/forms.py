from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .auth import email_normalize
from .models import Organisation, Role, User, colour_validator


def _helper(*fields, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.layout = Layout(*fields, Submit("submit", submit))
    return helper


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    error_messages = {
        "invalid_login": _("The e-mail or password is wrong. The password is case-sensitive."),
        "inactive": _("This account is disabled."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("username", "password", submit=_("Sign in"))

    def clean_username(self):
        return email_normalize(self.cleaned_data["username"])


class CompanyForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "industry", "parent"]

    def __init__(self, *args, consultancies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = consultancies
        self.fields["parent"].required = True
        self.fields["parent"].empty_label = None
        if consultancies.count() == 1:
            self.fields["parent"].widget = forms.HiddenInput()
            self.fields["parent"].initial = consultancies.first()
        self.helper = _helper("name", "industry", "parent", submit=_("Create company"))


class CompanyBenchmarkForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["industry", "size_band", "benchmark_opt_out"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("industry", "size_band", "benchmark_opt_out", submit=_("Save"))


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    role = forms.ChoiceField(label=_("Role"))
    language = forms.ChoiceField(label=_("Language of the e-mail"), choices=settings.LANGUAGES)

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Role.choices)
        self.fields["role"].choices = [(role, labels[role]) for role in roles]
        self.fields["role"].initial = Role.STAFF
        self.helper = _helper("email", "role", "language", submit=_("Send invitation"))


class AccountFromInvitationForm(forms.Form):
    full_name = forms.CharField(label=_("Your name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email
        self.helper = _helper("full_name", "password1", "password2", submit=_("Create account"))

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            try:
                password_validation.validate_password(first, User(email=self.email))
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("full_name", "language", submit=_("Save"))


class ColourInput(forms.TextInput):
    input_type = "color"


class BrandingForm(forms.Form):
    """The shape of a consultancy's branding; the logo itself is checked by the service."""

    display_name = forms.CharField(
        label=_("Name shown"),
        max_length=120,
        required=False,
        help_text=_("Leave empty to show the consultancy's name."),
    )
    contact_line = forms.CharField(
        label=_("Contact line"),
        max_length=200,
        required=False,
        help_text=_("One short line: phone, web site, e-mail."),
    )
    primary_colour = forms.CharField(
        label=_("Main colour"),
        max_length=7,
        validators=[colour_validator],
        widget=ColourInput(attrs={"data-brand-var": "primary"}),
    )
    accent_colour = forms.CharField(
        label=_("Accent colour"),
        max_length=7,
        validators=[colour_validator],
        widget=ColourInput(attrs={"data-brand-var": "accent"}),
    )
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("PNG or JPEG, up to 2 MB and 4000 pixels on each side."),
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)

    def __init__(self, *args, has_logo: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        fields = ["display_name", "contact_line", "primary_colour", "accent_colour", "logo"]
        if has_logo:
            fields.append("remove_logo")
        else:
            del self.fields["remove_logo"]
        self.helper = _helper(*fields, submit=_("Save branding"))
        self.helper.form_enctype = "multipart/form-data"
