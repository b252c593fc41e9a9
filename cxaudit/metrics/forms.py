"""Forms check only the shape of input; every §6.2 rule is applied by the services."""

from __future__ import annotations

from datetime import date
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row, Submit
from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from . import inputs
from .models import DurationUnit, MetricPeriod, PeriodKind, period_bounds, period_code, period_label
from .services import MetricPeriodInvalid, PeriodEntry

UNIT_CHOICES = [("", _("unit…")), *DurationUnit.choices]
FIRST_YEAR_OFFSET = 6


def period_choices(today: date | None = None) -> list[tuple[str, list[tuple[str, str]]]]:
    """Months and quarters of recent years, newest year first, grouped by year."""
    today = today or timezone.localdate()
    groups = []
    for year in range(today.year, today.year - FIRST_YEAR_OFFSET, -1):
        options = []
        for quarter in range(4, 0, -1):
            starts_on, _ends = period_bounds(PeriodKind.QUARTER, year, quarter)
            if starts_on <= today:
                options.append((period_code(PeriodKind.QUARTER, starts_on), ""))
            for month in range(3 * quarter, 3 * quarter - 3, -1):
                starts_on, _ends = period_bounds(PeriodKind.MONTH, year, month)
                if starts_on <= today:
                    options.append((period_code(PeriodKind.MONTH, starts_on), ""))
        groups.append((str(year), options))
    return groups


def _labelled(groups):
    from .models import parse_period_code

    labelled = []
    for year, options in groups:
        items = []
        for code, _label in options:
            kind, starts_on, _ends = parse_period_code(code)
            text = period_label(kind, starts_on)
            items.append((code, f"{text}" if kind == PeriodKind.QUARTER else f"· {text}"))
        labelled.append((year, items))
    return labelled


def _number(label_field: str, **kwargs: Any) -> forms.DecimalField:
    model_field = MetricPeriod._meta.get_field(label_field)
    return forms.DecimalField(
        label=capfirst(model_field.verbose_name),
        help_text=model_field.help_text,
        required=False,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
        **kwargs,
    )


