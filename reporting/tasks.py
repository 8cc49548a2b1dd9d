from celery import shared_task

from reporting import services, upload_workflow


@shared_task(acks_late=True)
def report_job_task(job_id: int) -> bool:
    return services.report_job_run(job_id=job_id) is not None


@shared_task
def report_files_expire_task() -> int:
    return services.report_files_expire()


@shared_task
def report_jobs_sweep_task() -> dict:
    return services.report_jobs_sweep()


@shared_task
def upload_jobs_sweep_task() -> dict:
    """Every upload workflow's (the delegate bulk upload, the ESR feed, ...) stale steps."""
    return upload_workflow.upload_jobs_sweep()


@shared_task
def upload_jobs_expire_task() -> int:
    return upload_workflow.upload_jobs_expire()
