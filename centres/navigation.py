"""The header navigation: only what the person's roles allow at the current centre."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from centres.permissions import has_permission
from centres.roles import Permission


@dataclass(frozen=True)
class NavItem:
    text: str
    url_name: str
    permission: Permission | tuple[Permission, ...] | None = None  # any one of them
    order: int = 1000  # place in the header, smallest first
    visible: Callable[..., bool] | None = None  # visible(request): a rule beyond permissions


# Filled from each app's AppConfig.ready() (ADR 0025); keyed by URL name, so registering twice
# (tests reloading an app) does not repeat an entry.
_CENTRE_ITEMS: dict[str, NavItem] = {}
_PLATFORM_ITEMS: dict[str, NavItem] = {}


def navigation_register(*items: NavItem, platform: bool = False) -> None:
    """Add header entries: a centre's pages, or (platform=True) the platform team's pages."""
    target = _PLATFORM_ITEMS if platform else _CENTRE_ITEMS
    for item in items:
        target[item.url_name] = item


def centre_navigation() -> list[NavItem]:
    return sorted(_CENTRE_ITEMS.values(), key=lambda item: item.order)


def platform_navigation() -> list[NavItem]:
    return sorted(_PLATFORM_ITEMS.values(), key=lambda item: item.order)


# centres' own entries (CentresConfig.ready registers them).
CENTRES_NAVIGATION = [
    NavItem("Home", "home", order=10),
    NavItem("Delegates", "centres:delegate_list", Permission.MANAGE_DELEGATES, order=50),
    NavItem("Approvals", "centres:registrations", Permission.MANAGE_DELEGATES, order=60),
    NavItem("Roles", "centres:roles", (Permission.GRANT_ROLES, Permission.NOMINATE_ASSESSORS), order=70),
    NavItem("Locked accounts", "centres:locked_accounts", Permission.UNLOCK_ACCOUNTS, order=80),
    NavItem("Audit trail", "centres:audit_trail", Permission.VIEW_AUDIT, order=90),
    NavItem("Centre configuration", "centres:configuration", Permission.CONFIGURE_CENTRE, order=100),
]

CENTRES_PLATFORM_NAVIGATION = [
    NavItem("Centres", "platform:centres", order=10),
    NavItem("System notices", "platform:notices", order=30),
]


def navigation_for(request) -> list[dict]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    path = request.path
    items = []
    has_centre = getattr(request, "centre", None) is not None
    for item in centre_navigation():
        if not has_centre and item.url_name != "home":
            continue  # a centre's pages (platform staff have none): they would only redirect
        if item.permission is not None:
            needed = item.permission if isinstance(item.permission, tuple) else (item.permission,)
            if not any(has_permission(request, permission) for permission in needed):
                continue
        if item.visible is not None and not item.visible(request):
            continue
        url = reverse(item.url_name)
        items.append({"text": item.text, "href": url, "current": path.startswith(url) if url != "/" else path == url})
    # Only the most specific match is current (/passports/supervise/ is not also /passports/).
    longest = max((len(entry["href"]) for entry in items if entry["current"]), default=0)
    for entry in items:
        entry["current"] = entry["current"] and len(entry["href"]) == longest
    if user.is_staff:
        for item in platform_navigation():
            url = reverse(item.url_name)
            items.append({"text": item.text, "href": url, "current": path.startswith(url)})
        items.append({"text": "Platform admin", "href": reverse("admin:index"), "current": False})
    return items
