"""answer_submit: one answer as a participant sent it, stored with its file or not at all."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from assessments.models import Answer, Evidence
from assessments.services import answers as services
from assessments.services.audits import audit_close
from tests.audit_factories import GOLDING, assessor, audit_build

pytestmark = pytest.mark.django_db

ITEM = "strategy.know-customers"


@pytest.fixture
def audit(actors, company):
    return audit_build(company=company, by=actors["consultant"], instruments=[GOLDING])


def submit(audit, **overrides):
    """Submit with the form's defaults; messages come back in English."""
    fields = {
        "participant": assessor(audit),
        "audit_instrument": audit.instruments.get(),
        "item_key": ITEM,
        "value": "1",
        "text": "",
        "is_na": False,
        "comment": "",
        "revision": 0,
        "tab": "taba",
        "upload": None,
        "by": audit.owner,
    }
    with translation.override("en"):
        return services.answer_submit(**(fields | overrides))


def pdf():
    return SimpleUploadedFile("scan.pdf", b"%PDF-1.4 minimal", content_type="application/pdf")


def test_a_new_answer_is_saved(audit):
    result = submit(audit, comment="  seen  ")
    assert (result.kind, result.conflict, result.message) == ("saved", False, "Saved")
    stored = Answer.objects.get()
    assert stored == result.answer
    assert (stored.value, stored.is_na, stored.comment, stored.revision) == (1, False, "seen", 1)


@pytest.mark.parametrize("fields", [{"value": "na"}, {"value": None, "is_na": True}])
def test_na_is_read_from_the_value_or_the_flag(audit, fields):
    result = submit(audit, **fields)
    assert result.kind == "saved"
    assert (result.answer.is_na, result.answer.value) == (True, None)


def test_the_file_is_stored_with_the_answer(audit):
    result = submit(audit, upload=pdf())
    assert (result.kind, result.message) == ("saved", "Saved with the file.")
    assert Evidence.objects.get().answer == result.answer


def test_a_newer_answer_from_another_tab_is_kept_and_the_file_dropped(audit):
    first = submit(audit, value="1", tab="taba")
    result = submit(audit, value="0", tab="tabb", revision=0, upload=pdf())
    assert (result.kind, result.conflict) == ("conflict", True)
    assert result.message.startswith("A newer answer was saved in another window")
    assert result.answer.pk == first.answer.pk
    assert (result.answer.value, result.answer.revision) == (1, 1)
    assert not Evidence.objects.exists()


def test_a_refused_file_leaves_no_answer_behind(audit):
    exe = SimpleUploadedFile("setup.pdf", b"MZ\x90\x00" + b"\x00" * 64)
    result = submit(audit, upload=exe)
    assert (result.kind, result.conflict, result.answer) == ("invalid", False, None)
    assert "not accepted" in result.message
    assert not Answer.objects.exists()


def test_a_refused_answer_returns_the_one_stored_before(audit):
    before = submit(audit, value="1").answer
    result = submit(audit, value="1", comment="bad\x00", revision=1)
    assert result.kind == "invalid"
    assert result.message == "The answer contains a character that cannot be stored."
    assert result.answer.pk == before.pk
    assert (result.answer.comment, result.answer.revision) == ("", 1)


def test_a_closed_audit_refuses_answers(audit, actors):
    audit_close(audit=audit, by=actors["consultant"])
    result = submit(audit)
    assert (result.kind, result.answer) == ("invalid", None)
    assert result.message == "The audit is closed; answers can no longer change."
