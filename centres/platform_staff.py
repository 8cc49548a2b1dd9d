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


def platform_staff_group_ensure(*, using: str = "default") -> Group:
    """The group with exactly the listed permissions (created or brought up to date)."""
    group, _ = Group.objects.using(using).get_or_create(name=PLATFORM_STAFF_GROUP)
    wanted = []
    for name in platform_staff_permission_names():
        app_label, codename = name.split(".", 1)
        permission = (
            Permission.objects.using(using).filter(content_type__app_label=app_label, codename=codename).first()
        )
        if permission is not None:  # during migrate, a later app's permissions come after its own step
            wanted.append(permission)
    group.permissions.set(wanted)
    return group


def platform_staff_group_after_migrate(sender, *, using: str = "default", **kwargs) -> None:
    """Connected to post_migrate (CentresConfig.ready): every deployment's `migrate` creates
    the group and keeps its permissions up to date, not only the demo data. post_migrate is
    sent once per app, after that app's permissions are made, so the last call is complete."""
    platform_staff_group_ensure(using=using)
