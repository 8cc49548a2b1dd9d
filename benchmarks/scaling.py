"""What every benchmark prints last: each measurement at a small and a large size, from one
run, with the ratio large / small (ADR 0022: the target is "flat", within 1.5x)."""

import os
from dataclasses import dataclass

FLAT = 1.5  # large / small at most this: the cost does not grow with the centre


@dataclass
class Pair:
    label: str
    small: float  # milliseconds (or seconds: `unit`)
    large: float
    small_queries: int | None = None
    large_queries: int | None = None
    unit: str = "ms"
    compared: bool = True  # False: a comparison shown for information (not a size), never "grows"

    @property
    def ratio(self) -> float:
        return self.large / self.small if self.small else float("inf")


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} ({os.cpu_count()} CPUs, shared)"


def ratio_table(pairs: list[Pair], *, small: str, large: str) -> bool:
    """Print the table; True when every ratio is within FLAT. Benchmarks print the verdict and
    do not fail on it (timings on a shared machine are noisy): a crash is what fails a smoke run."""
    print(f"\n{'measurement':<58} {small:>14} {large:>14} {'ratio':>7}  queries")
    flat = True
    for pair in pairs:
        queries = ""
        if pair.small_queries is not None:
            queries = f"{pair.small_queries} -> {pair.large_queries}"
        within = pair.ratio <= FLAT or not pair.compared
        flat &= within
        print(
            f"{pair.label:<58} {pair.small:>11.1f} {pair.unit:<2} {pair.large:>11.1f} {pair.unit:<2} "
            f"{pair.ratio:>6.2f}x  {queries}{'' if within else '  (grows)'}"
        )
    print(f"Flat (every size ratio within {FLAT}x): {'yes' if flat else 'no'}; {load_average()} at end")
    return flat


def explain_slowest(client, path: str, *, top: int = 2) -> None:
    """`--explain`: the slowest queries of one request to `path`, with PostgreSQL's plan."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    slowest = sorted(queries.captured_queries, key=lambda query: float(query["time"]), reverse=True)[:top]
    for query in slowest:
        print(f"\n    {float(query['time']) * 1000:.1f} ms: {query['sql'][:300]}")
        if query["sql"].lstrip().upper().startswith("SELECT"):
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                print("\n".join("      " + row[0] for row in cursor.fetchall()))
