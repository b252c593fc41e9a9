"""Survey templates of a consultancy (or of a company standing alone)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from cxaudit.accounts.selectors import company_access_get

from .. import policy, selectors, services
from ..question_forms import TemplateTitleForm


@login_required
@require_safe
def template_list(request, company_pk):
    access = company_access_get(user=request.user, pk=company_pk)
    policy.check(access, "templates.manage", access.company)
    context = {
        "company": access.company,
        "templates": selectors.template_list(company=access.company),
    }
    return render(request, "surveys/questions/template_list.html", context)


@login_required
def template_create(request, pk):
    """Save a survey as a template of its consultancy."""
    survey, access = selectors.survey_get(user=request.user, pk=pk)
    policy.check(access, "templates.manage", access.company)
    form = TemplateTitleForm(
        request.POST or None, initial={"title": survey.title}, submit=_("Save as template")
    )
    if request.method == "POST" and form.is_valid():
        try:
            template = services.survey_template_save(
                survey=survey, title=form.cleaned_data["title"], by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Template “%(title)s” saved.") % {"title": template.title})
            return redirect("surveys:template-list", access.company.pk)
    context = {
        "form": form,
        "survey": survey,
        "company": access.company,
        "heading": _("Save as template"),
        "explanation": _(
            "Every company of your consultancy can start a survey from it: the questions, "
            "texts and settings are copied, the waves and answers are not."
        ),
    }
    return render(request, "surveys/simple_form.html", context)


@login_required
def template_use(request, company_pk, template_pk):
    """A new survey of the company from a template of its consultancy."""
    access = company_access_get(user=request.user, pk=company_pk)
    policy.check(access, "templates.manage", access.company)
    template = selectors.template_get(company=access.company, pk=template_pk)
    form = TemplateTitleForm(
        request.POST or None, initial={"title": template.title}, submit=_("Create survey")
    )
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.survey_from_template(
                company=access.company,
                template=template,
                title=form.cleaned_data["title"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Survey created. Add a wave to get its link."))
            return redirect("surveys:survey-detail", survey.pk)
    context = {
        "form": form,
        "company": access.company,
        "heading": _("New survey from “%(title)s”") % {"title": template.title},
    }
    return render(request, "surveys/simple_form.html", context)


@login_required
@require_POST
def template_delete(request, company_pk, template_pk):
    access = company_access_get(user=request.user, pk=company_pk)
    policy.check(access, "templates.manage", access.company)
    template = selectors.template_get(company=access.company, pk=template_pk)
    services.survey_template_delete(template=template)
    messages.success(request, _("Template “%(title)s” deleted.") % {"title": template.title})
    return redirect("surveys:template-list", access.company.pk)
