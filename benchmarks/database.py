"""The benchmarks' own PostgreSQL database: never one that could hold real data."""

import sys
from urllib.parse import urlsplit, urlunsplit


def database_prepare(url: str) -> None:
    """Refuse anything but a PostgreSQL database named *bench*; create it if missing."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not parts.scheme.startswith("postgres"):
        sys.exit(f"Refusing to run: DATABASE_URL must be PostgreSQL, not {parts.scheme}")
    if "bench" not in name:
        sys.exit(f"Refusing to run against database {name!r}: use a dedicated database whose name contains 'bench'")
    import psycopg

    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')
            print(f"Created database {name}")
