"""eLearning URLs (`/elearning/...`): learners, authorisers' sites and invitations, the
invitee's link, and (under `platform_urls`) the central team's pages."""

app_name = "elearning"

urlpatterns = []
