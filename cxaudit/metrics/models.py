"""A company's service KPIs per calendar month or quarter (METHODOLOGY §6).

Only raw inputs are stored: counts, money as entered (with its currency), durations in whole
seconds with the unit they were entered in, and the QA scorecard rows. Every metric is
computed on reading by the pure module ``cxaudit.metrics.formulas``.

Periods never overlap. The service checks it, and the database enforces it on every backend:
each period owns one ``MetricPeriodMonth`` row per calendar month it covers, unique per
company, so a month and the quarter containing it cannot both be stored.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cxaudit.accounts.models import Organisation, OrganisationKind

CODE_RE = re.compile(r"^\s*(\d{4})\s*-\s*(?:([Qq])([1-4])|(0?[1-9]|1[0-2]))\s*$")


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")


MONTHS_IN = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3}


class DurationUnit(models.TextChoices):
    SECONDS = "seconds", _("seconds")
    MINUTES = "minutes", _("minutes")
    HOURS = "hours", _("hours")
    DAYS = "days", _("days")


BALANCE_CHOICES = [
    ("customers_start", _("customers at the start")),
    ("customers_end", _("customers at the end")),
    ("customers_won", _("customers won")),
    ("customers_lost", _("customers lost")),
]


def period_bounds(kind: str, year: int, number: int) -> tuple[date, date]:
    """First and last day of month ``number`` or quarter ``number`` of ``year``."""
    first_month = number if kind == PeriodKind.MONTH else 3 * (number - 1) + 1
    last_month = first_month + MONTHS_IN[PeriodKind(kind)] - 1
    last_day = calendar.monthrange(year, last_month)[1]
    return date(year, first_month, 1), date(year, last_month, last_day)


def period_code(kind: str, starts_on: date) -> str:
    """``2025-Q1`` or ``2025-03``: how periods are named in forms, CSV files and exports."""
    if kind == PeriodKind.QUARTER:
        return f"{starts_on.year}-Q{(starts_on.month - 1) // 3 + 1}"
    return f"{starts_on.year}-{starts_on.month:02d}"


def parse_period_code(code: str) -> tuple[str, date, date] | None:
    """(kind, starts_on, ends_on) for ``2025-Q1``, ``2025-3`` or ``2025-03``; None otherwise."""
    match = CODE_RE.match(code or "")
    if not match:
        return None
    year = int(match.group(1))
    if year < 1900:
        return None
    if match.group(2):
        kind, number = PeriodKind.QUARTER, int(match.group(3))
    else:
        kind, number = PeriodKind.MONTH, int(match.group(4))
    return (kind, *period_bounds(kind, year, number))


def period_label(kind: str, starts_on: date) -> str:
    if kind == PeriodKind.QUARTER:
        return gettext("Q%(quarter)d %(year)d") % {
            "quarter": (starts_on.month - 1) // 3 + 1,
            "year": starts_on.year,
        }
    return formats.date_format(starts_on, "F Y")


def months_covered(starts_on: date, ends_on: date) -> list[date]:
    months, current = [], starts_on.replace(day=1)
    while current <= ends_on:
        months.append(current)
        current = date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return months


def _count(label, help_text):
    return models.PositiveBigIntegerField(label, null=True, blank=True, help_text=help_text)


def _money(label, help_text):
    return models.DecimalField(
        label, max_digits=18, decimal_places=2, null=True, blank=True, help_text=help_text
    )


def _seconds(label):
    return models.PositiveBigIntegerField(label, null=True, blank=True)


def _unit(label):
    return models.CharField(label, max_length=8, blank=True, choices=DurationUnit)


def _none_or(*names: str) -> Q:
    condition = Q()
    for name in names:
        condition |= Q(**{f"{name}__isnull": True})
    return condition


class MetricPeriodQuerySet(models.QuerySet):
    def for_user(self, user):
        """Periods of the companies the user may see (``Organisation.objects.for_user``)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(company__in=Organisation.objects.for_user(user).values("pk"))


