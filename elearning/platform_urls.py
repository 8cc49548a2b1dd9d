"""The central team's pages (platform staff): module authoring (E1) and the request queue (E4)."""

app_name = "elearning_platform"

urlpatterns = []
