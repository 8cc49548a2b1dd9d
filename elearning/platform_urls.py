"""The central team's pages (platform staff): module authoring (E1) and the request queue (E4)."""

from django.urls import include, path

app_name = "elearning_platform"

urlpatterns = [
    path("", include("elearning.urls_authoring")),  # E1 module authoring (el-modules)
    path("", include("elearning.urls_queue")),  # E4 request queue (el-sites)
]
