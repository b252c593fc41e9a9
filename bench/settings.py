"""Settings of `make bench`: the site's own settings plus the baseline views' URLconf.

Everything else comes from the environment that ``bench/run.py`` sets (production-like:
DEBUG off, a secret key, plain HTTP on loopback), so the measured site is the real one.
"""

from cxaudit.settings import *  # noqa: F403
from cxaudit.settings import CACHES, REDIS_URL

ROOT_URLCONF = "bench.urls"

# Every request comes from 127.0.0.1: the per-client submit limit would stop the load after
# 30 answers. The limiter still runs on every submit (same cache work), it only never trips.
SURVEY_RATE_LIMIT = 10**9

if REDIS_URL:
    # Shared Redis: keep the bench's cache keys and task queue apart from the developer's.
    CACHES["default"]["KEY_PREFIX"] = "cxaudit-bench"
    CELERY_TASK_DEFAULT_QUEUE = "cxaudit-bench"

# Pages render the same hashed URLs from the manifest; only whitenoise's pre-compression of
# every static file (20 s of `collectstatic`, and no page timed here serves a static file)
# is left out.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
