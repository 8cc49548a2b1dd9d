"""E3 URLs under /elearning/ (included by `elearning/urls.py`): an authoriser's sites, site
staff, and a person's own details. Site URLs carry the site's public id (ADR 0033)."""

from django.urls import path

from elearning.views import sites, sites_changes, sites_own

staff = "sites/<uuid:site_id>/staff/<uuid:staff_id>/"

urlpatterns = [
    path("sites/", sites.sites, name="sites"),
    path("sites/<uuid:site_id>/", sites.site, name="site"),
    path("sites/<uuid:site_id>/staff/history/", sites.site_staff_history, name="site_staff_history"),
    path(staff, sites.site_staff, name="site_staff"),
    path(f"{staff}amend/", sites_changes.site_staff_amend, name="site_staff_amend"),
    path(f"{staff}deactivate/", sites_changes.site_staff_deactivate, name="site_staff_deactivate"),
    path(f"{staff}remove/", sites_changes.site_staff_remove, name="site_staff_remove"),
    path(f"{staff}reactivate/", sites_changes.site_staff_reactivate, name="site_staff_reactivate"),
    path("my-details/", sites_own.my_details, name="my_details"),
    path("my-details/<uuid:staff_id>/", sites_own.my_job, name="my_job"),
]
