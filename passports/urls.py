"""/passports/: learner, supervisor and educator pages. Each area keeps its own block."""

from django.urls import path  # noqa: F401  (areas append their paths below)

app_name = "passports"

urlpatterns = []
