"""The site's URLs plus the baselines of `make bench`.

``hello`` is the cheapest page Django can serve through the site's middleware; ``insert`` is
a bare view storing one row with a single raw SQL statement (table ``bench_row``, created by
``bench/run.py``). Both sit behind the same middleware stack (sessions, CSRF, CSP, axes…) as
the pages they are compared with, so a ratio shows what our own code adds.
"""

import secrets

from django.db import connection
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import include, path
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST


def hello(request):
    return HttpResponse("Hello, world", content_type="text/plain")


@never_cache
@require_POST
def insert(request):
    token = request.POST.get("token") or secrets.token_urlsafe(24)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_row (token, created_on, value) VALUES (%s, %s, %s)",
            [token[:64], timezone.localdate(), int(request.POST.get("value") or 0)],
        )
    return HttpResponseRedirect("/bench/hello/")


urlpatterns = [
    path("bench/hello/", hello, name="bench-hello"),
    path("bench/insert/", insert, name="bench-insert"),
    path("", include("cxaudit.urls")),
]
