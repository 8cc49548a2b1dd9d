from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from centres.views import core as centre_views
from centres.views import help as help_views
from centres.views import registration as registration_views
from config.health import health

urlpatterns = [
    path("", centre_views.home, name="home"),
    path("choose-centre/", centre_views.choose_centre, name="choose_centre"),
    path("register/", registration_views.register_choose_centre, name="register_choose_centre"),
    path("register/done/", registration_views.register_done, name="register_done"),
    path("register/<str:code>/", registration_views.register, name="register"),
    path("welcome/<str:token>/", registration_views.welcome, name="welcome"),
    path("welcome/<str:token>/new-link/", registration_views.welcome_new_link, name="welcome_new_link"),
    path("accounts/", include("accounts.urls")),
    path("centre/", include("centres.urls")),
    path("reports/", include("reporting.urls")),
    path("passports/", include("passports.urls")),
    path("dsr/", include("referrals.urls")),  # R1-R11
    path("centres/", include("centres.directory_urls")),
    path("help/", help_views.help_page, name="help"),
    path("health/", health, name="health"),  # load balancer / docker-compose (config/health.py)
    path("account/", include("centres.account_urls")),
    path("platform/", include("centres.platform_urls")),
    path("platform/frameworks/", include("passports.platform_urls")),  # P1
    # Platform staff log in through the same page as everyone (lockout applies to them too).
    path(
        "admin/login/",
        RedirectView.as_view(url="/accounts/login/?next=/admin/", query_string=False),
        name="admin_login_redirect",
    ),
    path("admin/", admin.site.urls),
]

# P9: public certificate verification (no login).
urlpatterns += [path("verify/", include("reporting.verify_urls"))]

handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
