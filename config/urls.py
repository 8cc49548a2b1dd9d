from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView

from config.health import health

urlpatterns = [
    path("", include("centres.urls.public")),  # home, choose-centre, register, welcome, help
    path("accounts/", include("accounts.urls")),
    path("centre/", include("centres.urls.centre")),
    path("reports/", include("reporting.urls")),
    path("passports/", include("passports.urls")),
    path("dsr/", include("referrals.urls")),  # R1-R11
    path("centres/", include("centres.urls.directory")),
    path("health/", health, name="health"),  # load balancer / docker-compose (config/health.py)
    path("account/", include("centres.urls.account")),
    path("platform/", include("centres.urls.platform")),
    path("platform/frameworks/", include("passports.platform_urls")),  # P1
    path("elearning/", include("elearning.urls")),  # E1-E3
    path("platform/elearning/", include("elearning.platform_urls")),  # E1 authoring, E4 queue
    path("staff-passport/", include("staffpassport.urls")),  # S1-S7 and verifiable credentials
    # Platform staff log in through the same page as everyone (lockout applies to them too).
    path(
        "admin/login/",
        login_not_required(RedirectView.as_view(url="/accounts/login/?next=/admin/", query_string=False)),
        name="admin_login_redirect",
    ),
    path("admin/", admin.site.urls),
]

# P9: public certificate verification (no login).
urlpatterns += [path("verify/", include("reporting.verify_urls"))]
# S8: the public keys that verify staff passport verifiable credentials (no login).
urlpatterns += [path(".well-known/", include("staffpassport.urls_wellknown"))]

handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
