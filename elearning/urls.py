"""eLearning URLs (`/elearning/...`): learners, authorisers' sites and invitations, the
invitee's link, and (under `platform_urls`) the central team's pages."""

from django.urls import include, path

app_name = "elearning"

urlpatterns = [
    path("", include("elearning.urls_learning")),  # E1 learners
    path("", include("elearning.urls_invitations")),  # E2 invitations
    path("", include("elearning.urls_sites")),  # E3 site staff, my details
]
