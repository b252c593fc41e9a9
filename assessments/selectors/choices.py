"""What the forms that set up an audit offer: instruments to start from, people to invite."""

from cxaudit.accounts.models import Organisation, User
from cxaudit.accounts.selectors import company_members

from ..models import Audit, Instrument, InstrumentKind


def instrument_choices(
    *, company: Organisation
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(templates, instruments) the company's consultancy may start an audit from, as
    (key, title) pairs: the built-in library and its own uploads."""
    instruments = (
        Instrument.objects.for_consultancy(company.parent_id)
        .filter(latest__isnull=False)
        .select_related("latest")
        .order_by("owner_id", "key")
    )
    templates, parts = [], []
    for instrument in instruments:
        pair = (instrument.key, instrument.latest.title)
        (templates if instrument.kind == InstrumentKind.TEMPLATE else parts).append(pair)
    return templates, parts


def participant_candidates(*, audit: Audit) -> list[User]:
    """Company members not yet taking part in the audit."""
    taken = {email.lower() for email in audit.participants.values_list("email", flat=True)}
    return [
        membership.user
        for membership in company_members(company=audit.company)
        if membership.user.email.lower() not in taken
    ]
