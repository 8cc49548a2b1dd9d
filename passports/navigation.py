"""Passports' header entries, registered from PassportsConfig.ready (centres.navigation)."""

from centres.navigation import NavItem
from centres.roles import Permission
from passports.selectors.learner import passports_offered_to


def _has_passports_here(request) -> bool:
    """ "My passports" only where the person has something there (passports_offered_to): not for
    register-only users, nor eLearning site staff and authorisers at a centre with no passports."""
    access = request.centre_access
    if access.is_register_only:
        return False
    # The header is built for every template a request renders (htmx partials too): ask once.
    if not hasattr(request, "_passports_here"):
        holds_role = bool(access.roles) or access.is_platform_staff
        request._passports_here = passports_offered_to(centre=request.centre, user=request.user, holds_role=holds_role)
    return request._passports_here


PASSPORTS_NAVIGATION = [
    NavItem("My passports", "passports:learner_home", order=20, visible=_has_passports_here),
    NavItem("Supervise", "passports:supervise", Permission.ASSESS, order=30),
    NavItem("Staff list", "passports:staff_list", Permission.SUPERVISE, order=40),
    NavItem("Enrolments", "passports:enrolment_list", Permission.MANAGE_DELEGATES, order=55),
    NavItem("Passport reports", "passports:reports", Permission.VIEW_REPORTS, order=110),
]

PASSPORTS_PLATFORM_NAVIGATION = [NavItem("Frameworks", "frameworks:list", order=40)]
