"""Metric pages. Everyone with a role in the company sees the dashboard and exports;
consultants and managers (``policy``'s "metrics.edit") enter, edit, delete and import; anyone
else gets 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from cxaudit.accounts.selectors import company_access_get

from . import inputs, policy, selectors, services
from .forms import MetricImportConfirmForm, MetricImportForm, MetricPeriodForm, qa_formset

SUGGESTION = "apply_suggestion"


def _managed(request, pk):
    access = company_access_get(user=request.user, pk=pk)
    policy.check(access, "metrics.edit")
    return access


def _with_suggestion(post):
    """The posted data with the offered balance value filled in ("Use 1,050")."""
    data = post.copy()
    name, _sep, value = data.get(SUGGESTION, "").partition(":")
    if name in inputs.BALANCE and value.isdigit():
        data[name] = value
    return data


def _report(request, result: services.SaveResult) -> None:
    for warning in result.warnings:
        messages.warning(request, warning)
    note = services.derived_note(result)
    if note:
        messages.info(request, note)


@login_required
@require_safe
def dashboard(request, pk):
    access = company_access_get(user=request.user, pk=pk)
    policy.check(access, "metrics.view")
    context = {
        "access": access,
        "company": access.company,
        "dashboard": selectors.metric_dashboard_get(company=access.company),
    }
    return render(request, "metrics/dashboard.html", context)


def _period_form(request, access, period=None):
    data = _with_suggestion(request.POST) if request.method == "POST" else None
    form = MetricPeriodForm(data, period=period)
    formset = qa_formset(data, period=period)
    error = None
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            if period is None:
                result = services.metric_period_create(
                    company=access.company, entry=form.entry(formset.rows()), by=request.user
                )
            else:
                values = {**form.values(), "qa_scorecard": formset.rows()}
                result = services.metric_period_update(
                    period=period, values=values, by=request.user
                )
        except services.MetricPeriodInvalid as invalid:
            error = invalid
            form.add_service_error(invalid)
            if "qa_scorecard" in invalid.field_errors:
                for text in invalid.field_errors["qa_scorecard"]:
                    form.add_error(None, _("QA scorecard: %(problem)s") % {"problem": text})
        else:
            messages.success(request, _("%(period)s saved.") % {"period": result.period.label})
            _report(request, result)
            return redirect("metrics:dashboard", access.company.pk)
    context = {
        "access": access,
        "company": access.company,
        "form": form,
        "qa_formset": formset,
        "period": period,
        "suggestions": [
            {"field": name, "value": value, "input": f"{name}:{value}"}
            for name, value in (error.suggestion.items() if error else [])
        ],
    }
    return render(request, "metrics/period_form.html", context)


@login_required
def period_create(request, pk):
    return _period_form(request, _managed(request, pk))


@login_required
def period_edit(request, pk, period_pk):
    access = _managed(request, pk)
    period = selectors.metric_period_get(company=access.company, pk=period_pk)
    return _period_form(request, access, period)


@login_required
def period_delete(request, pk, period_pk):
    access = _managed(request, pk)
    period = selectors.metric_period_get(company=access.company, pk=period_pk)
    if request.method == "POST":
        services.metric_period_delete(period=period)
        messages.success(request, _("%(period)s deleted.") % {"period": period.label})
        return redirect("metrics:dashboard", access.company.pk)
    return render(
        request,
        "metrics/period_delete.html",
        {"access": access, "company": access.company, "period": period},
    )


@login_required
def period_import(request, pk):
    access = _managed(request, pk)
    preview = None
    form = MetricImportForm()
    confirm = None
    if request.method == "POST" and "text" in request.POST:
        confirm = MetricImportConfirmForm(request.POST)
        if confirm.is_valid():
            try:
                results = services.metric_import_commit(
                    company=access.company,
                    text=confirm.cleaned_data["text"],
                    replace=confirm.cleaned_data["replace"],
                    by=request.user,
                )
            except services.MetricImportRejected as rejected:
                preview = rejected.preview
                messages.error(request, _("Nothing was imported: the file has problems."))
            else:
                messages.success(request, services.import_summary(results))
                for result in results:
                    for warning in result.warnings:
                        messages.warning(request, f"{result.period.label}: {warning}")
                return redirect("metrics:dashboard", access.company.pk)
    elif request.method == "POST":
        form = MetricImportForm(request.POST, request.FILES)
        if form.is_valid():
            replace = form.cleaned_data["replace"]
            preview = services.metric_import_parse(
                company=access.company, raw=form.cleaned_data["file"].read(), replace=replace
            )
            if preview.ok:
                confirm = MetricImportConfirmForm(
                    initial={"text": preview.text, "replace": replace}
                )
    context = {
        "access": access,
        "company": access.company,
        "form": form,
        "preview": preview,
        "confirm": confirm if preview is not None and preview.ok else None,
        "columns": services.CSV_COLUMNS,
    }
    return render(request, "metrics/import.html", context)


@login_required
@require_safe
def export(request, pk, fmt):
    access = company_access_get(user=request.user, pk=pk)
    policy.check(access, "metrics.view")
    if fmt not in selectors.EXPORTS:
        raise Http404
    writer, content_type = selectors.EXPORTS[fmt]
    response = HttpResponse(writer(company=access.company), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="metrics-{access.company.pk}.{fmt}"'
    return response
