"""The company's API tokens page: create (the secret shown once) and revoke."""

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
from .forms import ApiTokenForm
from .models import ApiToken

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
