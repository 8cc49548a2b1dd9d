"""Support tickets now belong to the `support` app (ADR 0032). Their tables and rows stay as
they are; only Django's state forgets them here, and the content types (so any permission
granted on them) are relabelled to `support`."""

from django.db import migrations

MOVED_MODELS = ["supportticket", "supportticketreply"]


def content_types_relabel(apps, schema_editor):
    content_type_model = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MOVED_MODELS:
        if not content_type_model.objects.using(db).filter(app_label="support", model=model).exists():
            content_type_model.objects.using(db).filter(app_label="centres", model=model).update(app_label="support")


def content_types_relabel_back(apps, schema_editor):
    content_type_model = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MOVED_MODELS:
        if not content_type_model.objects.using(db).filter(app_label="centres", model=model).exists():
            content_type_model.objects.using(db).filter(app_label="support", model=model).update(app_label="centres")


class Migration(migrations.Migration):
    dependencies = [
        ("centres", "0010_membership_created_order_index"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("support", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="supportticketreply", name="ticket"),
                migrations.RemoveField(model_name="supportticketreply", name="author"),
                migrations.RemoveField(model_name="supportticketreply", name="centre"),
                migrations.DeleteModel(name="SupportTicket"),
                migrations.DeleteModel(name="SupportTicketReply"),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_relabel, content_types_relabel_back),
    ]
