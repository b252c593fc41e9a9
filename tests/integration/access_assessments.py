from assessments.models import Instrument
from tests.integration.access import signed_in

CONSULTANTS_ONLY = {
    "consultant": 200,
    "other_consultant": 200,
    "manager": 404,
    "staff": 404,
    "other_staff": 404,
    "anonymous": 302,
}
PRIVATE_TO_CONSULTANCY = {**CONSULTANTS_ONLY, "other_consultant": 404}

MATRIX = {
    "assessments:library": (lambda w: [], signed_in(200)),
    "assessments:instrument-upload": (lambda w: [], CONSULTANTS_ONLY),
    "assessments:instrument-detail": (lambda w: [w["builtin"].pk], signed_in(200)),
    "assessments:instrument-version": (lambda w: [w["private"].pk, 1], PRIVATE_TO_CONSULTANCY),
    "assessments:instrument-history": (lambda w: [w["private"].pk], PRIVATE_TO_CONSULTANCY),
    "assessments:instrument-download": (
        lambda w: [w["builtin"].pk, w["builtin"].latest.number],
        signed_in(200),
    ),
}

POST = {
    "assessments:instrument-upload": CONSULTANTS_ONLY,
}


def build_world(world):
    from assessments.services.library import instrument_upload
    from tests.library_samples import private_instrument_yaml

    version, _created = instrument_upload(
        consultancy=world["company"].parent,
        text=private_instrument_yaml(),
        filename="house.yaml",
        by=None,
    )
    return {
        "builtin": Instrument.objects.get(key="golding-cx-framework", owner=None),
        "private": version.instrument,
    }
