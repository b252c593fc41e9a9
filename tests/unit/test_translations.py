"""The Russian catalogue is complete: no untranslated and no fuzzy entries."""

from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(ROOT.glob("locale/*/LC_MESSAGES/django.po"))


def test_there_is_a_russian_catalogue():
    assert ROOT / "locale/ru/LC_MESSAGES/django.po" in CATALOGUES


def test_every_message_is_translated_and_none_is_fuzzy():
    for path in CATALOGUES:
        with path.open("rb") as handle:
            catalogue = read_po(handle, locale="ru")
        untranslated = [
            message.id
            for message in catalogue
            if message.id
            and (
                not message.string
                or (isinstance(message.string, tuple) and not all(message.string))
            )
        ]
        fuzzy = [message.id for message in catalogue if message.id and message.fuzzy]
        assert not untranslated, f"{path}: untranslated {untranslated[:10]}"
        assert not fuzzy, f"{path}: fuzzy {fuzzy[:10]}"
        assert not catalogue.fuzzy, f"{path}: the header is marked fuzzy"


def test_every_translation_keeps_its_placeholders():
    for path in CATALOGUES:
        with path.open("rb") as handle:
            catalogue = read_po(handle, locale="ru")
        problems = [
            (message.id, [str(error) for error in errors]) for message, errors in catalogue.check()
        ]
        assert not problems, f"{path}: {problems[:5]}"


def test_no_full_stop_after_a_russian_date():
    """Russian dates end with «г.» (31 декабря 2026 г.): a full stop after one doubles it."""
    dates = ("date", "closes", "opens", "day")
    with (ROOT / "locale/ru/LC_MESSAGES/django.po").open("rb") as handle:
        catalogue = read_po(handle, locale="ru")
    doubled = [
        message.string
        for message in catalogue
        if isinstance(message.string, str)
        and any(f"%({name})s." in message.string for name in dates)
    ]
    assert not doubled


def _entries(text: str):
    """(context, id) of each entry of a .po file, as written (continuation lines joined)."""
    for block in text.split("\n\n"):
        fields: dict[str, str] = {}
        current = None
        for line in block.splitlines():
            if line.startswith(("msgctxt ", "msgid ")):
                current, _space, quoted = line.partition(" ")
                fields[current] = quoted.strip('"')
            elif line.startswith('"') and current:
                fields[current] += line.strip('"')
            elif line.startswith(("msgstr", "msgid_plural")):
                current = None
        if fields.get("msgid"):
            yield fields.get("msgctxt"), fields["msgid"]


def test_no_message_is_written_twice():
    """Babel keeps one of two entries with the same id silently; gettext refuses the file."""
    for path in CATALOGUES:
        seen: dict = {}
        for entry in _entries(path.read_text(encoding="utf-8")):
            seen[entry] = seen.get(entry, 0) + 1
        assert not [entry for entry, count in seen.items() if count > 1], path
