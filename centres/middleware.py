"""Sets `request.centre`, the centre chosen after login, re-checked on every request, and
`request.centre_access`, the person's access there (built once, when first read)."""

from django.utils.functional import SimpleLazyObject

from centres.access import centre_access_build
from centres.models import Centre
from centres.selectors.memberships import usable_centre

SESSION_KEY = "centre_id"
# True when the person may switch to another centre (shows "change centre").
SEVERAL_CENTRES_KEY = "several_centres"


def _access_set(request) -> None:
    request.centre_access = SimpleLazyObject(lambda: centre_access_build(user=request.user, centre=request.centre))
    if request.centre is not None and request.user.is_authenticated:
        # `request.user.has_perm(perm, request.centre)` (services, home sections) answers from
        # this same access: one role query per request however many checks.
        request.user.request_centre_access = (request.centre.pk, request.centre_access)


class CurrentCentreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.centre = None
        centre_id = request.session.get(SESSION_KEY) if request.user.is_authenticated else None
        if centre_id is not None:
            request.centre = usable_centre(user=request.user, centre_id=centre_id)
            if request.centre is None:
                # Membership deactivated, role revoked or centre closed since the last request.
                del request.session[SESSION_KEY]
        _access_set(request)
        return self.get_response(request)


def centre_select(request, centre: Centre, *, several: bool = False) -> None:
    request.session[SESSION_KEY] = centre.pk
    request.session[SEVERAL_CENTRES_KEY] = several
    request.centre = centre
    _access_set(request)
