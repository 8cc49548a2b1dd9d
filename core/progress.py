"""The one progress counter for long jobs (report builders, bulk work): a builder passes its
rows through ``counted`` and the job's ``progress(done, total)`` hears how far it is."""

from collections.abc import Callable, Iterable, Iterator

Progress = Callable[[int, int], None]  # (done, total)
PROGRESS_EVERY = 500  # rows between reports


def counted[Row](
    rows: Iterable[Row], *, total: int, progress: Progress | None, every: int = PROGRESS_EVERY
) -> Iterator[Row]:
    """Yield ``rows`` unchanged, calling ``progress(done, total)`` after every ``every`` rows."""
    for done, row in enumerate(rows, start=1):
        if progress is not None and done % every == 0:
            progress(done, total)
        yield row
