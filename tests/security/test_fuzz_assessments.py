"""Fuzzing with hypothesis: arbitrary input to the answer endpoint, the company and
invitation forms and the library upload is answered without a server error, and input
that is refused stores nothing.

Examples are few (the suite stays fast) and run inside one test's transaction, so state
accumulates across examples exactly as it would for one persistent attacker.
"""

from datetime import date

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.models import Answer, Audit, InstrumentVersion
from cxaudit.accounts.models import Invitation, Organisation
from tests.security.conftest import changed_tables, login, snapshot

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)

# Text that tends to break things: NUL and other control characters, surrogate-free
# unicode, markup, huge numbers, numbers in other notations, very long strings.
nasty_text = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=30),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "1\x00",
            "\x1b[31m",
            "-1",
            "0",
            "1",
            "2",
            "3",
            "10",
            "11",
            "99999999999999999999",
            "-32769",
            "1e309",
            "nan",
            "inf",
            "1,5",
            "١",  # Arabic-Indic digit one: int() accepts it
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "x" * 6000,
        ]
    ),
)


@pytest.fixture
def fuzz_audit(world, actors):
    """An open audit with every instrument of the full template: every answer scale."""
    from assessments.services.audits import audit_create

    audit = audit_create(
        company=world["company"],
        by=actors["consultant"],
        by_role="consultant",
        title="Fuzz",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 3, 31),
        instrument_keys=["full-cx-audit"],
    )
    items, seen = [], set()
    for pinned in audit.instruments.select_related("version"):
        for _section, item in pinned.version.parsed.items():
            if item.scale not in seen or len(items) < 12:
                seen.add(item.scale)
                items.append((pinned.pk, item.key))
    return audit, items


def _answer_state(audit):
    return sorted(
        Answer.objects.filter(audit_instrument__audit=audit).values_list(
            "participant_id",
            "audit_instrument_id",
            "item_key",
            "value",
            "text",
            "is_na",
            "comment",
            "revision",
        )
    )


def test_answer_endpoint_survives_arbitrary_input(fuzz_audit, actors):
    audit, items = fuzz_audit
    client = login(actors["consultant"])

    @FUZZ
    @given(
        target=st.sampled_from(items),
        item_override=st.one_of(st.none(), st.text(min_size=1, max_size=20)),
        values=st.lists(nasty_text, max_size=3),
        text=nasty_text,
        is_na=st.sampled_from(["", "1", "0", "on", "true", "\x00"]),
        comment=nasty_text,
        revision=nasty_text,
        tab=nasty_text,
        htmx=st.booleans(),
    )
    def attempt(target, item_override, values, text, is_na, comment, revision, tab, htmx):
        pinned_pk, item_key = target
        if item_override is not None:
            item_key = item_override.replace("/", "")
            if not item_key:
                return
        url = reverse("assessments:answer-save", args=[audit.pk, pinned_pk, item_key])
        before = _answer_state(audit)
        response = client.post(
            url,
            {
                "value": values,
                "text": text,
                "is_na": is_na,
                "comment": comment,
                "revision": revision,
                "tab": tab,
            },
            headers={"HX-Request": "true"} if htmx else {},
        )
        assert response.status_code in (200, 302, 404)
        after = _answer_state(audit)
        if response.status_code == 404:
            assert after == before
        elif htmx and response["X-Answer-Status"] in ("400", "409"):
            assert after == before, "a refused answer changed what is stored"
        elif htmx:
            assert response["X-Answer-Status"] == "200"
            changed = [row for row in after if row not in before]
            assert len(changed) == 1
            stored = changed[0]
            assert len(stored[4]) <= 5000 and len(stored[6]) <= 5000
            assert "\x00" not in stored[4] + stored[6], "a NUL character was stored"

    attempt()


