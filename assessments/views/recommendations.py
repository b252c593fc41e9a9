"""Recommendations: the rules' proposals and the consultant's own, accepted into the plan.

Every page works as plain links and forms; with htmx, rows are swapped in place.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from .. import policy
from ..forms.plan import BulkAcceptForm, RecommendationCreateForm, RecommendationTextForm
from ..selectors import plan as selectors
from ..selectors.audits import audit_access_get
from ..services import plan as services
from .errors import error_text


def _recommendations_access(request, pk, *, manage: bool):
    access = audit_access_get(user=request.user, pk=pk)
    policy.check(access, "recommendations.manage" if manage else "recommendations.view")
    return access


@login_required
@require_safe
def recommendation_list(request, pk):
    access = _recommendations_access(request, pk, manage=False)
    audit = access.audit
    rows = selectors.recommendation_rows(audit=audit)
    can_manage = policy.allowed(access, "recommendations.manage")
    context = {
        "access": access,
        "audit": audit,
        "company": audit.company,
        "rows": rows,
        "proposed": [row for row in rows if row.is_proposed],
        "can_manage": can_manage,
        "create_form": RecommendationCreateForm(
            url=reverse("assessments:recommendation-create", args=[audit.pk])
        )
        if can_manage
        else None,
    }
    return render(request, "assessments/plan/recommendation_list.html", context)


@login_required
@require_POST
def recommendation_refresh(request, pk):
    access = _recommendations_access(request, pk, manage=True)
    rows = services.recommendations_refresh(audit=access.audit, by=request.user)
    messages.success(
        request,
        ngettext(
            "The rules were evaluated on the current answers: %(n)s recommendation.",
            "The rules were evaluated on the current answers: %(n)s recommendations.",
            len(rows),
        )
        % {"n": len(rows)},
    )
    return redirect("assessments:recommendation-list", pk)


@login_required
@require_POST
def recommendation_accept_many(request, pk):
    access = _recommendations_access(request, pk, manage=True)
    audit = access.audit
    form = BulkAcceptForm(request.POST, choices=audit.recommendations.values_list("pk", flat=True))
    if not form.is_valid():
        messages.error(request, _("Choose at least one recommendation to accept."))
        return redirect("assessments:recommendation-list", pk)
    try:
        actions = services.recommendations_accept(
            audit=audit, ids=form.cleaned_data["ids"], by=request.user
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("assessments:recommendation-list", pk)
    messages.success(
        request,
        ngettext(
            "%(n)s recommendation was added to the action plan.",
            "%(n)s recommendations were added to the action plan.",
            len(actions),
        )
        % {"n": len(actions)},
    )
    return redirect("assessments:action-list", pk)


@login_required
def recommendation_create(request, pk):
    access = _recommendations_access(request, pk, manage=True)
    audit = access.audit
    url = reverse("assessments:recommendation-create", args=[audit.pk])
    form = RecommendationCreateForm(request.POST or None, url=url)
    if request.method == "POST" and form.is_valid():
        try:
            services.recommendation_add(
                audit=audit,
                by=request.user,
                text=form.cleaned_data["text"],
                severity=form.cleaned_data["severity"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your recommendation was added."))
            return redirect("assessments:recommendation-list", pk)
    context = {"audit": audit, "company": audit.company, "form": form}
    return render(request, "assessments/plan/recommendation_form.html", context)


def _row_response(request, access, recommendation, *, message="", message_class=""):
    """The table row of one recommendation (htmx), or back to the list (plain form)."""
    if not request.htmx:
        if message:
            (messages.error if message_class == "text-danger" else messages.success)(
                request, message
            )
        return redirect(
            reverse("assessments:recommendation-list", args=[access.audit.pk])
            + f"#rec-{recommendation.pk}"
        )
    recommendation = selectors.recommendation_get(audit=access.audit, pk=recommendation.pk)
    row = selectors.recommendation_row(
        recommendation=recommendation,
        instruments=selectors.audit_instruments_pinned(audit=access.audit),
        recurred=selectors.recurred_rules(audit=access.audit),
    )
    context = {
        "row": row,
        "audit": access.audit,
        "can_manage": policy.allowed(access, "recommendations.manage"),
        "message": message,
        "message_class": message_class,
    }
    return render(request, "assessments/plan/_recommendation_row.html", context)


def _decision(request, pk, rec_pk, decide, success: str):
    access = _recommendations_access(request, pk, manage=True)
    recommendation = selectors.recommendation_get(audit=access.audit, pk=rec_pk)
    try:
        decide(recommendation)
    except ValidationError as error:
        return _row_response(
            request, access, recommendation, message=error_text(error), message_class="text-danger"
        )
    return _row_response(
        request, access, recommendation, message=success, message_class="text-success"
    )


@login_required
@require_POST
def recommendation_accept(request, pk, rec_pk):
    return _decision(
        request,
        pk,
        rec_pk,
        lambda r: services.recommendation_accept(recommendation=r, by=request.user),
        _("Added to the action plan."),
    )


@login_required
@require_POST
def recommendation_reject(request, pk, rec_pk):
    return _decision(
        request,
        pk,
        rec_pk,
        lambda r: services.recommendation_reject(recommendation=r, by=request.user),
        _("Rejected."),
    )


@login_required
def recommendation_edit(request, pk, rec_pk):
    access = _recommendations_access(request, pk, manage=True)
    audit = access.audit
    recommendation = selectors.recommendation_get(audit=audit, pk=rec_pk)
    url = reverse("assessments:recommendation-edit", args=[audit.pk, recommendation.pk])
    list_url = reverse("assessments:recommendation-list", args=[audit.pk])
    row = selectors.recommendation_row(
        recommendation=recommendation,
        instruments=selectors.audit_instruments_pinned(audit=audit),
    )
    form = RecommendationTextForm(
        request.POST or None,
        initial={"text": row.text},
        url=url,
        target=f"#rec-{recommendation.pk}" if request.htmx else None,
        cancel_url=f"{list_url}#rec-{recommendation.pk}",
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.recommendation_edit(
                recommendation=recommendation, by=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _row_response(
                request, access, recommendation, message=_("Saved."), message_class="text-success"
            )
    context = {"audit": audit, "company": audit.company, "form": form, "row": row}
    if request.htmx:
        return render(request, "assessments/plan/_recommendation_edit_row.html", context)
    return render(request, "assessments/plan/recommendation_edit.html", context)
