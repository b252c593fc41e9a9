"""Writing the instrument library: sync the built-in files, upload private instruments.

A version's content never changes once stored. New content under an existing key becomes
the next version (or the file's own, higher, version number); unchanged content is a no-op.
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from cxaudit import instrument_schema as schema
from cxaudit.accounts.models import Organisation

from ..models import Instrument, InstrumentVersion, VersionOrigin
from ..rule_texts import LIBRARY_DIR, rule_catalogue

UPLOAD_MAX_BYTES = 512 * 1024


@dataclass
class SyncReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def _store(
    *, instrument: Instrument, parsed: schema.Instrument, origin: str, by=None
) -> tuple[InstrumentVersion, bool]:
    """Store ``parsed`` as the instrument's next version unless it equals the latest."""
    latest = instrument.versions.order_by("-number").first()
    if latest is not None:
        same_number = parsed.model_copy(update={"version": latest.number})
        if schema.content_hash(same_number) == latest.content_hash:
            return latest, False
        number = max(latest.number + 1, parsed.version)
    else:
        number = parsed.version
    stored = parsed.model_copy(update={"version": number})
    version = InstrumentVersion.objects.create(
        instrument=instrument,
        number=number,
        document=stored.model_dump(mode="json"),
        yaml_text=schema.dump_instrument(stored),
        content_hash=schema.content_hash(stored),
        title_ru=stored.title.ru,
        title_en=stored.title.en,
        origin=origin,
        created_by=by,
    )
    instrument.kind = stored.kind
    instrument.latest = version
    instrument.save(update_fields=["kind", "latest"])
    return version, True


@transaction.atomic
def library_sync(*, directory: Path = LIBRARY_DIR) -> SyncReport:
    """Load every built-in file; a malformed library raises LibraryError and loads nothing."""
    library = schema.load_library(directory)
    report = SyncReport()
    for key, parsed in sorted(library.instruments.items()):
        instrument, created = Instrument.objects.get_or_create(
            key=key, owner=None, defaults={"kind": parsed.kind}
        )
        _version, changed = _store(
            instrument=instrument, parsed=parsed, origin=VersionOrigin.LIBRARY
        )
        if created:
            report.created.append(key)
        elif changed:
            report.updated.append(key)
        else:
            report.unchanged.append(key)
    rule_catalogue.cache_clear()
    return report


def _check_includes(parsed: schema.Instrument, *, consultancy: Organisation, filename: str):
    available = set(
        Instrument.objects.filter(owner__isnull=True).values_list("key", flat=True)
    ) | set(Instrument.objects.filter(owner=consultancy).values_list("key", flat=True))
    problems = [
        schema.Problem(filename, f"includes[{index}]", f"unknown instrument '{key}'")
        for index, key in enumerate(parsed.includes)
        if key not in available
    ]
    if problems:
        raise schema.LibraryError(problems)


def instrument_check(*, consultancy: Organisation, text: str, filename: str) -> schema.Instrument:
    """Validate a consultancy's instrument file without storing it (raises LibraryError)."""
    parsed = schema.parse_instrument(text, filename=filename, rule_ids=rule_catalogue().ids)
    if Instrument.objects.filter(owner__isnull=True, key=parsed.key).exists():
        raise schema.LibraryError(
            [
                schema.Problem(
                    filename,
                    "key",
                    f"'{parsed.key}' is the key of a built-in instrument; choose another key",
                )
            ]
        )
    _check_includes(parsed, consultancy=consultancy, filename=filename)
    return parsed


@transaction.atomic
def instrument_upload(
    *, consultancy: Organisation, text: str, filename: str, by, origin=VersionOrigin.UPLOAD
) -> tuple[InstrumentVersion, bool]:
    """Validate and store a consultancy's private instrument; all-or-nothing."""
    parsed = instrument_check(consultancy=consultancy, text=text, filename=filename)
    instrument, _created = Instrument.objects.get_or_create(
        key=parsed.key, owner=consultancy, defaults={"kind": parsed.kind}
    )
    return _store(instrument=instrument, parsed=parsed, origin=origin, by=by)


def upload_text(raw: bytes, *, filename: str) -> str:
    """Decode an uploaded file, refusing what is too large or not UTF-8 (clear messages)."""
    if len(raw) > UPLOAD_MAX_BYTES:
        raise schema.LibraryError(
            [schema.Problem(filename, schema.DOCUMENT, _("the file is larger than 512 KB"))]
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise schema.LibraryError(
            [schema.Problem(filename, schema.DOCUMENT, _("the file is not valid UTF-8 text"))]
        ) from error
