from dataclasses import dataclass

from django.http import Http404

from cxaudit.accounts.models import Organisation

from ..library_diff import Change, instrument_changes
from ..models import Instrument, InstrumentKind, InstrumentVersion


def instrument_list(*, user, kind: str | None = None):
    instruments = (
        Instrument.objects.visible_to(user)
        .filter(latest__isnull=False)
        .select_related("latest", "owner")
        .order_by("owner_id", "kind", "key")
    )
    if kind in InstrumentKind.values:
        instruments = instruments.filter(kind=kind)
    return instruments


def instrument_get(*, user, pk) -> Instrument:
    instrument = (
        Instrument.objects.visible_to(user).select_related("latest", "owner").filter(pk=pk).first()
    )
    if instrument is None or instrument.latest is None:
        raise Http404
    return instrument


def version_get(*, instrument: Instrument, number: int) -> InstrumentVersion:
    version = instrument.versions.filter(number=number).first()
    if version is None:
        raise Http404
    return version


@dataclass(frozen=True)
class VersionHistoryEntry:
    version: InstrumentVersion
    changes: list[Change]


def version_history(*, instrument: Instrument) -> list[VersionHistoryEntry]:
    """Every version, newest first, with what changed since the one before it."""
    versions = list(instrument.versions.select_related("created_by").order_by("number"))
    entries = []
    for previous, current in zip([None, *versions], versions, strict=False):
        changes = instrument_changes(previous.parsed, current.parsed) if previous else []
        entries.append(VersionHistoryEntry(version=current, changes=changes))
    return entries[::-1]


def included_versions(*, user, version: InstrumentVersion) -> list[InstrumentVersion]:
    """For a template, the latest versions of the instruments it bundles, in its order."""
    keys = version.parsed.includes
    if not keys:
        return []
    owner = version.instrument.owner_id
    candidates = (
        Instrument.objects.visible_to(user)
        .filter(key__in=keys, latest__isnull=False)
        .select_related("latest")
    )
    # A private key of the template's own consultancy wins over nothing else: built-in
    # keys cannot be reused by private instruments.
    by_key = {i.key: i.latest for i in candidates if i.owner_id in (None, owner)}
    return [by_key[key] for key in keys if key in by_key]


def authoring_consultancy(*, user) -> Organisation | None:
    """The consultancy a user authors private instruments for (their first one)."""
    return Organisation.objects.consultancies_for(user).order_by("name").first()
