"""Who may still download a report file (ADR 0017).

A report holds what its requester was allowed to see when they asked. Before every download
(and every look at the report's page) the access is worked out again for the person asking
now: only the requester, at the job's centre (the current-centre middleware has already
re-checked their membership or role there), still holding every permission recorded on the
job, and passing the kind's own rule (e.g. the register organisations a referral report
covered, or still being the learner or a supervisor of a passport record).
"""

from reporting.models import ReportJob
from reporting.registry import report_kind


def report_job_may_download(*, job: ReportJob, user, held: frozenset[str]) -> bool:
    """`held`: the permissions `user` holds now on `job.centre`."""
    if user is None or not user.is_authenticated or not user.is_active or job.requested_by_id != user.pk:
        return False
    required = (job.access or {}).get("permissions")
    if required is None:  # a job made before access was recorded: nobody can say what allowed it
        return False
    if not set(required) <= held:
        return False
    try:
        kind = report_kind(job.kind)
    except KeyError:
        return False
    return bool(kind.may_download(job=job, user=user, held=held))