class MetricPeriodForm(forms.Form):
    """One period's inputs. Counts are decimals here so that a fractional or negative count
    reaches the METHODOLOGY message instead of a generic one."""

    period = forms.ChoiceField(
        label=_("Period"),
        help_text=_("A calendar month or a quarter; periods of one company never overlap."),
    )
    customers_start = _number("customers_start")
    customers_won = _number("customers_won")
    customers_lost = _number("customers_lost")
    customers_end = _number("customers_end")
    currency = forms.CharField(
        label=_("Currency"),
        max_length=3,
        initial="RUB",
        help_text=MetricPeriod._meta.get_field("currency").help_text,
    )
    revenue = _number("revenue", decimal_places=2)
    support_cost = _number("support_cost", decimal_places=2)
    acquisition_spend = _number("acquisition_spend", decimal_places=2)
    avg_purchase_value = _number("avg_purchase_value", decimal_places=2)
    margin_pct = _number("margin_pct", decimal_places=4)
    purchases_per_year = _number("purchases_per_year", decimal_places=4)
    lifespan_years = _number("lifespan_years", decimal_places=4)
    repeat_customers = _number("repeat_customers")
    buying_customers = _number("buying_customers")
    cases_opened = _number("cases_opened")
    cases_resolved = _number("cases_resolved")
    cases_first_contact = _number("cases_first_contact")
    frt_median_value = forms.DecimalField(
        label=_("Median first response time"),
        required=False,
        help_text=_(
            "From a case's creation to the first reply by a person (auto-replies do not count); "
            "the help desk's SLA or response-time report."
        ),
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    frt_median_unit = forms.ChoiceField(label=_("Unit"), choices=UNIT_CHOICES, required=False)
    frt_mean_value = forms.DecimalField(
        label=_("Mean first response time"),
        required=False,
        help_text=_("The average of the same times, if your report shows it."),
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    frt_mean_unit = forms.ChoiceField(label=_("Unit"), choices=UNIT_CHOICES, required=False)
    frt_business_hours = forms.BooleanField(
        label=capfirst(MetricPeriod._meta.get_field("frt_business_hours").verbose_name),
        help_text=MetricPeriod._meta.get_field("frt_business_hours").help_text,
        required=False,
    )
    handling_time_value = forms.DecimalField(
        label=_("Total handling time"),
        required=False,
        help_text=_(
            "Talk or chat time plus hold plus after-contact work, summed over the period; "
            "divided by contacts handled it gives the average handling time."
        ),
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    handling_time_unit = forms.ChoiceField(label=_("Unit"), choices=UNIT_CHOICES, required=False)
    handled_contacts = _number("handled_contacts")

    def __init__(self, *args: Any, period: MetricPeriod | None = None, **kwargs: Any) -> None:
        self.instance = period
        if period is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(period)
        super().__init__(*args, **kwargs)
        if period is not None:
            self.fields["period"].choices = [(period.code, period.label)]
            self.fields["period"].disabled = True
            self.fields["period"].initial = period.code
            self.fields["period"].help_text = _(
                "To move the figures to another period, delete this one and enter them again."
            )
            if period.derived_field:
                self.fields[period.derived_field].help_text = _(
                    "Derived from the other customer counts: %(value)s. Leave blank to derive "
                    "it again."
                ) % {"value": getattr(period, period.derived_field)}
        else:
            self.fields["period"].choices = [("", "—"), *_labelled(period_choices())]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = self._layout()

    @staticmethod
    def initial_from(period: MetricPeriod) -> dict[str, Any]:
        values = inputs.period_values(period)
        initial = {name: values[name] for name in inputs.NUMBERS}
        for name in inputs.DURATIONS:
            amount, unit = values[name]
            initial[f"{name}_value"], initial[f"{name}_unit"] = amount, unit
        initial["frt_business_hours"] = period.frt_business_hours
        initial["currency"] = period.currency
        return initial

    @staticmethod
    def _layout() -> Layout:
        def pair(name: str) -> Row:
            return Row(
                Column(f"{name}_value", css_class="col-8 col-md-6"),
                Column(f"{name}_unit", css_class="col-4 col-md-3"),
            )

        def row(*names: str) -> Row:
            return Row(*(Column(name, css_class="col-12 col-md-6 col-lg-3") for name in names))

        return Layout(
            Row(Column("period", css_class="col-12 col-md-6")),
            Fieldset(
                _("Customers"),
                row("customers_start", "customers_won", "customers_lost", "customers_end"),
                row("repeat_customers", "buying_customers"),
            ),
            Fieldset(
                _("Money"),
                row("currency", "revenue", "support_cost", "acquisition_spend"),
                row("avg_purchase_value", "margin_pct", "purchases_per_year", "lifespan_years"),
            ),
            Fieldset(
                _("Support"),
                row("cases_opened", "cases_resolved", "cases_first_contact", "handled_contacts"),
                pair("frt_median"),
                pair("frt_mean"),
                "frt_business_hours",
                pair("handling_time"),
            ),
        )

    def clean_currency(self) -> str:
        return (self.cleaned_data.get("currency") or "").strip().upper()

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        values: dict[str, Any] = {name: data.get(name) for name in inputs.NUMBERS}
        for name in inputs.DURATIONS:
            values[name] = (data.get(f"{name}_value"), data.get(f"{name}_unit") or None)
        values["frt_business_hours"] = bool(data.get("frt_business_hours"))
        values["currency"] = data.get("currency") or "RUB"
        return values

    def entry(self, qa_rows: list[dict[str, Any]]) -> PeriodEntry:
        from .models import parse_period_code

        kind, starts_on, ends_on = parse_period_code(self.cleaned_data["period"])
        return PeriodEntry(kind, starts_on, ends_on, {**self.values(), "qa_scorecard": qa_rows})

    def add_service_error(self, error: MetricPeriodInvalid) -> None:
        """Attach each sentence to its field, or above the form when it has none here."""
        for text in error.general:
            self.add_error(None, text)
        for name, texts in error.field_errors.items():
            target = name if name in self.fields else f"{name}_value"
            for text in texts:
                self.add_error(target if target in self.fields else None, text)


class QaRowForm(forms.Form):
    category = forms.CharField(label=_("Category"), max_length=120, required=False)
    weight = forms.DecimalField(
        label=_("Weight"), required=False, widget=forms.NumberInput(attrs={"step": "any"})
    )
    passed = forms.DecimalField(
        label=_("Checks passed"), required=False, widget=forms.NumberInput(attrs={"step": "any"})
    )
    checked = forms.DecimalField(
        label=_("Checks made"), required=False, widget=forms.NumberInput(attrs={"step": "any"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        numbers = [data.get(name) for name in ("weight", "passed", "checked")]
        if any(v is not None for v in numbers) and not all(v is not None for v in numbers):
            raise forms.ValidationError(_("Give the weight, checks passed and checks made."))
        return data


class BaseQaFormSet(forms.BaseFormSet):
    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "category": form.cleaned_data.get("category") or "",
                "weight": form.cleaned_data["weight"],
                "passed": form.cleaned_data["passed"],
                "checked": form.cleaned_data["checked"],
            }
            for form in self.forms
            if form.cleaned_data and form.cleaned_data.get("weight") is not None
        ]


QaFormSet = forms.formset_factory(QaRowForm, formset=BaseQaFormSet, extra=3, max_num=20)


def qa_formset(data=None, *, period: MetricPeriod | None = None) -> BaseQaFormSet:
    initial = period.qa_scorecard if period is not None else None
    formset = QaFormSet(data, initial=initial, prefix="qa")
    formset.helper = FormHelper()
    formset.helper.form_tag = False
    formset.helper.disable_csrf = True
    formset.helper.template = "bootstrap5/table_inline_formset.html"
    return formset


class MetricImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "One period per row; UTF-8 or Windows-1251, separated by commas or semicolons. "
            "Export the metrics to get a file in this format."
        ),
    )
    replace = forms.BooleanField(
        label=_("Replace periods already recorded"),
        required=False,
        help_text=_("A row for a month or quarter that is already recorded overwrites it."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_enctype = "multipart/form-data"
        self.helper.layout = Layout("file", "replace", Submit("preview", _("Check the file")))


class MetricImportConfirmForm(forms.Form):
    text = forms.CharField(widget=forms.HiddenInput)
    replace = forms.BooleanField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout("text", "replace", Submit("import", _("Import these periods")))
