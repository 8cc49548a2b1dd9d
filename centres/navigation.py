"""The header navigation: only what the person's roles allow at the current centre."""

from dataclasses import dataclass

from django.urls import reverse

from centres.permissions import has_permission
from centres.roles import Permission


@dataclass(frozen=True)
class NavItem:
    text: str
    url_name: str
    permission: Permission | tuple[Permission, ...] | None = None  # any one of them


# Feature apps add their entries here as they are built.
CENTRE_NAVIGATION: list[NavItem] = [
    NavItem("Home", "home"),
    NavItem("My passports", "passports:learner_home"),
    NavItem("Supervise", "passports:supervise", Permission.ASSESS),
    NavItem("Staff list", "passports:staff_list", Permission.SUPERVISE),
    NavItem("Delegates", "centres:delegate_list", Permission.MANAGE_DELEGATES),
    NavItem("Approvals", "centres:registrations", Permission.MANAGE_DELEGATES),
    NavItem("Roles", "centres:roles", (Permission.GRANT_ROLES, Permission.NOMINATE_ASSESSORS)),
    NavItem("Locked accounts", "centres:locked_accounts", Permission.UNLOCK_ACCOUNTS),
    NavItem("Audit trail", "centres:audit_trail", Permission.VIEW_AUDIT),
    NavItem("Centre configuration", "centres:configuration", Permission.CONFIGURE_CENTRE),
    NavItem("Passport reports", "passports:reports", Permission.VIEW_REPORTS),
    NavItem("Support", "centres:support_tickets", Permission.MANAGE_DELEGATES),
    # R: the dynamic support register (the centre's register; pages refuse platform staff).
    NavItem(
        "Support register",
        "referrals:home",
        (Permission.REFER, Permission.REPORT_REFERRALS, Permission.ADMINISTER_REGISTER),
    ),
]

PLATFORM_NAVIGATION: list[NavItem] = [
    NavItem("Centres", "platform:centres"),
    NavItem("Support tickets", "platform:support_tickets"),
    NavItem("System notices", "platform:notices"),
    NavItem("Frameworks", "frameworks:list"),
]


def navigation_for(request) -> list[dict]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    path = request.path
    items = []
    has_centre = getattr(request, "centre", None) is not None
    for item in CENTRE_NAVIGATION:
        if not has_centre and item.url_name != "home":
            continue  # a centre's pages (platform staff have none): they would only redirect
        if item.permission is not None:
            needed = item.permission if isinstance(item.permission, tuple) else (item.permission,)
            if not any(has_permission(request, permission) for permission in needed):
                continue
        url = reverse(item.url_name)
        items.append({"text": item.text, "href": url, "current": path.startswith(url) if url != "/" else path == url})
    # Only the most specific match is current (/passports/supervise/ is not also /passports/).
    longest = max((len(entry["href"]) for entry in items if entry["current"]), default=0)
    for entry in items:
        entry["current"] = entry["current"] and len(entry["href"]) == longest
    if user.is_staff:
        for item in PLATFORM_NAVIGATION:
            url = reverse(item.url_name)
            items.append({"text": item.text, "href": url, "current": path.startswith(url)})
        items.append({"text": "Platform admin", "href": reverse("admin:index"), "current": False})
    return items
