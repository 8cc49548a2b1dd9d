"""The "Platform staff" group: what platform staff may do in the Django admin, without being
superusers (issue 11, finding 4). Each app lists its own permissions
(`platform_staff_permissions` on its AppConfig), so this module names no feature.

Platform staff add centres and registers, name people, send password reset links and read
the outbox and the audit trail. They cannot set passwords, change anyone's email or name,
grant roles as raw rows, change who is platform staff, or see referrals.
"""

from django.apps import apps
from django.contrib.auth.models import Group, Permission

PLATFORM_STAFF_GROUP = "Platform staff"


def platform_staff_permission_names() -> list[str]:
    names: list[str] = []
    for config in apps.get_app_configs():
        names += getattr(config, "platform_staff_permissions", [])
    return names


def platform_staff_group_ensure() -> Group:
    """The group with exactly the listed permissions (created or brought up to date)."""
    group, _ = Group.objects.get_or_create(name=PLATFORM_STAFF_GROUP)
    wanted = []
    for name in platform_staff_permission_names():
        app_label, codename = name.split(".", 1)
        wanted.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    group.permissions.set(wanted)
    return group
