"""CX Audit.

Kept empty on purpose: importing ``cxaudit.<anything>`` must not start Celery or Django
settings, so the pure modules stay importable on their own. The Celery app lives in
``cxaudit.celery``; workers load it with ``celery -A cxaudit.celery`` and Django processes
load it in ``AccountsConfig.ready()`` so that ``shared_task`` uses it.
"""
