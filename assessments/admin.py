from django import forms
from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from cxaudit import instrument_schema as schema

from .models import Instrument, VersionOrigin
from .services.library import instrument_check, instrument_upload


class InstrumentAdminForm(forms.ModelForm):
    """Editing an instrument means saving new YAML: it is validated and becomes a version."""

    yaml_text = forms.CharField(
        label=_("YAML of a new version"),
        widget=forms.Textarea(attrs={"rows": 30, "cols": 120, "style": "font-family: monospace"}),
        help_text=_("Saved as the next version when it differs from the current one."),
    )

    class Meta:
        model = Instrument
        fields = ["owner"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.latest:
            self.fields["yaml_text"].initial = self.instance.latest.yaml_text
        self.fields["owner"].required = True
        self.fields["owner"].queryset = self.fields["owner"].queryset.filter(kind="consultancy")

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and self.instance.is_builtin:
            raise forms.ValidationError(
                _("Built-in instruments change through the files in cxaudit/library/.")
            )
        if not cleaned.get("owner"):
            return cleaned
        try:
            parsed = instrument_check(
                consultancy=cleaned["owner"],
                text=cleaned.get("yaml_text", ""),
                filename="admin.yaml",
            )
        except schema.LibraryError as error:
            raise forms.ValidationError([str(problem) for problem in error.problems]) from error
        if self.instance.pk and parsed.key != self.instance.key:
            raise forms.ValidationError(_("The key of an existing instrument cannot change."))
        return cleaned


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    form = InstrumentAdminForm
    list_display = ["key", "kind", "owner", "latest"]
    list_filter = ["kind", ("owner", admin.EmptyFieldListFilter)]
    search_fields = ["key", "latest__title_ru", "latest__title_en"]
    readonly_fields = ["version_list"]

    @admin.display(description=_("Versions"))
    def version_list(self, obj):
        rows = obj.versions.values_list("number", "origin", "created_at") if obj.pk else []
        return format_html_join(
            "", "<div>v{} · {} · {}</div>", ((n, o, c.date()) for n, o, c in rows)
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.is_builtin)

    def save_model(self, request, obj, form, change):
        version, created = instrument_upload(
            consultancy=form.cleaned_data["owner"],
            text=form.cleaned_data["yaml_text"],
            filename="admin.yaml",
            by=request.user,
            origin=VersionOrigin.ADMIN,
        )
        # The service created or updated the row; let the admin carry on with it.
        obj.__dict__.update(version.instrument.__dict__)
        obj._state = version.instrument._state
        if not created:
            self.message_user(request, _("Nothing changed: this is the current version."))
