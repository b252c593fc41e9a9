import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from cxaudit.accounts.selectors import company_access_get

from .. import policy
from ..forms.audits import AuditForm, ParticipantsForm
from ..selectors import audits as selectors
from ..selectors import choices
from ..selectors.benchmark import benchmark_page_get
from ..selectors.results import gaps_page_get, results_page_get
from ..selectors.texts import results_texts_get
from ..services import answers as answer_services
from ..services import audits as services


def _access(request, pk):
    access = selectors.audit_access_get(user=request.user, pk=pk)
    if access.participant is not None and access.participant.user_id is None:
        services.participant_link(user=request.user)
    return access


@login_required
@require_safe
def audit_list(request, pk):
    company_access = company_access_get(user=request.user, pk=pk)
    context = {
        "company": company_access.company,
        "access": company_access,
        "audits": selectors.audit_list(company=company_access.company),
        "can_start": policy.allowed(company_access, "audit.start", company_access.company),
    }
    return render(request, "assessments/audit_list.html", context)


@login_required
def audit_create(request, pk):
    company_access = company_access_get(user=request.user, pk=pk)
    policy.check(company_access, "audit.start", company_access.company)
    templates, parts = choices.instrument_choices(company=company_access.company)
    form = AuditForm(
        request.POST or None,
        templates=templates,
        instruments=parts,
        initial={"template": "full-cx-audit"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            audit = services.audit_create(
                company=company_access.company,
                by=request.user,
                by_role=company_access.role,
                title=form.cleaned_data["title"],
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
                instrument_keys=form.instrument_keys,
                template_key=form.cleaned_data.get("template") or "",
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The audit has started."))
            return redirect("assessments:audit-detail", audit.pk)
    return render(
        request,
        "assessments/audit_form.html",
        {"form": form, "company": company_access.company},
    )


@login_required
@require_safe
def audit_detail(request, pk):
    access = _access(request, pk)
    audit = access.audit
    context = {
        "access": access,
        "audit": audit,
        "company": audit.company,
        "instruments": selectors.audit_instruments(audit=audit, participant=access.participant),
        "participants": selectors.participants(audit=audit)
        if policy.allowed(access, "audit.run")
        else [],
        "events": audit.events.select_related("by")[:10],
    }
    return render(request, "assessments/audit_detail.html", context)


@login_required
def participants_add(request, pk):
    access = _access(request, pk)
    policy.check(access, "audit.run")
    audit = access.audit
    candidates = choices.participant_candidates(audit=audit)
    members = [(str(user.pk), f"{user} · {user.email}") for user in candidates]
    form = ParticipantsForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        chosen = [user for user in candidates if str(user.pk) in form.cleaned_data["members"]]
        try:
            added = services.participants_add(
                audit=audit,
                users=chosen,
                emails=form.cleaned_data["emails"],
                by=request.user,
                by_role=access.role,
                language=request.LANGUAGE_CODE,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(n)d person invited to self-assess; members get an e-mail with the link.",
                    "%(n)d people invited to self-assess; members get an e-mail with the link.",
                    len(added),
                )
                % {"n": len(added)},
            )
            return redirect("assessments:audit-detail", audit.pk)
    context = {"form": form, "audit": audit, "company": audit.company}
    return render(request, "assessments/participants_form.html", context)


@login_required
@require_POST
def participants_remind(request, pk):
    access = _access(request, pk)
    policy.check(access, "audit.run")
    try:
        count = services.participants_remind(audit=access.audit)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if count:
            messages.success(
                request,
                ngettext(
                    "A reminder is being sent to %(n)d person.",
                    "Reminders are being sent to %(n)d people.",
                    count,
                )
                % {"n": count},
            )
        else:
            messages.info(
                request,
                _(
                    "Nobody to remind: everyone has finished, or heard from us "
                    "in the last 24 hours."
                ),
            )
    return redirect("assessments:audit-detail", pk)


def _item_url(audit, audit_instrument, item_key):
    return reverse("assessments:answer-save", args=[audit.pk, audit_instrument.pk, item_key])


@login_required
@require_safe
def answer_page(request, pk, instrument_pk):
    access = _access(request, pk)
    policy.check(access, "answers.view")
    audit = access.audit
    audit_instrument = selectors.audit_instrument_get(audit=audit, pk=instrument_pk)
    editable = policy.allowed(access, "answers.edit")

    def url_for(item_key):
        return _item_url(audit, audit_instrument, item_key) if editable else None

    parsed, sections = selectors.answer_sections(
        audit_instrument=audit_instrument, participant=access.participant, url_for=url_for
    )
    context = {
        "access": access,
        "audit": audit,
        "company": audit.company,
        "audit_instrument": audit_instrument,
        "parsed": parsed,
        "sections": sections,
        "progress": selectors.instrument_progress(sections=sections),
        "editable": editable,
        "tab": secrets.token_hex(8),
    }
    return render(request, "assessments/answer_page.html", context)


# How each outcome of answer_submit shows: the message's CSS class and the HTTP status.
_ANSWER_STATUS = {
    "saved": ("text-success", 200),
    "conflict": ("text-warning", 409),
    "invalid": ("text-danger", 400),
}


@login_required
@require_POST
def answer_save(request, pk, instrument_pk, item_key):
    """Save one answer. htmx swaps the item and its counters; a plain form post redirects
    back; a ``background`` post (sent by answer.js as the page is left) gets an empty reply."""
    access = _access(request, pk)
    policy.check(access, "answers.view")
    audit = access.audit
    audit_instrument = selectors.audit_instrument_get(audit=audit, pk=instrument_pk)
    try:
        item = audit_instrument.version.parsed.item(item_key)
    except KeyError as error:
        raise Http404 from error
    values = request.POST.getlist("value")
    background = request.POST.get("background") == "1"
    try:
        revision = int(request.POST.get("revision") or 0)
    except ValueError:
        revision = 0
    result = answer_services.answer_submit(
        participant=access.participant,
        audit_instrument=audit_instrument,
        item_key=item_key,
        value=values[-1] if values else None,
        text=request.POST.get("text", ""),
        is_na=request.POST.get("is_na") == "1",
        comment=request.POST.get("comment", ""),
        revision=revision,
        tab=request.POST.get("tab", ""),
        upload=None if background else request.FILES.get("file"),
        by=request.user,
    )
    css, status = _ANSWER_STATUS[result.kind]
    if background:  # the page is gone: nothing to show, and no message left for the next one
        return HttpResponse(status=204 if status == 200 else status)
    if not request.htmx:
        (messages.success if status == 200 else messages.error)(request, result.message)
        return redirect(
            reverse("assessments:answer-page", args=[audit.pk, audit_instrument.pk])
            + f"#item-{item.key}"
        )
    entry = selectors.answer_entry(
        item=item,
        answer=result.answer,
        url=_item_url(audit, audit_instrument, item.key),
        message=result.message,
        message_class=css,
    )
    context = {
        "entry": entry,
        "editable": policy.allowed(access, "answers.edit"),
        "tab": request.POST.get("tab", "")[:32],
        "progress": selectors.answer_progress(
            audit_instrument=audit_instrument, participant=access.participant
        ),
    }
    response = render(request, "assessments/partials/_item_saved.html", context)
    # htmx swaps only successful responses by default; the item shows its own message.
    response.status_code = 200
    response["X-Answer-Status"] = str(status)
    return response


@login_required
@require_safe
def evidence_download(request, pk):
    access = _access(request, selectors.evidence_audit_id(pk=pk))
    evidence = get_object_or_404(selectors.evidence_visible(access=access), pk=pk)
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def audit_close(request, pk):
    """GET: what is still missing, and a button; POST: close."""
    access = _access(request, pk)
    policy.check(access, "audit.run")
    audit = access.audit
    if request.method == "POST":
        services.audit_close(audit=audit, by=request.user)
        messages.success(request, _("The audit is closed; answers are frozen."))
        return redirect("assessments:audit-detail", pk)
    context = {
        "access": access,
        "audit": audit,
        "company": audit.company,
        "progress": selectors.audit_progress(audit=audit),
    }
    return render(request, "assessments/audit_close.html", context)


@login_required
@require_POST
def audit_reopen(request, pk):
    access = _access(request, pk)
    policy.check(access, "audit.run")
    services.audit_reopen(audit=access.audit, by=request.user)
    messages.success(request, _("The audit is open again; the reopening is recorded."))
    return redirect("assessments:audit-detail", pk)


@login_required
@require_POST
def results_publish(request, pk):
    access = _access(request, pk)
    policy.check(access, "audit.run")
    services.results_publish(audit=access.audit, by=request.user)
    messages.success(request, _("Results are published to the company."))
    return redirect("assessments:audit-results", pk)


@login_required
@require_safe
def results(request, pk):
    access = _access(request, pk)
    policy.check(access, "audit.results.view")
    context = {
        "access": access,
        "audit": access.audit,
        "company": access.audit.company,
        **results_page_get(audit=access.audit),
    }
    if policy.allowed(access, "texts.view"):
        context.update(results_texts_get(audit=access.audit))
    if policy.allowed(access, "benchmark.view"):
        labels = {row.ref: row.label for row in context["results"].domains}
        context.update(
            benchmark_page_get(
                audit=access.audit, raw_filter=request.GET.get("benchmark", ""), labels=labels
            )
        )
    return render(request, "assessments/results.html", context)


@login_required
@require_safe
def gaps(request, pk):
    access = _access(request, pk)
    policy.check(access, "audit.results.view")
    context = {
        "access": access,
        "audit": access.audit,
        "company": access.audit.company,
        **gaps_page_get(audit=access.audit),
    }
    return render(request, "assessments/gaps.html", context)
