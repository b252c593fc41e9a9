import shutil

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import Instrument, InstrumentVersion
from assessments.services.library import instrument_upload, library_sync
from cxaudit import instrument_schema as schema
from cxaudit.library import LIBRARY_DIR
from tests.library_samples import private_instrument_yaml

pytestmark = pytest.mark.django_db

BUILT_IN = {
    "service-sales-level",
    "cx-understanding",
    "golding-cx-framework",
    "service-elements",
    "ten-ways",
    "metric-practice",
    "strategy-canvas",
    "journey-map",
    "full-cx-audit",
    "quick-self-check",
}


def test_a_migrated_database_has_the_whole_library():
    keys = set(Instrument.objects.filter(owner=None).values_list("key", flat=True))
    assert keys >= BUILT_IN
    assert not Instrument.objects.filter(owner=None, latest__isnull=True).exists()


def test_loading_again_changes_nothing():
    before = InstrumentVersion.objects.count()
    report = library_sync()
    assert not report.created and not report.updated
    assert InstrumentVersion.objects.count() == before


@pytest.fixture
def library_copy(tmp_path):
    target = tmp_path / "library"
    shutil.copytree(LIBRARY_DIR, target)
    return target


def test_a_changed_file_becomes_a_new_version_and_old_versions_stay(library_copy):
    path = library_copy / "golding-cx-framework.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("weight: 1", "weight: 2", 1)
        if "weight: 1" in text
        else text.replace("scale: yes-no", "scale: yes-no\n        weight: 2", 1),
        encoding="utf-8",
    )
    instrument = Instrument.objects.get(key="golding-cx-framework", owner=None)
    first = instrument.latest
    report = library_sync(directory=library_copy)
    assert report.updated == ["golding-cx-framework"]
    instrument.refresh_from_db()
    assert instrument.latest.number == first.number + 1
    assert InstrumentVersion.objects.filter(pk=first.pk).exists()
    # Formatting alone is not a change.
    path.write_text(path.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    assert library_sync(directory=library_copy).updated == []


def test_a_malformed_library_loads_nothing(library_copy):
    (library_copy / "golding-cx-framework.yaml").write_text(
        (library_copy / "golding-cx-framework.yaml").read_text() + "\nnonsense: [\n",
        encoding="utf-8",
    )
    (library_copy / "cx-understanding.yaml").write_text(
        (library_copy / "cx-understanding.yaml").read_text().replace("yes-no", "maybe", 1),
        encoding="utf-8",
    )
    before = InstrumentVersion.objects.count()
    with pytest.raises(schema.LibraryError) as caught:
        library_sync(directory=library_copy)
    files = {problem.file for problem in caught.value.problems}
    assert {"golding-cx-framework.yaml", "cx-understanding.yaml"} <= files
    assert InstrumentVersion.objects.count() == before


def test_load_instruments_command_fails_loudly(library_copy, monkeypatch):
    from django.core.management import CommandError, call_command

    from assessments.management.commands import load_instruments

    (library_copy / "rules.yaml").write_text("rules: [", encoding="utf-8")
    monkeypatch.setattr(load_instruments, "LIBRARY_DIR", library_copy)
    with pytest.raises(CommandError, match=r"rules\.yaml"):
        call_command("load_instruments", "--check")


def test_export_then_import_gives_an_identical_version(consultancy):
    version, _ = instrument_upload(
        consultancy=consultancy, text=private_instrument_yaml(), filename="a.yaml", by=None
    )
    again, created = instrument_upload(
        consultancy=consultancy, text=version.yaml_text, filename="a.yaml", by=None
    )
    assert not created
    assert again.pk == version.pk
    assert schema.parse_instrument(version.yaml_text, filename="x") == version.parsed


def test_builtin_export_round_trips_exactly():
    for instrument in Instrument.objects.filter(owner=None).select_related("latest"):
        parsed = schema.parse_instrument(instrument.latest.yaml_text, filename=instrument.key)
        assert schema.content_hash(parsed) == instrument.latest.content_hash


def test_private_instruments_are_seen_only_by_their_consultancy(client_for, consultancy):
    instrument_upload(
        consultancy=consultancy, text=private_instrument_yaml(), filename="a.yaml", by=None
    )
    mine = client_for("consultant")
    mine.cookies["cxaudit_language"] = "en"
    rival = client_for("other_consultant")
    rival.cookies["cxaudit_language"] = "en"
    assert "Studio checklist" in mine.get(reverse("assessments:library")).content.decode()
    assert "Studio checklist" not in rival.get(reverse("assessments:library")).content.decode()


def upload(client, text=None, file=None):
    data = {"text": text or ""}
    if file is not None:
        data["file"] = file
    return client.post(reverse("assessments:instrument-upload"), data)


def test_upload_shows_every_problem_and_stores_nothing(client_for):
    broken = (
        private_instrument_yaml()
        .replace("scale: yes-no", "scale: maybe")
        .replace('en: "Basics"', 'en: ""')
    )
    response = upload(client_for("consultant"), text=broken)
    page = response.content.decode()
    assert response.status_code == 200
    assert "pasted.yaml" in page
    assert "sections[0].items[0].scale" in page or "scale" in page
    assert "Файл не сохранён" in page
    assert not Instrument.objects.filter(key="house-checklist").exists()


def test_upload_of_a_file_then_a_changed_file_makes_two_versions(client_for):
    client = client_for("consultant")
    first = SimpleUploadedFile("house.yaml", private_instrument_yaml().encode())
    response = upload(client, file=first)
    instrument = Instrument.objects.get(key="house-checklist")
    assert response.url == reverse("assessments:instrument-detail", args=[instrument.pk])
    upload(client, file=SimpleUploadedFile("house.yaml", private_instrument_yaml(2).encode()))
    instrument.refresh_from_db()
    assert instrument.latest.number == 2
    history = client.get(reverse("assessments:instrument-history", args=[instrument.pk]))
    assert "basics.greeting" in history.content.decode()
    assert "weight" in history.content.decode()


def test_upload_refuses_a_builtin_key(client_for):
    text = private_instrument_yaml().replace("key: house-checklist", "key: ten-ways")
    page = upload(client_for("consultant"), text=text).content.decode()
    assert "built-in" in page
    assert Instrument.objects.filter(key="ten-ways").count() == 1


def test_upload_refuses_non_utf8(client_for):
    file = SimpleUploadedFile("cp.yaml", "ключ: значение".encode("cp1251"))
    page = upload(client_for("consultant"), file=file).content.decode()
    assert "UTF-8" in page


def test_download_is_the_stored_yaml(client_for):
    instrument = Instrument.objects.get(key="ten-ways", owner=None)
    response = client_for("staff").get(
        reverse("assessments:instrument-download", args=[instrument.pk, instrument.latest.number])
    )
    assert response["Content-Disposition"].startswith("attachment")
    assert response.content.decode() == instrument.latest.yaml_text


@pytest.mark.parametrize("key", sorted(BUILT_IN))
def test_every_builtin_instrument_previews(client_for, key, django_assert_max_num_queries):
    instrument = Instrument.objects.get(key=key, owner=None)
    client = client_for("manager")
    with django_assert_max_num_queries(8):
        response = client.get(reverse("assessments:instrument-detail", args=[instrument.pk]))
    assert response.status_code == 200
    assert instrument.latest.title_ru in response.content.decode()


def test_library_query_count_is_bounded(client_for, django_assert_max_num_queries):
    client = client_for("consultant")
    with django_assert_max_num_queries(6):
        client.get(reverse("assessments:library"))


def test_library_filters_by_kind(client_for):
    page = client_for("manager").get(reverse("assessments:library") + "?kind=template")
    titles = [i.key for i in page.context["instruments"]]
    assert sorted(titles) == ["full-cx-audit", "quick-self-check"]


def test_admin_edit_creates_a_new_version(admin_client, consultancy):
    version, _ = instrument_upload(
        consultancy=consultancy, text=private_instrument_yaml(), filename="a.yaml", by=None
    )
    instrument = version.instrument
    response = admin_client.post(
        reverse("admin:assessments_instrument_change", args=[instrument.pk]),
        {
            "owner": consultancy.pk,
            "yaml_text": private_instrument_yaml(3),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    instrument.refresh_from_db()
    assert instrument.latest.number == 2
    assert instrument.latest.origin == "admin"
