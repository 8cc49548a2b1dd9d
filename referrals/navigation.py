"""The register's header entry, registered from ReferralsConfig.ready (centres.navigation)."""

from centres.navigation import NavItem
from centres.roles import Permission

# The centre's register (its pages refuse platform staff).
REFERRALS_NAVIGATION = [
    NavItem(
        "Support register",
        "referrals:home",
        (Permission.REFER, Permission.REPORT_REFERRALS, Permission.ADMINISTER_REGISTER),
        order=130,
    ),
]
