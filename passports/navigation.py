"""Passports' header entries, registered from PassportsConfig.ready (centres.navigation)."""

from centres.navigation import NavItem
from centres.roles import Permission


def _not_register_only(request) -> bool:
    return not request.centre_access.is_register_only


PASSPORTS_NAVIGATION = [
    NavItem("My passports", "passports:learner_home", order=20, visible=_not_register_only),
    NavItem("Supervise", "passports:supervise", Permission.ASSESS, order=30),
    NavItem("Staff list", "passports:staff_list", Permission.SUPERVISE, order=40),
    NavItem("Enrolments", "passports:enrolment_list", Permission.MANAGE_DELEGATES, order=55),
    NavItem("Passport reports", "passports:reports", Permission.VIEW_REPORTS, order=110),
]

PASSPORTS_PLATFORM_NAVIGATION = [NavItem("Frameworks", "frameworks:list", order=40)]
