"""Interface language: the visitor's choice (cookie), else the user's profile, else Russian.

Django's LocaleMiddleware would follow the browser's Accept-Language header; the product's
default is Russian, so staff pages only follow the browser when a view asks for it (public
survey pages do, through ``request.use_browser_language``).
"""

from django.conf import settings
from django.utils import translation

SUPPORTED = {code for code, _name in settings.LANGUAGES}


def language_for(request) -> str:
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if cookie in SUPPORTED:
        return cookie
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.language in SUPPORTED:
        return user.language
    if getattr(request, "use_browser_language", False):
        browser = translation.get_language_from_request(request)
        if browser in SUPPORTED:
            return browser
    return settings.LANGUAGE_CODE


class LanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The user is not known yet at this point of the stack; activate again in process_view.
        translation.activate(language_for(request))
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "use_browser_language", False):
            request.use_browser_language = True
        translation.activate(language_for(request))
        request.LANGUAGE_CODE = translation.get_language()
