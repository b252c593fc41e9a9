"""The editor of an audit's report texts: one textarea per text in the page's language, and
one per other language of the site, folded away until opened.

The form checks the shape of the input only and keeps what was typed exactly (no stripping);
how long a text may be and which texts an audit has are ``services.texts``' rules.
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Layout, Submit
from django import forms
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from cxaudit import richtext

from ..models import AuditText, TextPart
from ..selectors.texts import TextSlot, in_language, language_names, other_languages

_ROWS = {TextPart.INTRODUCTION: 8, TextPart.SUMMARY: 8}


def _edited(row: AuditText | None) -> str:
    if row is None:
        return ""
    when = formats.date_format(timezone.localtime(row.updated_at), "DATETIME_FORMAT")
    if row.updated_by is None:
        return _("Last edited %(when)s") % {"when": when}
    return _("Last edited by %(who)s, %(when)s") % {
        "who": row.updated_by.get_full_name() or row.updated_by.email,
        "when": when,
    }


class AuditTextsForm(forms.Form):
    def __init__(
        self,
        *args,
        slots: list[TextSlot],
        rows: list[AuditText],
        language: str,
        url: str,
        **kwargs,
    ):
        by_id = {(row.part, row.key, row.language): row for row in rows}
        kwargs.setdefault(
            "initial",
            {f"{part}:{key}:{lang}": row.body for (part, key, lang), row in by_id.items()},
        )
        super().__init__(*args, **kwargs)
        self.slots = slots
        self.language = language
        self.languages = [language, *other_languages(language)]
        self.helper = FormHelper()
        self.helper.form_action = url
        self.helper.attrs = {"novalidate": ""}
        layout: list = []
        group = None
        for slot in slots:
            if slot.group != group:
                group = slot.group
                if group:
                    layout.append(HTML(format_html('<h2 class="h5 mt-4">{}</h2>', group)))
            rows_count = _ROWS.get(slot.part, 4)
            for code in self.languages:
                name = slot.field_name(code)
                self.fields[name] = forms.CharField(
                    label=slot.title
                    if code == language
                    else _("%(text)s (%(in_language)s)")
                    % {"text": slot.title, "in_language": in_language(code)},
                    required=False,
                    strip=False,
                    widget=forms.Textarea(attrs={"rows": rows_count, "lang": code}),
                    help_text=_edited(by_id.get((slot.part, slot.key, code))),
                )
            main, *others = [slot.field_name(code) for code in self.languages]
            folded = []
            for code, name in zip(self.languages[1:], others, strict=True):
                opened = " open" if self._has_text(name) else ""
                summary = _("Version %(in_language)s (optional)") % {
                    "in_language": in_language(code)
                }
                folded += [
                    HTML(
                        format_html(
                            '<details class="mb-2"{}><summary class="small">{}</summary>',
                            opened,
                            summary,
                        )
                    ),
                    name,
                    HTML("</details>"),
                ]
            layout.append(Div(main, *folded, css_class="mb-3 text-slot"))
        layout.append(
            Div(
                Submit("save", _("Save")),
                Submit("preview", _("Preview"), css_class="btn-outline-secondary"),
                css_class="d-flex gap-2",
            )
        )
        self.helper.layout = Layout(*layout)

    def _has_text(self, name: str) -> bool:
        # Read from the data, not the cleaned data: the form is not cleaned while it is built.
        value = self.data.get(name) if self.is_bound else self.initial.get(name)
        return bool((value or "").strip())

    def bodies(self) -> dict[tuple[str, str, str], str]:
        """The texts sent, as typed, by (part, key, language); a field the request did not
        send is left out, so it changes nothing."""
        return {
            (slot.part, slot.key, code): self.cleaned_data[slot.field_name(code)]
            for slot in self.slots
            for code in self.languages
            if slot.field_name(code) in self.data
        }

    def previews(self) -> list[dict]:
        """What each text sent will look like: its title, language and blocks."""
        names = language_names()
        out = []
        for slot in self.slots:
            for code in self.languages:
                blocks = richtext.parse(self.cleaned_data.get(slot.field_name(code)) or "")
                if blocks:
                    title = slot.title if not slot.group else f"{slot.group} · {slot.title}"
                    out.append({"title": title, "language": names[code], "blocks": blocks})
        return out

    def add_service_errors(self, error) -> None:
        """A ``ValidationError`` of ``services.texts.audit_texts_save``, keyed by field name,
        on the fields it is about (on the form when a key is no field of it)."""
        for name, messages in error.message_dict.items():
            self.add_error(name if name in self.fields else None, messages)
