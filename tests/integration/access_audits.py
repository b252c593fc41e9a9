from tests.integration.access import company_page, post_page, signed_in

RUNNERS_ONLY = company_page(manager=404, staff=404)

MATRIX = {
    "assessments:audit-list": (lambda w: [w["company"].pk], company_page()),
    "assessments:audit-create": (lambda w: [w["company"].pk], company_page(staff=404)),
    "assessments:audit-detail": (lambda w: [w["audit"].pk], company_page()),
    "assessments:participants-add": (lambda w: [w["audit"].pk], RUNNERS_ONLY),
    "assessments:answer-page": (
        lambda w: [w["audit"].pk, w["audit_instrument"].pk],
        company_page(manager=404),
    ),
    "assessments:answer-save": (
        lambda w: [w["audit"].pk, w["audit_instrument"].pk, "know-customers"],
        signed_in(405),
    ),
    "assessments:audit-close": (lambda w: [w["audit"].pk], RUNNERS_ONLY),
    "assessments:participants-remind": (lambda w: [w["audit"].pk], signed_in(405)),
    "assessments:audit-reopen": (lambda w: [w["audit"].pk], signed_in(405)),
    "assessments:results-publish": (lambda w: [w["audit"].pk], signed_in(405)),
    "assessments:audit-results": (lambda w: [w["audit"].pk], RUNNERS_ONLY),
    "assessments:audit-gaps": (lambda w: [w["audit"].pk], RUNNERS_ONLY),
    "assessments:evidence-download": (lambda w: [w["evidence"].pk], RUNNERS_ONLY),
}

POST = {
    "assessments:audit-create": company_page(staff=404),
    "assessments:participants-add": RUNNERS_ONLY,
    "assessments:participants-remind": post_page(manager=404),
    "assessments:answer-save": post_page(manager=404, staff=302),
    "assessments:audit-close": post_page(manager=404),
    "assessments:audit-reopen": post_page(manager=404),
    "assessments:results-publish": post_page(manager=404),
}


def build_world(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from assessments.services.answers import answer_save, evidence_add
    from assessments.services.audits import audit_create, participants_add

    actors = world["actors"]
    audit = audit_create(
        company=world["company"],
        by=actors["consultant"],
        by_role="consultant",
        title="Audit",
        period_start=__import__("datetime").date(2026, 1, 1),
        period_end=__import__("datetime").date(2026, 3, 31),
        instrument_keys=["quick-self-check"],
    )
    participants_add(
        audit=audit,
        users=[actors["staff"]],
        by=actors["consultant"],
        by_role="consultant",
        language="ru",
    )
    audit_instrument = audit.instruments.get(version__instrument__key="golding-cx-framework")
    assessor = audit.participants.get(kind="assessor")
    result = answer_save(
        participant=assessor,
        audit_instrument=audit_instrument,
        item_key="know-customers",
        value=1,
    )
    evidence = evidence_add(
        answer=result.answer,
        upload=SimpleUploadedFile("notes.txt", b"call notes", content_type="text/plain"),
        by=actors["consultant"],
    )
    return {"audit": audit, "audit_instrument": audit_instrument, "evidence": evidence}
