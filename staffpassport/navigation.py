"""The staff passport's header entries, registered from StaffpassportConfig.ready."""

from centres.navigation import NavItem
from centres.roles import Permission

STAFFPASSPORT_SETTINGS_NAVIGATION = [
    NavItem("Staff passport settings", "staffpassport:settings", Permission.MANAGE_STAFF_PASSPORT, order=120),
]
