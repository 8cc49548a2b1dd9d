"""Support tickets move here from `centres` (ADR 0032): the tables stay where they are
(`db_table` names them), so this migration only changes Django's state; `centres` 0011 drops
them from its state afterwards."""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("centres", "0010_membership_created_order_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SupportTicket",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("public_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ("subject", models.CharField(max_length=200)),
                        ("detail", models.TextField()),
                        (
                            "category",
                            models.CharField(
                                choices=[
                                    ("accounts", "Accounts and logging in"),
                                    ("delegates", "Registering and managing delegates"),
                                    ("passports", "Proficiency passports"),
                                    ("reports", "Reports and downloads"),
                                    ("other", "Something else"),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[("open", "Open"), ("answered", "Answered"), ("closed", "Closed")],
                                default="open",
                                max_length=10,
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "centre",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="support_tickets",
                                to="centres.centre",
                            ),
                        ),
                        (
                            "raised_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "centres_supportticket",
                        "ordering": ["-updated_at"],
                    },
                ),
                migrations.CreateModel(
                    name="SupportTicketReply",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("public_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ("from_platform_team", models.BooleanField(default=False)),
                        ("body", models.TextField()),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "author",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "centre",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="centres.centre"
                            ),
                        ),
                        (
                            "ticket",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="replies",
                                to="support.supportticket",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "centres_supportticketreply",
                        "ordering": ["created_at"],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
