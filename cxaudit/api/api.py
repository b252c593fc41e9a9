"""The NinjaAPI of ``/api/v1/``: its routers, error handlers, schema and docs.

The interactive docs use django-ninja's bundled Swagger UI files ("ninja" in
INSTALLED_APPS): no CDN, so they work on a closed network and under our CSP."""

from django.views.decorators.http import require_safe
from ninja import NinjaAPI

from . import errors
from .endpoints import audits, companies, metrics, responses, surveys

api = NinjaAPI(
    title="CX Audit API",
    version="1",
    description=(
        "Survey results, audits and business metrics of one company, for BI tools; survey "
        "answers from the company's own website and systems. Authenticate with a company's "
        "API token: `Authorization: Bearer cxa_…`. Errors are JSON `{code, message}`."
    ),
    urls_namespace="api-v1",
    docs_url="/docs",
    openapi_url="/openapi.json",
    docs_decorator=require_safe,
)
errors.install(api)
api.add_router("/", companies.router)
api.add_router("/", surveys.router)
api.add_router("/", responses.router)
api.add_router("/", audits.router)
api.add_router("/", metrics.router)


def urls():
    """The API's URL patterns. Its messages follow the client's Accept-Language (Russian
    without one), as the respondents' pages do: a token has no profile or cookie."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        setattr(pattern.callback, "use_browser_language", True)  # noqa: B010
    return patterns, app_name, namespace
