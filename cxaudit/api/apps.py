from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "cxaudit.api"
    label = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        from cxaudit import events

        from .services.webhooks import webhook_event_listener

        events.listen(webhook_event_listener)  # business events become webhook deliveries
