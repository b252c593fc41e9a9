"""The built-in library is loaded by an explicit step, ``load_instruments``, not as a side
effect of ``migrate``: ``make run``, a deploy, the bench and the test set-up run it."""

import io

import pytest
from django.core.management import call_command

from assessments.models import Instrument
from assessments.services.library import LIBRARY_DIR
from cxaudit import instrument_schema as schema

pytestmark = pytest.mark.django_db


def _library_keys() -> set[str]:
    return set(Instrument.objects.filter(owner=None).values_list("key", flat=True))


def test_the_test_database_has_the_library_as_a_fresh_install_does():
    assert _library_keys() == set(schema.load_library(LIBRARY_DIR).instruments)


def test_migrate_does_not_load_the_library_and_the_command_does():
    Instrument.objects.filter(owner=None).delete()
    call_command("migrate", verbosity=0)
    assert _library_keys() == set()
    call_command("load_instruments", verbosity=0)
    assert _library_keys() == set(schema.load_library(LIBRARY_DIR).instruments)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("turn", ["first", "second, after the first one's flush"])
def test_transactional_tests_have_the_library_after_a_flush(turn):
    assert _library_keys() == set(schema.load_library(LIBRARY_DIR).instruments)


def test_the_command_says_what_it_did_unless_told_to_be_quiet():
    told, quiet = io.StringIO(), io.StringIO()
    call_command("load_instruments", stdout=told)
    call_command("load_instruments", stdout=quiet, verbosity=0)
    assert told.getvalue().startswith("unchanged: ")
    assert quiet.getvalue() == ""
