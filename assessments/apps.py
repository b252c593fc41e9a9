from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    """The built-in instrument library is loaded by ``manage.py load_instruments``, run
    after ``migrate`` by ``make run``, a deploy, the bench and the test set-up."""

    name = "assessments"
    verbose_name = _("Assessments")
