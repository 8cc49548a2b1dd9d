"""U3: save a classified DelegatesBulkUpload file in one transaction, in a fixed number of
statements per file (ADR 0008). The rows are validated again inside the transaction."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from centres.audit import audit_record
from centres.bulk.validation import COMPARED_FIELDS, NEW, UNCHANGED, UPDATE, Preview, Progress, validate
from centres.models import Centre, Membership, RegistrationType
from centres.ownership import accounts_identity_bulk_update, people_create_for_centre
from centres.services.memberships import delegate_numbers_allocate
from centres.services.welcome import welcome_links_send_many
from centres.signals import memberships_created
from core.exceptions import ServiceError

BULK_BATCH = 250


@dataclass
class Result:
    created: list[Membership]
    updated: int
    unchanged: int

    @property
    def new(self) -> int:
        return len(self.created)


class BulkCommitError(ServiceError):
    """Nothing was saved; the message is for the administrator."""


VALUES_BATCH = 1000


def _bulk_update(objects: list, fields: list[str]) -> None:
    """`Model.objects.bulk_update(objects, fields)` without its per-row CASE WHEN: on
    PostgreSQL one `UPDATE ... FROM (VALUES ...)` per 1,000 rows. Building and compiling the
    CASE expressions cost Django ~3 ms of Python per row (35 s for 10,000 updates on a loaded
    machine, benchmarks/bulk_upload.py); this costs a fraction. Like bulk_update: no signals,
    no auto_now."""
    if not objects:
        return
    model = type(objects[0])
    if connection.vendor != "postgresql":
        model.objects.bulk_update(objects, fields, batch_size=BULK_BATCH)
        return
    meta = model._meta
    columns = [meta.pk, *(meta.get_field(name) for name in fields)]
    quote = connection.ops.quote_name
    table, key = quote(meta.db_table), quote(meta.pk.column)
    names = ", ".join(quote(column.column) for column in columns)
    assignments = ", ".join(f"{quote(column.column)} = v.{quote(column.column)}" for column in columns[1:])
    # The first row carries the column types; PostgreSQL resolves the others from it.
    typed = "(" + ", ".join(f"%s::{column.db_type(connection)}" for column in columns) + ")"
    plain = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(objects), VALUES_BATCH):
            batch = objects[start : start + VALUES_BATCH]
            params = [
                column.get_db_prep_save(getattr(obj, column.attname), connection) for obj in batch for column in columns
            ]
            values = ", ".join([typed, *[plain] * (len(batch) - 1)])
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM (VALUES {values}) AS v({names}) "  # noqa: S608 - our names
                f"WHERE {table}.{key} = v.{key}",
                params,
            )


@transaction.atomic
def commit(
    *,
    centre: Centre,
    preview: Preview,
    uploaded_by,
    file_name: str,
    request=None,
    welcome_emails: bool = False,
    welcome_send_after: datetime.datetime | None = None,
    progress: Progress | None = None,
) -> Result:
    """All or nothing. The rows are validated again inside the transaction, so a preview kept
    for a while cannot write stale decisions."""
    if preview.has_errors:
        raise BulkCommitError("The file has rows with errors: correct them and upload it again")
    # Two confirmations of uploads at one centre (a double click, two managers) queue here.
    Centre.objects.select_for_update().filter(pk=centre.pk).first()
    # Progress: the second validation is the first half, the writes the second.
    total = 2 * len(preview.rows)
    fresh = validate(
        centre=centre,
        rows=preview.rows,
        progress=(lambda done, _n: progress(done, total)) if progress else None,
        uploaded_by=uploaded_by,
    )
    if fresh.has_errors:
        raise BulkCommitError("The delegates changed since the preview: upload the file again")

    new_rows = [result for result in fresh.results if result.status == NEW]
    # Only new accounts: validate() refused every new row whose email an account uses.
    users = people_create_for_centre(
        people=[(r.cleaned["email"], r.cleaned["first_name"], r.cleaned["last_name"]) for r in new_rows]
    )
    numbers = delegate_numbers_allocate(names=[(r.cleaned["first_name"], r.cleaned["last_name"]) for r in new_rows])
    now = timezone.now()
    created: list[Membership] = []
    for result, user, number in zip(new_rows, users, numbers, strict=True):
        data = result.cleaned
        created.append(
            Membership(
                user=user,
                centre=centre,
                delegate_number=number,
                registration_type=RegistrationType.BULK,
                is_approved=True,
                approved_at=now,
                **{name: data[name] for name in COMPARED_FIELDS},
            )
        )
    Membership.objects.bulk_create(created, batch_size=1000)
    if progress is not None:
        progress(len(preview.rows) + len(preview.rows) // 4, total)
    if created:
        memberships_created.send(sender=Membership, centre=centre, memberships=created)

    changed = [result for result in fresh.results if result.status == UPDATE]
    if changed:
        # Only the columns that differ: bulk_update's CASE per column grows with every field
        # and row it carries. Names and emails go through the ownership rule.
        memberships, membership_fields = [], {"updated_at"}
        for result in changed:
            membership, data = result.membership, result.cleaned
            for name in COMPARED_FIELDS:
                if getattr(membership, name) != data[name]:
                    setattr(membership, name, data[name])
                    membership_fields.add(name)
            membership.updated_at = now
            memberships.append(membership)
        _bulk_update(memberships, sorted(membership_fields))
        accounts_identity_bulk_update(
            centre=centre,
            changes=[(result.membership.user, result.cleaned) for result in changed],
            changed_by=uploaded_by,
            request=request,
            bulk_update=_bulk_update,
        )

    outcome = Result(created=created, updated=len(changed), unchanged=fresh.count(UNCHANGED))
    audit_record(
        actor=uploaded_by,
        centre=centre,
        action="delegates.bulk_uploaded",
        summary=(
            f"Bulk upload of {file_name}: {len(fresh.results)} rows, {outcome.new} new, "
            f"{outcome.updated} updated, {outcome.unchanged} unchanged"
        ),
        request=request,
    )
    if welcome_emails and created:
        if progress is not None:
            progress(len(preview.rows) + len(preview.rows) // 2, total)
        # Set-based: the links, outbox rows and audit events in a few INSERTs, not a service
        # call (7 queries) per new delegate inside this transaction (ADR 0022).
        welcome_links_send_many(
            memberships=created, sent_by=uploaded_by, send_after=welcome_send_after, request=request
        )
    return outcome
