"""C6: the delegate list as an Excel workbook (the rows; `reporting.excel` writes the file)."""

from typing import IO

from django.utils import timezone

from centres.models import Centre, RegistrationType
from reporting.excel import workbook_write

CHUNK_SIZE = 2000


def _yes_no(value: bool | None) -> str:
    return {True: "Yes", False: "No"}.get(value, "")


def delegate_export_headers(*, prompts, include_prn: bool) -> list[str]:
    headers = ["Delegate number", "Last name", "First name", "Email address", "Centre email address", "Job group"]
    headers += [prompt.text for prompt in prompts]
    headers += ["Registration type", "Registered", "Approved", "Active", "Password set"]
    if include_prn:
        headers += ["Has PRN", "PRN"]
    return headers


def delegate_export_rows(*, delegates, prompts, include_prn: bool):
    """One row per delegate, streamed from the database in chunks. `delegates` comes from
    `selectors.delegate_search` (so it carries `password_set`)."""
    type_labels = dict(RegistrationType.choices)
    for membership in delegates.iterator(chunk_size=CHUNK_SIZE):
        user = membership.user
        row = [
            membership.delegate_number,
            user.last_name,
            user.first_name,
            user.email,
            membership.centre_email,
            membership.job_group.name if membership.job_group else "",
        ]
        row += [getattr(membership, prompt.answer_field) for prompt in prompts]
        row += [
            type_labels.get(membership.registration_type, membership.registration_type),
            timezone.localtime(membership.created_at),
            _yes_no(membership.is_approved),
            _yes_no(membership.is_active),
            _yes_no(membership.password_set),
        ]
        if include_prn:
            row += [_yes_no(membership.has_prn), membership.prn]
        yield row


def delegate_export_write(*, stream: IO[bytes], centre: Centre, delegates, prompts, include_prn: bool) -> int:
    prompts = list(prompts)
    return workbook_write(
        stream=stream,
        sheet_title="Delegates",
        headers=delegate_export_headers(prompts=prompts, include_prn=include_prn),
        rows=delegate_export_rows(delegates=delegates, prompts=prompts, include_prn=include_prn),
    )