@pytest.mark.parametrize("field", ["comment", "text", "tab"])
def test_nul_characters_are_never_stored_in_answers(fuzz_audit, actors, field):
    """PostgreSQL refuses NUL in text columns (a 500); no backend should keep them."""
    audit, items = fuzz_audit
    text_items = [
        (pk, key)
        for pk, key in items
        if audit.instruments.get(pk=pk).version.parsed.item(key).scale == "text"
    ]
    pinned_pk, item_key = text_items[0] if field == "text" else items[0]
    client = login(actors["consultant"])
    response = client.post(
        reverse("assessments:answer-save", args=[audit.pk, pinned_pk, item_key]),
        {"value": "1", field: "before\x00after"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    stored = Answer.objects.filter(audit_instrument_id=pinned_pk, item_key=item_key).first()
    column = "saved_from" if field == "tab" else field
    assert stored is None or "\x00" not in getattr(stored, column)


def test_company_create_survives_arbitrary_input(world, actors):
    client = login(actors["consultant"])
    own = world["company"].parent.pk

    @FUZZ
    @given(
        name=nasty_text,
        industry=nasty_text,
        parent=st.one_of(st.just(str(own)), nasty_text, st.integers().map(str)),
    )
    def attempt(name, industry, parent):
        before = Organisation.objects.count()
        response = client.post(
            reverse("accounts:company-create"),
            {"name": name, "industry": industry, "parent": parent},
        )
        assert response.status_code in (200, 302)
        if response.status_code == 200:
            assert Organisation.objects.count() == before
        else:
            created = Organisation.objects.order_by("-pk").first()
            assert created.parent_id == own
            assert created.name.strip() and "\x00" not in created.name + created.industry

    attempt()


def test_invitation_form_survives_arbitrary_input(world, actors):
    client = login(actors["manager"])
    url = reverse("accounts:invitation-create", args=[world["company"].pk])

    @FUZZ
    @given(
        email=st.one_of(st.emails().map(lambda e: e[:200]), nasty_text),
        role=st.one_of(st.sampled_from(["manager", "staff", "consultant"]), nasty_text),
        language=st.one_of(st.sampled_from(["ru", "en"]), nasty_text),
    )
    def attempt(email, role, language):
        before = set(Invitation.objects.values_list("pk", flat=True))
        response = client.post(url, {"email": email, "role": role, "language": language})
        assert response.status_code in (200, 302)
        new = Invitation.objects.exclude(pk__in=before)
        if response.status_code == 200:
            assert not new.exists()
        else:
            invitation = new.get()
            assert invitation.role in ("manager", "staff")
            assert invitation.language in ("ru", "en")
            assert invitation.organisation_id == world["company"].pk

    attempt()


YAML_FRAGMENTS = st.sampled_from(
    [
        "key: x\n",
        "version: 1\n",
        "version: -1\n",
        "version: 99999999999999999999\n",
        "kind: checklist\n",
        "kind: template\nincludes: [golding-cx-framework, nope]\n",
        "title: {ru: a, en: b}\n",
        "sections: []\n",
        "sections:\n  - key: s\n    title: {ru: a, en: a}\n    items: []\n",
        "!!python/object/apply:os.system ['echo pwned']\n",
        "a: &a [x, x]\nb: [*a, *a]\n",
        "? [complex, key]\n: value\n",
        "key: x\nkey: y\n",
        "\t- bad\n",
        "\x00\n",
        "--- \n--- \n",
    ]
)


def test_library_upload_survives_arbitrary_text(world, actors):
    client = login(actors["consultant"])

    @FUZZ
    @given(
        text=st.one_of(
            st.text(max_size=300),
            st.lists(YAML_FRAGMENTS, min_size=1, max_size=6).map("".join),
        )
    )
    def attempt(text):
        before = InstrumentVersion.objects.count()
        response = client.post(reverse("assessments:instrument-upload"), {"text": text})
        assert response.status_code in (200, 302)
        if response.status_code == 200:
            assert InstrumentVersion.objects.count() == before

    attempt()


@pytest.mark.parametrize("text", ["\x1b", "key: x\x07\nversion: 1\n", "\ufffe"])
def test_library_upload_refuses_control_characters_with_a_message(world, actors, text):
    client = login(actors["consultant"])
    response = client.post(reverse("assessments:instrument-upload"), {"text": text})
    assert response.status_code == 200


def test_library_upload_of_a_python_tag_executes_nothing(world, actors, tmp_path):
    marker = tmp_path / "pwned"
    text = f"key: !!python/object/apply:os.system ['touch {marker}']\nversion: 1\n"
    client = login(actors["consultant"])
    response = client.post(reverse("assessments:instrument-upload"), {"text": text})
    assert response.status_code == 200
    assert not marker.exists()


def test_library_upload_of_an_alias_bomb_is_refused_quickly(world, actors):
    import time

    lines = ['b0: &b0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"b{i}: &b{i} [" + ",".join([f"*b{i - 1}"] * 10) + "]" for i in range(1, 9)]
    text = "\n".join(lines) + "\nkey: bomb\nversion: 1\nkind: checklist\nsource: *b8\n"
    client = login(actors["consultant"])
    before = snapshot()
    started = time.monotonic()
    response = client.post(reverse("assessments:instrument-upload"), {"text": text})
    assert time.monotonic() - started < 5
    assert response.status_code == 200
    assert changed_tables(before, snapshot()) == []


def test_library_upload_file_survives_binary_and_oversized_files(world, actors):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(actors["consultant"])
    before = InstrumentVersion.objects.count()
    for name, content in [
        ("x.yaml", b"\xff\xfe\x00binary"),
        ("x.yaml", b"key: x\n" + b"#" * (600 * 1024)),
        ("x.yaml", b""),
    ]:
        response = client.post(
            reverse("assessments:instrument-upload"),
            {"file": SimpleUploadedFile(name, content, content_type="application/yaml")},
        )
        assert response.status_code == 200, name
    assert InstrumentVersion.objects.count() == before
    assert Audit.objects.filter(title="never").count() == 0
