"""NUL characters never reach a view: PostgreSQL refuses them in text ("text fields cannot
contain NUL (0x00) bytes"), so a `%00` typed or pasted into any search box (the referral list,
welcome emails, ...) was a 500. They are stripped from every query-string and form value; no
field of this service has a use for them."""

from django.http import QueryDict

NUL = "\x00"


def _without_nul(data: QueryDict) -> QueryDict | None:
    if not any(NUL in key or any(NUL in value for value in values) for key, values in data.lists()):
        return None
    cleaned = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        cleaned.setlist(key.replace(NUL, ""), [value.replace(NUL, "") for value in values])
    cleaned._mutable = False
    return cleaned


class StripNulCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "%00" in request.META.get("QUERY_STRING", ""):
            cleaned = _without_nul(request.GET)
            if cleaned is not None:
                request.GET = cleaned
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            cleaned = _without_nul(request.POST)
            if cleaned is not None:
                request.POST = cleaned
        return self.get_response(request)
