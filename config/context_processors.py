"""Values every page needs: the current centre and the navigation."""

from centres.middleware import SEVERAL_CENTRES_KEY
from centres.navigation import navigation_for


def platform(request) -> dict:
    return {
        "centre": getattr(request, "centre", None),
        "several_centres": request.session.get(SEVERAL_CENTRES_KEY, False) if hasattr(request, "session") else False,
        "navigation": navigation_for(request),
    }
