"""The editor of the consultant's report texts of an audit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import policy
from ..forms.texts import AuditTextsForm
from ..selectors.audits import audit_access_get
from ..selectors.texts import audit_text_rows, audit_text_slots
from ..services.texts import audit_texts_save


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def audit_texts_edit(request, pk):
    access = audit_access_get(user=request.user, pk=pk)
    policy.check(access, "texts.edit")
    audit = access.audit
    slots = audit_text_slots(audit=audit)
    url = reverse("assessments:audit-texts", args=[audit.pk])
    form = AuditTextsForm(
        request.POST if request.method == "POST" else None,
        slots=slots,
        rows=audit_text_rows(audit=audit),
        language=get_language(),
        url=url,
    )
    previews = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            previews = form.previews()
        else:
            try:
                changed = audit_texts_save(
                    audit=audit, by=request.user, bodies=form.bodies(), slots=slots
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                if changed:
                    messages.success(
                        request,
                        ngettext("%(n)d text is saved.", "%(n)d texts are saved.", changed)
                        % {"n": changed},
                    )
                else:
                    messages.info(request, _("Nothing has changed."))
                return redirect(url)
    context = {
        "access": access,
        "audit": audit,
        "company": audit.company,
        "form": form,
        "previews": previews,
    }
    return render(request, "assessments/audit_texts.html", context)
