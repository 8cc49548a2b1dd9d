"""Project-wide response headers.

`NoStoreMiddleware` (ADR 0017): pages and files with personal data must not be kept by the
browser's cache, a shared proxy or the back button after logout. The rule fails closed:
every response is marked `Cache-Control: no-store` (with `Pragma: no-cache` and an `Expires`
in the past for old HTTP/1.0 caches) unless it answers an anonymous request for one of the
public pages listed in PUBLIC_CACHEABLE_URL_NAMES. A file download (an attachment) is always
no-store, whoever asks. Static files never reach this middleware: WhiteNoise, earlier in
MIDDLEWARE, serves them with their own long-lived caching headers.
"""

from django.utils.cache import add_never_cache_headers

# Pages anyone may see without logging in and that hold nothing about a person: the public
# "Find your centre" directory and the help page, and the public keys of verifiable credentials
# (ADR 0040). Add a page here only if that is true of it.
PUBLIC_CACHEABLE_URL_NAMES = frozenset({"directory:list", "directory:detail", "help", "jwks"})


def response_may_be_cached(request, response) -> bool:
    if "attachment" in response.get("Content-Disposition", ""):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    match = getattr(request, "resolver_match", None)
    return match is not None and match.view_name in PUBLIC_CACHEABLE_URL_NAMES


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response_may_be_cached(request, response):
            add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private; Expires
            response["Pragma"] = "no-cache"
        return response
