from django.apps import AppConfig


class CxAuditConfig(AppConfig):
    """The project itself as an app, for what spans every app: the demo command."""

    name = "cxaudit"
    verbose_name = "CX Audit"
