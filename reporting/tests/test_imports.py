"""The import-job framework's contract, with a tiny import kind: read -> validate (every
row's outcome) -> preview -> commit in one transaction, with progress, in the worker above
a size."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from reporting import import_kinds as import_kinds_module
from reporting.csv_uploads import csv_rows
from reporting.import_kinds import import_kind, import_kind_register, import_kinds
from reporting.imports import (
    ERROR,
    NEW,
    ImportPreview,
    ImportRefused,
    RowOutcome,
    import_commit,
    import_in_worker,
    import_preview,
    import_progress,
    import_progress_clear,
    import_progress_reporter,
)
from reporting.uploads import UploadRefused, XlsxLimits

pytestmark = pytest.mark.django_db
KIND = "tests.people"
LIMITS = XlsxLimits(max_file_bytes=1024, max_rows=10)


def _read(file):
    return csv_rows(file, limits=LIMITS)[1:]


def _validate(*, rows, progress=None, domain, **_context):
    results = []
    for index, (number, texts) in enumerate(rows):
        if progress is not None:
            progress(index, len(rows))
        email = texts[0] if texts else ""
        problems = [] if email.endswith(domain) else [f"{email or 'The email'} is not at {domain}"]
        results.append(RowOutcome(row=number, status=ERROR if problems else NEW, messages=problems))
    return ImportPreview(rows=rows, results=results)


def _commit(*, preview, progress=None, domain, fail_after=None, **_context):
    users = get_user_model().objects
    for index, (_number, texts) in enumerate(preview.rows):
        if index == fail_after:
            raise RuntimeError("the disk is full")
        users.create_user(email=texts[0])
    return len(preview.rows)


@pytest.fixture(autouse=True)
def kind(monkeypatch):
    monkeypatch.setattr(import_kinds_module, "_KINDS", dict(import_kinds_module._KINDS))  # put back afterwards
    import_kind_register(KIND, read=_read, validate=_validate, commit=_commit, inline_max_rows=2)


def _file(*emails: str) -> io.BytesIO:
    return io.BytesIO(("Email\n" + "\n".join(emails) + "\n").encode())


def test_the_preview_has_every_rows_outcome_and_writes_nothing():
    preview = import_preview(KIND, file=_file("a@nhs.example", "b@elsewhere.example"), domain="@nhs.example")
    assert [(r.row, r.status, r.messages) for r in preview.results] == [
        (2, NEW, []),
        (3, ERROR, ["b@elsewhere.example is not at @nhs.example"]),
    ]
    assert preview.has_errors
    assert preview.count(NEW) == 1
    assert preview.error_list() == [{"row": 3, "messages": ["b@elsewhere.example is not at @nhs.example"]}]
    assert not get_user_model().objects.exists()


def test_a_file_that_cannot_be_read_is_refused_by_the_opener():
    with pytest.raises(UploadRefused, match="too large"):
        import_preview(KIND, file=io.BytesIO(b"x" * 2000), domain="@nhs.example")


def test_a_preview_with_errors_is_never_committed():
    preview = import_preview(KIND, file=_file("b@elsewhere.example"), domain="@nhs.example")
    with pytest.raises(ImportRefused, match="rows with errors"):
        import_commit(KIND, preview=preview, domain="@nhs.example")
    assert not get_user_model().objects.exists()


def test_the_commit_is_all_or_nothing():
    preview = import_preview(KIND, file=_file("a@nhs.example", "b@nhs.example"), domain="@nhs.example")
    with pytest.raises(RuntimeError):
        import_commit(KIND, preview=preview, domain="@nhs.example", fail_after=1)
    assert not get_user_model().objects.exists()
    assert import_commit(KIND, preview=preview, domain="@nhs.example") == 2
    assert get_user_model().objects.count() == 2


def test_big_imports_go_to_the_worker():
    assert not import_in_worker(KIND, rows=2)
    assert import_in_worker(KIND, rows=3)
    import_kind_register(KIND, read=_read, validate=_validate, commit=_commit, inline_max_rows=None)
    assert not import_in_worker(KIND, rows=10**6)
    limit = [5]
    import_kind_register(KIND, read=_read, validate=_validate, commit=_commit, inline_max_rows=lambda: limit[0])
    assert not import_in_worker(KIND, rows=5)
    limit[0] = 4
    assert import_in_worker(KIND, rows=5)


def test_progress_goes_to_the_cache_with_a_heartbeat(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    beats = []
    progress = import_progress_reporter(KIND, 7, heartbeat=lambda: beats.append(1), step=25)
    import_preview(KIND, file=_file(*[f"p{n}@nhs.example" for n in range(8)]), progress=progress, domain="@nhs.example")
    assert import_progress(KIND, 7) == 75
    assert len(beats) == 4  # 0, 25, 50, 75 percent
    import_progress_clear(KIND, 7)
    assert import_progress(KIND, 7) == 0


def test_the_apps_register_their_import_kinds_from_ready():
    assert {"centres.delegates", "passports.framework"} <= set(import_kinds())
    with pytest.raises(KeyError):
        import_kind("nobody.registered.this")
