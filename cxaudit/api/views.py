"""The company's API tokens page (create, the secret shown once, and revoke) and its
webhooks page (add, pause, delete, send a test event, the delivery log)."""

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cxaudit.accounts import policy
from cxaudit.accounts.selectors import company_access_get

from . import selectors, services
from .forms import ApiTokenForm, WebhookForm
from .models import ApiToken, Webhook

ONCE_KEY = "api-token-form"


def _fresh_form() -> ApiTokenForm:
    return ApiTokenForm(initial={"once": secrets.token_urlsafe(16)})


@login_required
def token_list(request, pk):
    access = company_access_get(user=request.user, pk=pk)
    policy.check(access, "api_tokens.manage")
    form = ApiTokenForm(request.POST) if request.method == "POST" else _fresh_form()
    created = None
    if request.method == "POST" and form.is_valid():
        used = request.session.get(ONCE_KEY, [])
        if form.cleaned_data["once"] and form.cleaned_data["once"] in used:
            messages.info(
                request,
                _("This token was already created; its secret was shown once, right then."),
            )
            return redirect("api:token-list", access.company.pk)
        try:
            created = services.api_token_create(
                company=access.company,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if form.cleaned_data["once"]:
                request.session[ONCE_KEY] = [*used[-19:], form.cleaned_data["once"]]
            form = _fresh_form()
    context = {
        "company": access.company,
        "form": form,
        "created": created,
        "tokens": selectors.api_token_list(company=access.company),
    }
    return render(request, "api/token_list.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken.objects.active(), pk=pk)
    access = company_access_get(user=request.user, pk=token.company_id)
    policy.check(access, "api_tokens.manage")
    services.api_token_revoke(token=token)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("api:token-list", access.company.pk)


def _webhook_access(request, pk):
    webhook = get_object_or_404(Webhook, pk=pk)
    access = company_access_get(user=request.user, pk=webhook.company_id)
    policy.check(access, "webhooks.manage")
    return webhook, access


@login_required
def webhook_list(request, pk):
    access = company_access_get(user=request.user, pk=pk)
    policy.check(access, "webhooks.manage")
    form = WebhookForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.webhook_create(
                company=access.company,
                url=form.cleaned_data["url"],
                events=form.cleaned_data["events"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error("url" if error.code != "events" else "events", error)
        else:
            messages.success(request, _("Webhook added. Copy its signing secret below."))
            return redirect("api:webhook-list", access.company.pk)
    context = {
        "company": access.company,
        "form": form,
        "webhooks": selectors.webhook_list(company=access.company),
        "deliveries": selectors.webhook_delivery_log(company=access.company),
        "log_size": selectors.DELIVERY_LOG_SIZE,
    }
    return render(request, "api/webhook_list.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def webhook_toggle(request, pk):
    webhook, access = _webhook_access(request, pk)
    services.webhook_set_active(webhook=webhook, active=not webhook.active)
    if webhook.active:
        messages.success(request, _("Webhook resumed."))
    else:
        messages.success(request, _("Webhook paused: it gets no events until resumed."))
    return redirect("api:webhook-list", access.company.pk)


@login_required
@require_POST
def webhook_delete(request, pk):
    webhook, access = _webhook_access(request, pk)
    services.webhook_delete(webhook=webhook)
    messages.success(request, _("Webhook deleted."))
    return redirect("api:webhook-list", access.company.pk)


@login_required
@require_POST
def webhook_test(request, pk):
    webhook, access = _webhook_access(request, pk)
    services.webhook_test_send(webhook=webhook)
    messages.success(request, _("Test event queued; its delivery shows in the log below."))
    return redirect("api:webhook-list", access.company.pk)
