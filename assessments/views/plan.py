"""The action plan and the next round.

Every page works as plain links and forms; with htmx, rows are swapped in place.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .. import policy
from ..forms.audits import NextRoundForm
from ..forms.plan import ActionItemForm
from ..selectors import plan as selectors
from ..selectors.audits import audit_access_get
from ..services import audits as audit_services
from ..services import plan as services


@login_required
@require_safe
def action_list(request, pk):
    access = audit_access_get(user=request.user, pk=pk)
    policy.check(access, "actions.view")
    audit = access.audit
    context = {
        "access": access,
        "audit": audit,
        "company": audit.company,
        "plan": selectors.action_plan(audit=audit),
        "can_edit": policy.allowed(access, "actions.update"),
    }
    return render(request, "assessments/plan/action_list.html", context)


@login_required
def action_edit(request, pk):
    action, access = selectors.action_get(user=request.user, pk=pk)
    policy.check(access, "actions.update")
    audit = access.audit
    url = reverse("assessments:action-edit", args=[action.pk])
    list_url = reverse("assessments:action-list", args=[audit.pk]) + f"#action-{action.pk}"
    form = ActionItemForm(
        request.POST or None,
        initial={
            "title": action.display_title,
            "owner": action.owner_id or "",
            "due_date": action.due_date,
            "status": action.status,
            "drop_reason": action.drop_reason,
            "notes": action.notes,
        },
        members=selectors.owner_choices(audit=audit),
        limited=not policy.allowed(access, "actions.plan"),
        url=url,
        target=f"#action-{action.pk}" if request.htmx else None,
        cancel_url=list_url,
    )
    if request.method == "POST" and form.is_valid():
        try:
            action = services.action_update(
                action=action, by=request.user, by_role=access.role, **form.changes()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if not request.htmx:
                messages.success(request, _("The action was saved."))
                return redirect(list_url)
            action, access = selectors.action_get(user=request.user, pk=action.pk)
            context = {"action": action, "can_edit": True, "saved": True}
            return render(request, "assessments/plan/_action_row.html", context)
    context = {"audit": audit, "company": audit.company, "form": form, "action": action}
    if request.htmx:
        return render(request, "assessments/plan/_action_edit_row.html", context)
    return render(request, "assessments/plan/action_edit.html", context)


# --------------------------------------------------------------------------- next round


@login_required
def round_start(request, pk):
    access = audit_access_get(user=request.user, pk=pk)
    policy.check(access, "audit.run")
    audit = access.audit
    form = NextRoundForm(request.POST or None, initial=selectors.next_round_period(audit=audit))
    if request.method == "POST" and form.is_valid():
        try:
            new = audit_services.next_round_start(
                audit=audit,
                by=request.user,
                by_role=access.role,
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The next round has started."))
            return redirect("assessments:audit-detail", new.pk)
    context = {
        "access": access,
        "audit": audit,
        "company": audit.company,
        "form": form,
        "following": getattr(audit, "next_round", None),
        "open_actions": audit.actions.open().count(),
    }
    return render(request, "assessments/plan/round_start.html", context)
