"""Report pages: request a PDF (an audit's also as Word), watch its progress (htmx polling),
download it (STYLE §8-9).

Nothing is rendered here: a POST creates a ``ReportJob`` whose task starts on commit.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from . import policy, selectors, services
from .forms import ReportRequestForm, ReportSectionsForm
from .models import ReportStatus, SubjectKind


def _audit_report_page(request, audit, access, *, form=None, sections_form=None):
    if form is None:
        form = ReportRequestForm(
            action=reverse("reports:audit-report", args=[audit.pk]),
            initial={"language": get_language()},
        )
    if sections_form is None and access.can_generate:
        sections_form = ReportSectionsForm(
            action=reverse("reports:audit-report-sections", args=[audit.pk]),
            initial={"sections": selectors.audit_report_sections_get(audit=audit)},
        )
    jobs = selectors.report_jobs_for_subject(subject_kind=SubjectKind.AUDIT, subject_id=audit.pk)
    return render(
        request,
        "reports/audit_report.html",
        {
            "audit": audit,
            "access": access,
            "form": form,
            "sections_form": sections_form,
            "jobs": jobs,
        },
    )


@login_required
def audit_report(request, pk):
    """The audit's reports: the form to generate one, its sections and the latest jobs."""
    audit, access = selectors.audit_report_get(user=request.user, pk=pk)
    action = reverse("reports:audit-report", args=[audit.pk])
    form = ReportRequestForm(
        request.POST or None, action=action, initial={"language": get_language()}, word=True
    )
    if request.method == "POST":
        policy.check(access, "report.generate")
        if form.is_valid():
            job, _created = services.audit_report_request(
                audit=audit,
                language=form.cleaned_data["language"],
                by=request.user,
                format=form.cleaned_data["format"],
            )
            return redirect("reports:job-detail", job.pk)
    return _audit_report_page(request, audit, access, form=form)


@login_required
@require_POST
def audit_report_sections(request, pk):
    """Save the sections of the audit's next reports; a wrong choice is shown on the page."""
    audit, access = selectors.audit_report_get(user=request.user, pk=pk)
    policy.check(access, "report.sections")
    action = reverse("reports:audit-report-sections", args=[audit.pk])
    form = ReportSectionsForm(request.POST, action=action)
    if form.is_valid():
        try:
            services.audit_report_options_save(
                audit=audit, sections=form.cleaned_data["sections"], by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The report's sections are saved for this audit."))
            return redirect("reports:audit-report", audit.pk)
    return _audit_report_page(request, audit, access, sections_form=form)


@login_required
@require_safe
def audit_report_history(request, pk):
    """Every report of the audit: who asked, when, what it shows; download or compare."""
    audit, access = selectors.audit_report_get(user=request.user, pk=pk)
    policy.check(access, "report.history")
    rows = selectors.audit_report_history(audit=audit)
    return render(
        request,
        "reports/audit_report_history.html",
        {"audit": audit, "access": access, "rows": rows},
    )


@login_required
@require_safe
def audit_report_compare(request, pk):
    """Two reports of the audit side by side (``?jobs=<id>&jobs=<id>``)."""
    audit, access = selectors.audit_report_get(user=request.user, pk=pk)
    policy.check(access, "report.compare")
    comparison = selectors.audit_report_compare(audit=audit, job_ids=request.GET.getlist("jobs"))
    return render(
        request,
        "reports/audit_report_compare.html",
        {"audit": audit, "access": access, "comparison": comparison},
    )


@login_required
def wave_report(request, pk):
    """A survey wave's PDF summaries: the form to generate one and the latest jobs."""
    wave, access = selectors.wave_report_get(user=request.user, pk=pk)
    action = reverse("reports:wave-report", args=[wave.pk])
    form = ReportRequestForm(
        request.POST or None,
        action=action,
        initial={"language": get_language()},
        submit_label=_("Generate summary"),
    )
    if request.method == "POST" and form.is_valid():  # a PDF: Word is for audits only
        job, _created = services.wave_report_request(
            wave=wave, language=form.cleaned_data["language"], by=request.user
        )
        return redirect("reports:job-detail", job.pk)
    jobs = selectors.wave_report_jobs(wave=wave, access=access)
    return render(
        request,
        "reports/wave_report.html",
        {"wave": wave, "survey": wave.survey, "access": access, "form": form, "jobs": jobs},
    )


@login_required
@never_cache
@require_safe
def job_detail(request, pk):
    job, access = selectors.report_job_get(user=request.user, pk=pk)
    template = "reports/partials/_job.html" if request.htmx else "reports/job_detail.html"
    return render(request, template, {"job": job, "access": access})


@login_required
@never_cache
@require_safe
def job_status(request, pk):
    """The progress partial the job page polls; without ``hx-trigger`` once finished."""
    job, access = selectors.report_job_get(user=request.user, pk=pk)
    return render(request, "reports/partials/_job.html", {"job": job, "access": access})


@login_required
@require_safe
def job_download(request, pk):
    job, _access = selectors.report_job_get(user=request.user, pk=pk)
    if job.status != ReportStatus.DONE or not job.file:
        raise Http404
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.download_name,
        content_type=job.content_type,
    )


@login_required
@require_POST
def job_retry(request, pk):
    """ "Try again": a new job for the same report and language (or the pending one)."""
    job, access = selectors.report_job_get(user=request.user, pk=pk)
    policy.check(access, "report.generate")
    new_job, _created = services.report_job_create(
        company=job.company,
        subject_kind=job.subject_kind,
        subject_id=job.subject_id,
        audit=job.audit,
        language=job.language,
        by=request.user,
        sections=job.sections,
        draft=job.draft,
        format=job.format,
    )
    return redirect("reports:job-detail", new_job.pk)
