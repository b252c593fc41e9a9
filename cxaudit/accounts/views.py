from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from cxaudit import brandkit

from . import policy, selectors, services
from .forms import (
    AccountFromInvitationForm,
    BrandingForm,
    CompanyBenchmarkForm,
    CompanyForm,
    InvitationForm,
    LoginForm,
    ProfileForm,
)
from .models import Invitation, User


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        # The profile's language follows the user to a new browser.
        response.set_cookie(
            "cxaudit_language", form.get_user().language, samesite="Lax", max_age=365 * 86400
        )
        return response


@login_required
def company_create(request):
    consultancies = selectors.consultancies_for(user=request.user)
    if not consultancies.exists():
        raise Http404
    form = CompanyForm(request.POST or None, consultancies=consultancies)
    if request.method == "POST" and form.is_valid():
        company = services.company_create(
            consultancy=form.cleaned_data["parent"],
            name=form.cleaned_data["name"],
            industry=form.cleaned_data["industry"],
            by=request.user,
        )
        messages.success(request, _("Company “%(name)s” created.") % {"name": company.name})
        return redirect("accounts:company-detail", company.pk)
    return render(request, "accounts/company_form.html", {"form": form})


@login_required
@require_safe
def company_detail(request, pk):
    access = selectors.company_access_get(user=request.user, pk=pk)
    policy.check(access, "company.view")
    context = {
        "access": access,
        "company": access.company,
        "manages_api_tokens": policy.allowed(access, "api_tokens.manage"),
        "members": selectors.company_members(company=access.company),
        "consultants": selectors.company_consultants(company=access.company),
        "invitations": (
            selectors.company_pending_invitations(company=access.company)
            if policy.allowed(access, "company.manage")
            else []
        ),
        # A consultant of the company is one of its consultancy's: they set its branding.
        "can_brand": access.company.parent_id is not None
        and policy.allowed(access, "branding.edit"),
        "can_edit_benchmark": policy.allowed(access, "company.benchmark_edit"),
    }
    return render(request, "accounts/company_detail.html", context)


