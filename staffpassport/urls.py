"""The staff passport (issue 15) under /staff-passport/: one include per area."""

from django.urls import include, path

app_name = "staffpassport"

urlpatterns = [
    path("settings/", include("staffpassport.urls_settings")),  # S1-S6 (sp-settings)
    path("", include("staffpassport.urls_staff")),  # S7 staff, credentials and the ESR feed (sp-esr)
    path("", include("staffpassport.urls_credentials")),  # S8 verifiable credentials (sp-vc)
]
