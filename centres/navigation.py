"""The header navigation: only what the person's roles allow at the current centre."""

from dataclasses import dataclass

from django.urls import reverse

from centres.permissions import has_permission
from centres.roles import Permission


@dataclass(frozen=True)
class NavItem:
    text: str
    url_name: str
    permission: Permission | None = None


# Feature apps add their entries here as they are built.
CENTRE_NAVIGATION: list[NavItem] = [
    NavItem("Home", "home"),
    NavItem("Delegates", "centres:delegate_list", Permission.MANAGE_DELEGATES),
    NavItem("Locked accounts", "centres:locked_accounts", Permission.UNLOCK_ACCOUNTS),
    NavItem("Audit trail", "centres:audit_trail", Permission.VIEW_AUDIT),
]


def navigation_for(request) -> list[dict]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    path = request.path
    items = []
    for item in CENTRE_NAVIGATION:
        if item.permission is not None and not has_permission(request, item.permission):
            continue
        url = reverse(item.url_name)
        items.append({"text": item.text, "href": url, "current": path == url})
    if user.is_staff:
        items.append({"text": "Platform admin", "href": reverse("admin:index"), "current": False})
    return items
