"""Every message the Word report writes is in the Russian catalogue, spelled as there: the
renderer calls gettext itself, so a typo would leave English in a Russian document."""

from pathlib import Path

from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "cxaudit" / "reports" / "docx"


def catalogue():
    with (ROOT / "locale/ru/LC_MESSAGES/django.po").open("rb") as handle:
        return read_po(handle, locale="ru")


def messages():
    for path in sorted(PACKAGE.glob("*.py")):
        for line, message, _comments, context in extract_from_file("python", str(path)):
            yield path.name, line, message, context


def test_the_renderer_uses_messages():
    assert len(list(messages())) > 100


def test_every_message_of_the_word_report_is_translated():
    russian = catalogue()
    missing = []
    for name, line, message, context in messages():
        singular = message[0] if isinstance(message, tuple) else message
        entry = russian.get(singular, context=context)
        translated = entry is not None and (
            all(entry.string) if isinstance(entry.string, tuple) else bool(entry.string)
        )
        if not translated:
            missing.append(f"{name}:{line} {singular[:60]}")
    assert not missing, missing
