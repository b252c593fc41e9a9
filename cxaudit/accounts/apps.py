from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "cxaudit.accounts"
    label = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self):
        # Every Django process (web, management commands, tests) gets the project's Celery
        # app as the current app, so ``shared_task(...).delay()`` sends to its broker.
        from cxaudit import celery  # noqa: F401