class MetricPeriod(models.Model):
    company = models.ForeignKey(
        Organisation,
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="metric_periods",
        limit_choices_to={"kind": OrganisationKind.COMPANY},
    )
    kind = models.CharField(_("period"), max_length=8, choices=PeriodKind)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))

    # Customers (S, N, L, E).
    customers_start = _count(
        _("customers at the start"),
        _(
            "Active customers on the first day of the period (CRM: customers with an open account "
            "or a purchase in your usual activity window)."
        ),
    )
    customers_won = _count(
        _("customers won"), _("New customers who made their first purchase in the period.")
    )
    customers_lost = _count(
        _("customers lost"),
        _(
            "Customers who left or stopped buying in the period, including any won in the same "
            "period."
        ),
    )
    customers_end = _count(
        _("customers at the end"),
        _(
            "Active customers on the last day. Leave one of the four customer numbers blank and "
            "it is derived from the others."
        ),
    )
    derived_field = models.CharField(
        _("derived value"), max_length=20, blank=True, choices=BALANCE_CHOICES
    )

    # Money, in the currency entered.
    currency = models.CharField(
        _("currency"),
        max_length=3,
        default="RUB",
        help_text=_("Three-letter code such as RUB or USD; amounts are never converted."),
    )
    revenue = _money(_("revenue"), _("Revenue for the period from the accounts (P&L)."))
    support_cost = _money(
        _("support cost"),
        _(
            "Everything customer service cost in the period: salaries with taxes, help-desk "
            "software, telephony, outsourcing."
        ),
    )
    acquisition_spend = _money(
        _("acquisition spend"),
        _("Marketing and sales spend on winning new customers in the period; gives CAC."),
    )
    avg_purchase_value = _money(
        _("average purchase value"), _("Revenue divided by the number of purchases (orders).")
    )
    margin_pct = models.DecimalField(
        _("margin, %"),
        max_digits=9,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_(
            "Gross margin on a purchase, above 0 and at most 100. Leave blank for revenue LTV."
        ),
    )
    purchases_per_year = models.DecimalField(
        _("purchases per customer per year"),
        max_digits=22,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("How often an average customer buys in a year (orders ÷ customers, per year)."),
    )
    lifespan_years = models.DecimalField(
        _("customer lifespan, years"),
        max_digits=22,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_(
            "How many years an average customer stays. Leave blank to estimate it from churn."
        ),
    )
    repeat_customers = _count(
        _("repeat customers"), _("Customers with two or more purchases in the period.")
    )
    buying_customers = _count(
        _("buying customers"), _("Customers with at least one purchase in the period.")
    )

    # Support (C, R, F) and times.
    cases_opened = _count(
        _("cases opened"), _("Support requests created in the period (help-desk report).")
    )
    cases_resolved = _count(
        _("cases resolved"), _("Of the cases opened in the period, how many were resolved.")
    )
    cases_first_contact = _count(
        _("resolved at first contact"),
        _("Of the resolved cases, how many were solved in the first contact, with no follow-up."),
    )
    frt_median_seconds = _seconds(_("median first response time, seconds"))
    frt_median_unit = _unit(_("unit of the median first response time"))
    frt_mean_seconds = _seconds(_("mean first response time, seconds"))
    frt_mean_unit = _unit(_("unit of the mean first response time"))
    frt_business_hours = models.BooleanField(
        _("response times count business hours only"),
        default=False,
        help_text=_("Tick if your help desk stops the clock outside working hours."),
    )
    handling_time_seconds = _seconds(_("total handling time, seconds"))
    handling_time_unit = _unit(_("unit of the total handling time"))
    handled_contacts = _count(
        _("contacts handled"), _("Calls, chats and e-mails handled in the period.")
    )
    qa_scorecard = models.JSONField(
        _("QA scorecard"),
        default=list,
        blank=True,
        help_text=_("Rows of category, weight, checks passed and checks made."),
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("entered"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    objects = MetricPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("metric period")
        verbose_name_plural = _("metric periods")
        ordering = ["company", "starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["company", "starts_on"], name="metric_period_start"),
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")), name="metric_period_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=PeriodKind.values), name="metric_period_kind"
            ),
            models.CheckConstraint(
                condition=_none_or("cases_resolved", "cases_opened")
                | Q(cases_resolved__lte=F("cases_opened")),
                name="metric_resolved_within_opened",
            ),
            models.CheckConstraint(
                condition=_none_or("cases_first_contact", "cases_resolved")
                | Q(cases_first_contact__lte=F("cases_resolved")),
                name="metric_first_contact_within_resolved",
            ),
            models.CheckConstraint(
                condition=_none_or("repeat_customers", "buying_customers")
                | Q(repeat_customers__lte=F("buying_customers")),
                name="metric_repeat_within_buying",
            ),
            models.CheckConstraint(
                condition=_none_or(
                    "customers_start", "customers_won", "customers_lost", "customers_end"
                )
                | Q(customers_end=F("customers_start") + F("customers_won") - F("customers_lost")),
                name="metric_customer_balance",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company} · {self.label}"

    @property
    def months(self) -> int:
        return MONTHS_IN[PeriodKind(self.kind)]

    @property
    def code(self) -> str:
        return period_code(self.kind, self.starts_on)

    @property
    def label(self) -> str:
        return period_label(self.kind, self.starts_on)


class MetricPeriodMonth(models.Model):
    """One calendar month covered by a period; unique per company, so periods never overlap."""

    period = models.ForeignKey(MetricPeriod, on_delete=models.CASCADE, related_name="covered")
    company = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()

    class Meta:
        verbose_name = _("covered month")
        verbose_name_plural = _("covered months")
        constraints = [
            models.UniqueConstraint(fields=["company", "month"], name="metric_month_once"),
        ]

    def __str__(self) -> str:
        return f"{self.company_id} · {self.month:%Y-%m}"
