"""HTML → PDF with WeasyPrint, used only by workers (STYLE §9).

Documents are rendered against an internal base URL that resolves nothing by itself;
``SafeURLFetcher`` maps ``<base>/static/…`` to our static files and ``<base>/media/…`` to
the default storage, and refuses every other URL (http, https, file, data, ftp…), so a
link in user text is never fetched and a template cannot read the server's files.
"""

from __future__ import annotations

import logging
import mimetypes
import posixpath
import re
import time
from collections.abc import Callable
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage, storages

BASE_URL = "https://report.cxaudit.invalid/"
"""Where documents pretend to live; ``.invalid`` can never resolve (RFC 2606)."""

logger = logging.getLogger(__name__)


class RefusedURL(ValueError):
    """A URL the report renderer does not fetch."""


def _clean_path(path: str) -> str:
    """A relative storage path with no way out of its root, or ``RefusedURL``."""
    path = unquote(path)
    if "\\" in path or "\x00" in path:
        raise RefusedURL(path)
    normalised = posixpath.normpath("/" + path).lstrip("/")
    if normalised != path.lstrip("/") or normalised.startswith("..") or not normalised:
        raise RefusedURL(path)
    return normalised


def _prefix(url_setting: str) -> str:
    """``/static/`` for ``STATIC_URL = "static/"`` (only the path part is used)."""
    path = urlsplit(url_setting).path
    return "/" + path.strip("/") + "/"


def resolve_local(url: str) -> tuple[bytes, str]:
    """The bytes and MIME type behind one of our static or media URLs; refuses the rest."""
    base = urlsplit(BASE_URL)
    parts = urlsplit(url)
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc) or parts.query:
        raise RefusedURL(url)
    static_prefix, media_prefix = _prefix(settings.STATIC_URL), _prefix(settings.MEDIA_URL)
    mime = mimetypes.guess_type(parts.path)[0] or "application/octet-stream"
    if parts.path.startswith(static_prefix):
        name = _clean_path(parts.path[len(static_prefix) :])
        found = finders.find(name)
        if found:
            with open(found, "rb") as handle:
                return handle.read(), mime
        storage = storages["staticfiles"]
        if storage.exists(name):
            with storage.open(name, "rb") as handle:
                return handle.read(), mime
        raise RefusedURL(url)
    if parts.path.startswith(media_prefix):
        name = _clean_path(parts.path[len(media_prefix) :])
        if not default_storage.exists(name):
            raise RefusedURL(url)
        with default_storage.open(name, "rb") as handle:
            return handle.read(), mime
    raise RefusedURL(url)


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class SafeURLFetcher(URLFetcher):
        """Serves our static and media files; any other URL raises and is not fetched."""

        refused: list[str]

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.refused = []

        def fetch(self, url, headers=None):
            try:
                body, mime = resolve_local(url)
            except RefusedURL:
                self.refused.append(url)
                logger.warning("Report renderer refused to fetch %s", url[:200])
                raise
            return URLFetcherResponse(url, body, {"Content-Type": mime})

    return SafeURLFetcher


def safe_url_fetcher():
    """A fresh fetcher (it records the URLs it refused, for tests and logs)."""
    return _fetcher_class()()


Progress = Callable[[str, int], None]

_TRAILING_SPACE = re.compile(r"\s+(</(?:p|td|th|li|div|h[1-6]|caption|section)>)")


def tidy_whitespace(html: str) -> str:
    """Drop the (collapsible) whitespace before block-closing tags. WeasyPrint otherwise
    sometimes breaks a last line that fits exactly, leaving one word alone on a line."""
    return _TRAILING_SPACE.sub(r"\1", html)


class _ProgressHandler(logging.Handler):
    """Turns WeasyPrint's progress log ("Step 5 - Creating layout - Page 7") into progress
    percentages, at most every half second."""

    _STEP = re.compile(r"Step (\d+)(?:.*Page (\d+))?")

    def __init__(self, report: Progress) -> None:
        super().__init__(logging.INFO)
        self.report = report
        self.last = (0, 0.0)

    def emit(self, record: logging.LogRecord) -> None:
        match = self._STEP.match(record.getMessage())
        if not match:
            return
        step, page = int(match[1]), int(match[2] or 0)
        if step < 5:
            stage, percent = "layout", 40
        elif step == 5:
            stage, percent = "layout", 45 + min(35, 2 * page)
        else:
            stage, percent = "writing", 80 + min(10, 5 * (step - 5))
        now = time.monotonic()
        if percent > self.last[0] and now - self.last[1] >= 0.5:
            self.last = (percent, now)
            self.report(stage, percent)


def html_to_pdf(
    html: str, *, on_progress: Progress | None = None, fetcher=None
) -> tuple[bytes, int]:
    """Render ``html`` to PDF bytes with the safe fetcher; returns them and the page count."""
    from weasyprint import HTML
    from weasyprint.logger import PROGRESS_LOGGER

    report = on_progress or (lambda stage, percent: None)
    fetcher = fetcher or safe_url_fetcher()
    handler = _ProgressHandler(report)
    propagate, level = PROGRESS_LOGGER.propagate, PROGRESS_LOGGER.level
    PROGRESS_LOGGER.addHandler(handler)
    PROGRESS_LOGGER.propagate = False  # keep "Step 5 - Page 3" out of the worker's log
    PROGRESS_LOGGER.setLevel(logging.INFO)
    try:
        report("layout", 40)
        document = HTML(
            string=tidy_whitespace(html), base_url=BASE_URL, url_fetcher=fetcher
        ).render()
        report("writing", 80)
        data = document.write_pdf()
    finally:
        PROGRESS_LOGGER.removeHandler(handler)
        PROGRESS_LOGGER.propagate, PROGRESS_LOGGER.level = propagate, level
    return data, len(document.pages)
