from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _load_library(sender, using, **kwargs):
    """A migrated database always has the built-in library (idempotent)."""
    from .services.library import library_sync

    if using == "default":
        library_sync()


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Assessments")

    def ready(self):
        post_migrate.connect(_load_library, sender=self, dispatch_uid="assessments-library")