@login_required
def company_benchmark_edit(request, pk):
    access = selectors.company_access_get(user=request.user, pk=pk)
    policy.check(access, "company.benchmark_edit")
    company = access.company
    form = CompanyBenchmarkForm(request.POST or None, instance=company)
    if request.method == "POST" and form.is_valid():
        try:
            services.company_benchmark_update(company=company, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Benchmark profile saved."))
            return redirect("accounts:company-detail", company.pk)
    status = 400 if form.errors else 200
    context = {"form": form, "company": company}
    return render(request, "accounts/company_benchmark_form.html", context, status=status)


@login_required
def invitation_create(request, pk):
    access = selectors.company_access_get(user=request.user, pk=pk)
    if not policy.allowed(access, "invitation.create"):
        messages.error(request, _("Only the company's managers and consultants can invite people."))
        return redirect("accounts:company-detail", access.company.pk)
    form = InvitationForm(
        request.POST or None,
        roles=policy.invitable_roles(access.role),
        initial={"language": request.LANGUAGE_CODE},
    )
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                company=access.company,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                language=form.cleaned_data["language"],
                by=request.user,
                by_role=access.role,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("accounts:company-detail", access.company.pk)
    return render(
        request, "accounts/invitation_form.html", {"form": form, "company": access.company}
    )


@login_required
@require_POST
def invitation_revoke(request, pk):
    invitation = get_object_or_404(Invitation.objects.pending(), pk=pk)
    access = selectors.company_access_get(user=request.user, pk=invitation.organisation_id)
    policy.check(access, "invitation.revoke")
    services.invitation_revoke(invitation=invitation)
    messages.success(request, _("Invitation to %(email)s withdrawn.") % {"email": invitation.email})
    return redirect("accounts:company-detail", access.company.pk)


def invitation_accept(request, token):
    try:
        invitation = services.invitation_from_token(token)
    except services.InvitationInvalid as error:
        return render(
            request, "accounts/invitation_invalid.html", {"reason": str(error)}, status=410
        )
    context = {"invitation": invitation}
    if request.user.is_authenticated:
        if request.method == "POST":
            try:
                services.invitation_accept(invitation=invitation, user=request.user)
            except services.InvitationInvalid as error:
                messages.error(request, str(error))
                return redirect("dashboard")
            messages.success(
                request, _("You have joined %(company)s.") % {"company": invitation.organisation}
            )
            return redirect("accounts:company-detail", invitation.organisation_id)
        context["wrong_account"] = request.user.email.lower() != invitation.email.lower()
        return render(request, "accounts/invitation_accept.html", context)
    if User.objects.filter(email__iexact=invitation.email).exists():
        context["sign_in_url"] = f"{reverse('accounts:login')}?next={request.path}"
        return render(request, "accounts/invitation_accept.html", context)
    form = AccountFromInvitationForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.account_create_from_invitation(
                invitation=invitation,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        except services.InvitationInvalid as error:
            return render(
                request, "accounts/invitation_invalid.html", {"reason": str(error)}, status=410
            )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            _("Welcome! You have joined %(company)s.") % {"company": invitation.organisation},
        )
        return redirect("accounts:company-detail", invitation.organisation_id)
    context["form"] = form
    return render(request, "accounts/invitation_accept.html", context)


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        messages.success(request, _("Profile saved."))
        response = redirect("accounts:profile")
        response.set_cookie("cxaudit_language", user.language, samesite="Lax", max_age=365 * 86400)
        return response
    context = {"form": form, "consultancies": selectors.consultancies_for(user=request.user)}
    return render(request, "accounts/profile.html", context)


@require_POST
def language_set(request):
    """Switch the interface language: cookie for everyone, profile too when signed in."""
    from django.conf import settings

    language = request.POST.get("language")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language in dict(settings.LANGUAGES):
        services.user_language_set(user=request.user, language=language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=365 * 86400,
            samesite="Lax",
            secure=settings.LANGUAGE_COOKIE_SECURE,
        )
    return response


@login_required
def branding_edit(request, pk):
    access = selectors.consultancy_access_get(user=request.user, pk=pk)
    policy.check(access, "branding.edit")
    consultancy = access.company
    branding = selectors.branding_of(consultancy=consultancy)
    initial = {
        "display_name": branding.display_name if branding else "",
        "contact_line": branding.contact_line if branding else "",
        "primary_colour": branding.primary_colour if branding else brandkit.DEFAULT_PRIMARY,
        "accent_colour": branding.accent_colour if branding else brandkit.DEFAULT_ACCENT,
    }
    has_logo = bool(branding and branding.logo_key)
    form = BrandingForm(
        request.POST or None, request.FILES or None, initial=initial, has_logo=has_logo
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.branding_save(consultancy=consultancy, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Branding saved."))
            return redirect("accounts:branding-edit", consultancy.pk)
    brand = selectors.brand_from(branding, consultancy) if branding else None
    context = {
        "form": form,
        "consultancy": consultancy,
        "brand": brand,
        "preview": {
            "name": brand.name if brand else consultancy.name,
            "primary": form["primary_colour"].value() or brandkit.DEFAULT_PRIMARY,
            "accent": form["accent_colour"].value() or brandkit.DEFAULT_ACCENT,
        },
    }
    status = 400 if form.errors else 200
    return render(request, "accounts/branding_form.html", context, status=status)


@require_safe
def branding_logo(request, key):
    """A consultancy's logo, for anyone holding its key (public survey pages, e-mails);
    only logos are served, and a new logo gets a new key, so caching it long is safe."""
    found = selectors.branding_logo_by_key(key=key)
    if found is None:
        raise Http404
    data, content_type = found
    response = HttpResponse(data, content_type=content_type)
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["Content-Disposition"] = "inline"
    return response


password_reset = auth_views.PasswordResetView.as_view(
    template_name="accounts/password_reset.html",
    email_template_name="accounts/email/password_reset.txt",
    subject_template_name="accounts/email/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password-reset-done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    success_url=reverse_lazy("accounts:password-reset-complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)
logout = auth_views.LogoutView.as_view()
