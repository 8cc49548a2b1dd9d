"""The site's front door: home, choosing a centre, registering, the welcome link and help.
Included at the root by `config/urls.py`, without a namespace (the names predate the split)."""

from django.urls import path

from centres.views import core, registration
from centres.views import help as help_views

urlpatterns = [
    path("", core.home, name="home"),
    path("choose-centre/", core.choose_centre, name="choose_centre"),
    path("notices/<uuid:notice_id>/dismiss/", core.notice_dismiss, name="notice_dismiss"),
    path("register/", registration.register_choose_centre, name="register_choose_centre"),
    path("register/done/", registration.register_done, name="register_done"),
    path("register/<str:code>/", registration.register, name="register"),
    path("welcome/<str:token>/", registration.welcome, name="welcome"),
    path("welcome/<str:token>/new-link/", registration.welcome_new_link, name="welcome_new_link"),
    path("help/", help_views.help_page, name="help"),
]
