"""Word reports: hostile text everywhere in an audit (names, titles, comments, answers,
evidence names, instrument texts) is written as text: document.xml holds it escaped inside
``w:t`` runs and no element of it."""

import io
import re
import zipfile

import pytest
from docx import Document

from cxaudit.reports import services
from cxaudit.reports.models import ReportStatus
from tests.security.test_xss import PAYLOAD, RAW_MARKERS, _make_hostile


@pytest.mark.parametrize("language", ["ru", "en"])
def test_hostile_audit_word_report_keeps_markup_as_text(world, actors, language):
    _make_hostile(world)
    job, _created = services.audit_report_request(
        audit=world["audit"], language=language, by=actors["consultant"], format="docx"
    )
    assert services.report_job_run(job_id=job.pk) == ReportStatus.DONE
    job.refresh_from_db()
    with job.file.open("rb") as handle:
        data = handle.read()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
        parts = " ".join(
            archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if name.endswith(".xml")
        )
    assert not [marker for marker in RAW_MARKERS if marker in parts]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in xml
    assert not re.search(r"<(?!/?(w|wp|a|pic|r|mc|w14|wps|v|o)\b)[a-z]", xml)
    document = Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert any(PAYLOAD in text for text in [p.text for p in document.paragraphs] + cells)
