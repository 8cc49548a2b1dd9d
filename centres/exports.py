"""C6: the delegate list as an Excel workbook (the rows; `reporting.excel` writes the file)."""

from typing import IO

from django.utils import timezone

from centres.audit import audit_record
from centres.models import Centre, RegistrationPrompt, RegistrationType
from centres.roles import Permission
from centres.selectors.delegates import delegate_search
from core.progress import counted
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
    """One row per delegate, streamed from the database in chunks as plain values (no model
    instances). `delegates` comes from `selectors.delegate_search` (it carries `password_set`)."""
    type_labels = dict(RegistrationType.choices)
    fields = [
        "delegate_number",
        "user__last_name",
        "user__first_name",
        "user__email",
        "centre_email",
        "job_group__name",
        *(prompt.answer_field for prompt in prompts),
        "registration_type",
        "created_at",
        "is_approved",
        "is_active",
        "password_set",
    ]
    if include_prn:
        fields += ["has_prn", "prn"]
    answers = len(prompts)
    for values in delegates.values_list(*fields).iterator(chunk_size=CHUNK_SIZE):
        row = list(values[: 6 + answers])
        registration_type, created_at, approved, active, password_set = values[6 + answers : 11 + answers]
        row[5] = row[5] or ""
        row += [
            type_labels.get(registration_type, registration_type),
            timezone.localtime(created_at),
            _yes_no(approved),
            _yes_no(active),
            _yes_no(password_set),
        ]
        if include_prn:
            row += [_yes_no(values[-2]), values[-1]]
        yield row


def delegate_export_write(*, stream: IO[bytes], centre: Centre, delegates, prompts, include_prn: bool) -> int:
    prompts = list(prompts)
    return workbook_write(
        stream=stream,
        sheet_title="Delegates",
        headers=delegate_export_headers(prompts=prompts, include_prn=include_prn),
        rows=delegate_export_rows(delegates=delegates, prompts=prompts, include_prn=include_prn),
    )


def delegate_report_access(*, include_prn: bool) -> dict:
    """What a delegates spreadsheet needs of whoever downloads it (ADR 0017)."""
    permissions = [Permission.MANAGE_DELEGATES] + ([Permission.VIEW_PRN] if include_prn else [])
    return {"permissions": [permission.value for permission in permissions]}


def delegate_report_may_download(*, job, user, held: frozenset[str]) -> bool:
    """PRN columns only while the person still may see PRNs, whatever the job recorded."""
    required = delegate_report_access(include_prn=bool(job.params.get("include_prn")))["permissions"]
    return set(required) <= held


def delegate_report_build(job, stream: IO[bytes], progress) -> int:
    """The "delegates" report kind (registered with reporting in CentresConfig.ready): the
    delegate list with the filters saved on the job, built by a worker."""

    centre = job.centre
    include_prn = bool(job.params.get("include_prn"))
    prompts = list(RegistrationPrompt.objects.for_centre(centre).order_by("position"))
    delegates = delegate_search(centre=centre, filters=job.params.get("filters", {}))
    total = delegates.count()
    count = workbook_write(
        stream=stream,
        sheet_title="Delegates",
        headers=delegate_export_headers(prompts=prompts, include_prn=include_prn),
        rows=counted(
            delegate_export_rows(delegates=delegates, prompts=prompts, include_prn=include_prn),
            total=total,
            progress=progress,
        ),
    )
    # Personal data leaving the service: recorded, with the filters used.
    summary = job.params.get("filter_summary") or []
    audit_record(
        actor=job.requested_by,
        centre=centre,
        action="delegates.exported",
        summary=f"{count} delegate record{'' if count == 1 else 's'} downloaded to Excel"
        + (" with PRNs" if include_prn else "")
        + (f" (filters: {'; '.join(summary)})" if summary else ""),
    )
    return count
