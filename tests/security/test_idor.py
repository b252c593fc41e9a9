"""IDOR: object ids in URLs and in form fields never reach another tenant's objects.

Every URL of the access matrix is requested with its arguments taken from a second world,
owned by the other consultancy's client company: all of them at once, and one at a time
(``/audits/<ours>/answer/<theirs>/``). Each variant answers 404 to GET and POST, for the
consultant, the manager and the staff of our company, and no table changes.
"""

import pytest
from django.test import Client
from django.urls import reverse

from assessments.models import ActionItem, Audit, Instrument
from cxaudit.accounts.models import Organisation
from tests.integration.test_permissions import MATRIX, POST
from tests.security.conftest import changed_tables, login, snapshot


def _is_public(name: str) -> bool:
    return MATRIX[name][1]["anonymous"] == 200


def idor_variants(name: str, world: dict, other_world: dict) -> list[list]:
    """Argument lists that mix in the other tenant's objects."""
    build_args, _expected = MATRIX[name]
    ours, theirs = list(build_args(world)), list(build_args(other_world))
    variants = []
    if ours != theirs and not _is_public(name):
        variants.append(theirs)  # all of theirs: the public pages' tokens are meant to work
    if len(ours) > 1:
        for index, (mine, other) in enumerate(zip(ours, theirs, strict=True)):
            if mine != other:
                variants.append([*ours[:index], other, *ours[index + 1 :]])
    return variants


def test_every_url_with_object_ids_is_attacked(world, other_world):
    """Guard: the attack below must cover URLs with ids, not silently find none."""
    attacked = {name for name in MATRIX if idor_variants(name, world, other_world)}
    assert {
        "accounts:company-detail",
        "assessments:answer-save",
        "assessments:evidence-download",
        "assessments:instrument-history",
        "metrics:period-edit",
        "reports:job-download",
        "surveys:respond-channel",
    } <= attacked
    assert len(attacked) >= 40


@pytest.mark.parametrize("role", ["consultant", "manager", "staff"])
def test_other_tenants_ids_in_urls_get_404_and_change_nothing(world, other_world, actors, role):
    client = login(actors[role])
    before = snapshot()
    leaks = []
    for name in sorted(MATRIX):
        if name.startswith(API):
            continue  # a session reaches no API object at all (401): tokens are attacked below
        for args in idor_variants(name, world, other_world):
            url = reverse(name, args=args)
            get_status = client.get(url).status_code
            # POST-only views refuse GET before looking anything up.
            if get_status not in (404, 405) or (get_status == 405 and not _post_only(name)):
                leaks.append(("GET", url, get_status))
            post_status = client.post(url, {"name": "x", "text": "x", "value": "1"}).status_code
            # Read-only views refuse POST before looking anything up.
            if post_status != 404 and not (post_status == 405 and name not in POST):
                leaks.append(("POST", url, post_status))
    assert not leaks, f"another tenant's object was reachable: {leaks}"
    assert changed_tables(before, snapshot()) == []


def _post_only(name: str) -> bool:
    return set(MATRIX[name][1].values()) <= {405, 302}


API = "api-v1:"
API_BODIES = {
    "post": {"submission_token": "x" * 20, "answers": {"nps": 9}},
    "put": {"customers_start": 10},
    "patch": {"notes": "x"},
}


def test_an_api_token_reaches_no_other_tenants_ids(world, other_world):
    """Our company's token (every scope) on every API URL with the other tenant's ids:
    404 for each method the path takes (405 for the others), and nothing changes."""
    from tests.api_factories import api_token, bearer

    client = Client()
    _token, secret = api_token(world["company"])
    headers = bearer(secret)
    client.get("/api/v1/companies", **headers)  # its last use is now written, once a minute
    before = snapshot()
    leaks, attacked = [], set()
    for name in sorted(name for name in MATRIX if name.startswith(API)):
        for args in idor_variants(name, world, other_world):
            url = reverse(name, args=args)
            attacked.add(name)
            statuses = {
                method: getattr(client, method)(
                    url, API_BODIES.get(method), content_type="application/json", **headers
                ).status_code
                for method in ("get", "post", "put", "patch")
            }
            if set(statuses.values()) - {404, 405} or 404 not in statuses.values():
                leaks.append((url, statuses))
    assert not leaks, f"another tenant's object was reachable with a token: {leaks}"
    assert changed_tables(before, snapshot()) == []
    assert {"api-v1:wave_detail", "api-v1:action_change", "api-v1:metric_period_put"} <= attacked


# ----------------------------------------------------------------- ids carried in form fields


def test_company_create_cannot_attach_a_company_to_another_consultancy(world, actors):
    client = login(actors["consultant"])
    rival = world["other_company"].parent
    before = Organisation.objects.count()
    response = client.post(
        reverse("accounts:company-create"), {"name": "Planted", "industry": "", "parent": rival.pk}
    )
    assert response.status_code == 200  # the form again, with an error
    assert Organisation.objects.count() == before
    assert not rival.clients.filter(name="Planted").exists()


