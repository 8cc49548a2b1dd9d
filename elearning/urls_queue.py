"""E4 URLs under /platform/elearning/ (included by `elearning/platform_urls.py`): the central
team's request queue, platform staff only."""

from django.urls import path

from elearning.views import queue

urlpatterns = [
    path("requests/", queue.account_requests, name="requests"),
    path("requests/<uuid:account_request_id>/", queue.account_request, name="request"),
    path("requests/<uuid:account_request_id>/note/", queue.account_request_note, name="request_note"),
    path("requests/<uuid:account_request_id>/status/", queue.account_request_status, name="request_status"),
]
