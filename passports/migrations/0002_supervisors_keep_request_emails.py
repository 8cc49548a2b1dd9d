"""Existing assessors and educators keep the "Confirmation requested" / "Sign-off requested"
emails they received before preferences were honoured (ADR 0026): tick those preferences for
everyone whose current role allows them. New role holders get them ticked by the grant."""

from django.db import migrations

# Frozen here: the roles that allowed each kind when this migration was written.
KIND_ROLES = {
    "confirmation_requested": ["assessor", "educator"],
    "sign_off_requested": ["educator"],
}


def tick(apps, schema_editor):
    RoleAssignment = apps.get_model("centres", "RoleAssignment")
    NotificationSubscription = apps.get_model("notifications", "NotificationSubscription")
    for kind, roles in KIND_ROLES.items():
        holders = (
            RoleAssignment.objects.filter(role__in=roles, revoked_at__isnull=True)
            .values_list("user_id", "centre_id")
            .distinct()
        )
        NotificationSubscription.objects.bulk_create(
            [NotificationSubscription(user_id=user_id, centre_id=centre_id, kind=kind) for user_id, centre_id in holders],
            ignore_conflicts=True,
            batch_size=1000,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("passports", "0001_initial"),
        ("notifications", "0004_kinds_registered_weekly_summary"),
        ("centres", "0011_support_tickets_move_to_support"),
    ]

    operations = [migrations.RunPython(tick, migrations.RunPython.noop)]