def test_participants_cannot_include_another_tenants_member(world, other_world, actors):
    audit = world["audit"]
    stranger = actors["other_staff"]
    client = login(actors["consultant"])
    before = snapshot()
    response = client.post(
        reverse("assessments:participants-add", args=[audit.pk]), {"members": [stranger.pk]}
    )
    assert response.status_code == 200
    assert not audit.participants.filter(user=stranger).exists()
    assert changed_tables(before, snapshot()) == []


def test_participants_service_refuses_a_non_member(world, actors):
    from django.core.exceptions import ValidationError

    from assessments.services.audits import participants_add

    with pytest.raises(ValidationError):
        participants_add(
            audit=world["audit"],
            users=[actors["other_staff"]],
            by=actors["consultant"],
            by_role="consultant",
            language="en",
        )


def test_action_owner_cannot_be_another_tenants_user(world, actors):
    action = world["plan_action"]
    client = login(actors["consultant"])
    response = client.post(
        reverse("assessments:action-edit", args=[action.pk]),
        {
            "title": "Owned by a stranger",
            "owner": actors["other_staff"].pk,
            "status": "planned",
        },
    )
    assert response.status_code == 200
    action.refresh_from_db()
    assert action.owner_id != actors["other_staff"].pk
    assert action.title != "Owned by a stranger"


def test_bulk_accept_ignores_another_audits_recommendations(world, other_world, actors):
    theirs = other_world["plan_recommendation"]
    client = login(actors["consultant"])
    client.post(
        reverse("assessments:recommendation-accept-many", args=[world["plan_audit"].pk]),
        {"ids": [theirs.pk]},
    )
    theirs.refresh_from_db()
    assert theirs.status == "proposed"
    assert (
        not ActionItem.objects.filter(recommendation=theirs)
        .exclude(audit=other_world["plan_audit"])
        .exists()
    )


@pytest.fixture
def rival_instrument(other_world):
    """A private instrument of the other consultancy, under a key ours does not have."""
    from assessments.services.library import instrument_upload
    from tests.library_samples import private_instrument_yaml

    text = private_instrument_yaml().replace("house-checklist", "rival-secret")
    version, _created = instrument_upload(
        consultancy=other_world["company"].parent, text=text, filename="rival.yaml", by=None
    )
    return version.instrument


def test_audit_cannot_use_another_consultancys_private_instrument(world, actors, rival_instrument):
    client = login(actors["consultant"])
    before = Audit.objects.count()
    for field in ("instruments", "template"):
        response = client.post(
            reverse("assessments:audit-create", args=[world["company"].pk]),
            {
                "title": "Borrowed",
                "period_start": "2026-01-01",
                "period_end": "2026-02-01",
                field: rival_instrument.key,
            },
        )
        assert response.status_code == 200, field
    assert Audit.objects.count() == before


def test_audit_service_refuses_another_consultancys_private_instrument(
    world, actors, rival_instrument
):
    from datetime import date

    from django.core.exceptions import ValidationError

    from assessments.services.audits import audit_create

    with pytest.raises(ValidationError):
        audit_create(
            company=world["company"],
            by=actors["consultant"],
            by_role="consultant",
            title="Borrowed",
            period_start=date(2026, 1, 1),
            period_end=date(2026, 2, 1),
            instrument_keys=[rival_instrument.key],
        )


def test_private_instrument_is_invisible_to_another_consultancy(world, actors, rival_instrument):
    client = login(actors["consultant"])
    assert rival_instrument.key not in client.get(reverse("assessments:library")).content.decode()
    for name, args in [
        ("assessments:instrument-detail", [rival_instrument.pk]),
        ("assessments:instrument-history", [rival_instrument.pk]),
        ("assessments:instrument-download", [rival_instrument.pk, 1]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404, name


def test_uploaded_template_cannot_include_another_consultancys_instrument(
    world, actors, rival_instrument
):
    from assessments.services.library import instrument_check
    from cxaudit.instrument_schema import LibraryError

    template = f"""\
key: borrowing-template
version: 1
kind: template
title: {{ru: "Шаблон", en: "Template"}}
description: {{ru: "Описание.", en: "Description."}}
source: "house"
includes: [{rival_instrument.key}]
sections: []
"""
    with pytest.raises(LibraryError):
        instrument_check(consultancy=world["company"].parent, text=template, filename="t.yaml")


def test_an_invitation_cannot_grant_the_consultant_role(world, actors):
    from cxaudit.accounts.models import Invitation

    client = login(actors["manager"])
    client.post(
        reverse("accounts:invitation-create", args=[world["company"].pk]),
        {"email": "climber@example.com", "role": "consultant", "language": "en"},
    )
    assert not Invitation.objects.filter(email="climber@example.com").exists()


def test_staff_cannot_invite(world, actors):
    from cxaudit.accounts.models import Invitation

    client = login(actors["staff"])
    client.post(
        reverse("accounts:invitation-create", args=[world["company"].pk]),
        {"email": "friend@example.com", "role": "staff", "language": "en"},
    )
    assert not Invitation.objects.filter(email="friend@example.com").exists()


def test_instrument_is_unrelated_to_tenant_when_builtin(world, other_world):
    """Built-in instruments are shared: the same row in both worlds (not an IDOR)."""
    assert world["builtin"].pk == other_world["builtin"].pk
    assert Instrument.objects.get(pk=world["builtin"].pk).owner_id is None
