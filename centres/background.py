"""Centre work too heavy for a request (issue 12 finding 6), run by the worker as report
jobs (reporting.registry), with the report page's progress bar, sweep and "Try again": the
"current delegates" bulk upload workbook (U1), a file. The mass actions ("Send to all N"
welcome emails, "Approve all") are in centres.mass_actions.

The views create the jobs (`*_job_create`); the kinds are registered in CentresConfig.ready."""

from django.urls import reverse
from django.utils import timezone

from centres.audit import audit_record
from centres.bulk.download import delegates_workbook_write
from centres.exports import delegate_report_access
from centres.models import Centre
from reporting.services import report_job_create

CURRENT_WORKBOOK_KIND = "centres.delegates_bulk_workbook"


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


# -- current delegates workbook -------------------------------------------------------------


def current_workbook_job_create(*, centre: Centre, requested_by, include_prn: bool):
    return report_job_create(
        centre=centre,
        requested_by=requested_by,
        kind=CURRENT_WORKBOOK_KIND,
        title="Current delegates spreadsheet",
        params={
            "include_prn": include_prn,
            "return_to": reverse("centres:delegates_bulk"),
            "return_text": "Back to bulk upload delegates",
        },
        filename=f"{centre.code}-delegates-{timezone.localdate():%Y-%m-%d}.xlsx",
        access=delegate_report_access(include_prn=include_prn),
    )


def current_workbook_build(job, stream, progress) -> int:
    include_prn = bool(job.params.get("include_prn"))
    count = delegates_workbook_write(
        stream=stream, centre=job.centre, include_delegates=True, include_prn=include_prn, progress=progress
    )
    # Personal data leaving the service: recorded.
    audit_record(
        actor=job.requested_by,
        centre=job.centre,
        action="delegates.bulk_downloaded",
        summary=f"Bulk upload workbook downloaded with {_plural(count, 'delegate record')}"
        + (" including PRNs" if include_prn else ""),
    )
    return count
