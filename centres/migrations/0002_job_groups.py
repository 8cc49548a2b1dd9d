"""C12: the 36 job groups of the DLS tracking system (seed 000), keeping their ids."""

from django.db import migrations

JOB_GROUPS = [
    (1, "Nursing / midwifery"),
    (2, "Doctor / surgeon / consultant / dentist"),
    (3, "Allied Health Professional"),
    (4, "Healthcare support worker"),
    (5, "Admin / clerical"),
    (6, "Management - unspecified"),
    (7, "Estates / facilities / ancillary"),
    (8, "Social care - unspecified"),
    (9, "Informatics / IT"),
    (10, "Other"),
    (13, "University student"),
    (14, "Auxiliary"),
    (15, "Senior Management"),
    (16, "Middle Management"),
    (17, "First Line Manager"),
    (18, "Registered Manager"),
    (19, "Supervisor"),
    (20, "Social Worker"),
    (21, "Senior Care Worker"),
    (22, "Care Worker"),
    (23, "Community, Support and Outreach Work"),
    (24, "Employment Support"),
    (25, "Advice, Guidance and Advocacy"),
    (26, "Educational Support"),
    (27, "Youth Offending Support"),
    (28, "Counsellor"),
    (29, "Occupational Therapist"),
    (30, "Nursery Nurse"),
    (31, "Childcare Worker or Childcare Assistant"),
    (32, "Teacher (qualified)"),
    (33, "Educational Assistant"),
    (34, "Technician"),
    (36, "Other role directly involved in providing care"),
    (37, "Personal Assistant (care and support)"),
    (38, "Activities worker or coordinator"),
    (39, "Safeguarding and/or reviewing officer"),
]


def load_job_groups(apps, schema_editor):
    JobGroup = apps.get_model("centres", "JobGroup")
    for pk, name in JOB_GROUPS:
        JobGroup.objects.update_or_create(pk=pk, defaults={"name": name})


def unload_job_groups(apps, schema_editor):
    apps.get_model("centres", "JobGroup").objects.filter(pk__in=[pk for pk, _ in JOB_GROUPS]).delete()


class Migration(migrations.Migration):
    dependencies = [("centres", "0001_initial")]
    operations = [migrations.RunPython(load_job_groups, unload_job_groups)]
