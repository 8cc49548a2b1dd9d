"""Data-path isolation helpers: a form posted with another centre's, register's or account's
values must be refused with nothing written.

    with assert_nothing_written(Enrolment, Supervisor):
        response = client.post(url, {"supervisor": str(b_educator.public_id)})

`assert_nothing_written` snapshots each model's rows (count and a checksum of every column,
so an update is caught as well as an insert or a delete) and fails naming the models that
changed. Pass querysets to watch a subset of rows (e.g. one object's row)."""

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.db.models import Model, QuerySet


def _queryset(source) -> QuerySet:
    if isinstance(source, QuerySet):
        return source
    if isinstance(source, type) and issubclass(source, Model):
        return source._base_manager.all()
    raise TypeError(f"Watch a model class or a queryset, not {source!r}")


def _label(source) -> str:
    queryset = _queryset(source)
    return queryset.model._meta.label + ("" if queryset.query.where.children == [] else " (filtered)")


def snapshot(source) -> tuple[int, str]:
    """(row count, sha256 of every row's values in primary-key order)."""
    rows = list(_queryset(source).order_by("pk").values_list())
    return len(rows), hashlib.sha256(repr(rows).encode()).hexdigest()


@contextmanager
def assert_nothing_written(*sources) -> Iterator[None]:
    before = [snapshot(source) for source in sources]
    yield
    changed = []
    for source, (count_before, digest_before) in zip(sources, before, strict=True):
        count_after, digest_after = snapshot(source)
        if count_after != count_before:
            changed.append(f"{_label(source)}: {count_before} -> {count_after} rows")
        elif digest_after != digest_before:
            changed.append(f"{_label(source)}: a row's values changed")
    assert not changed, "a refused post wrote data: " + "; ".join(changed)
