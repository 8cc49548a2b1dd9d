"""The project's URLs and error handlers, plus /fail-on-purpose/ (an unhandled exception)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from config.urls import handler400, handler403, handler404, handler500, urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


@login_not_required  # an anonymous request, as a failing public page would get
def fail_on_purpose(request):
    raise RuntimeError("the production page check's deliberate failure")


urlpatterns = [path("fail-on-purpose/", fail_on_purpose, name="fail_on_purpose"), *urlpatterns]
