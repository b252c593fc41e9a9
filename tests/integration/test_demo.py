import pytest
from django.core.management import CommandError, call_command

from assessments.models import Audit
from cxaudit.metrics.models import MetricPeriod
from surveys.models import Response, Survey

pytestmark = pytest.mark.django_db


def test_demo_is_loaded_only_with_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("demo")


def test_demo_loads_everything_and_running_it_twice_is_safe(settings, capsys):
    settings.DEBUG = True
    call_command("demo")
    call_command("demo")
    assert Audit.objects.count() == 2
    assert Survey.objects.count() == 2
    assert Response.objects.count() > 100
    assert MetricPeriod.objects.count() == 2
    assert "consultant@demo.cxaudit" in capsys.readouterr().out
