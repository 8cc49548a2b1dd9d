"""C1 "Find your centre": public pages at /centres/."""

from django.urls import path

from centres.views import directory

app_name = "directory"

urlpatterns = [
    path("", directory.centre_list, name="list"),
    path("<str:code>/", directory.centre_detail, name="detail"),
]
