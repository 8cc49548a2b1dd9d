"""Sets `request.centre`: the centre chosen after login, re-checked on every request."""

from centres.models import Centre
from centres.selectors.memberships import usable_centre

SESSION_KEY = "centre_id"
# True when the person may switch to another centre (shows "change centre").
SEVERAL_CENTRES_KEY = "several_centres"


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
        return self.get_response(request)


def centre_select(request, centre: Centre, *, several: bool = False) -> None:
    request.session[SESSION_KEY] = centre.pk
    request.session[SEVERAL_CENTRES_KEY] = several
    request.centre = centre
