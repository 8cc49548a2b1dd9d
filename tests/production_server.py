"""gunicorn with production settings on the loopback, for the production page check
(tests/test_production_pages.py) and the load scenario (benchmarks/load.py).

`collect_static(root)` runs collectstatic with config.settings.production into `root` (the
manifest every page is rendered against); `ProductionServer` starts gunicorn on a free
loopback port with that STATIC_ROOT and waits for /health/; `client()` is a requests session
that talks to it as a browser behind the TLS-terminating proxy would (X-Forwarded-Proto https,
Referer for CSRF, and Secure cookies sent back over the loopback's plain HTTP)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SETTINGS = "config.settings.production"
SECRET = "production-page-check-only-not-a-real-secret-0123456789abcdef"


def production_env(*, database_url: str, static_root: Path, media_root: Path | None = None, **extra) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "STATIC_ROOT": str(static_root),
        # In-process tasks and an in-memory mailbox: no outside mail server, no shared Redis.
        "EMAIL_URL": "locmem://",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("REDIS_URL", None)
    if media_root is not None:
        env["MEDIA_ROOT"] = str(media_root)
    env.update({key: str(value) for key, value in extra.items()})
    return env


def collect_static(static_root: Path) -> None:
    """collectstatic as the Dockerfile runs it (production settings: hashed names + manifest)."""
    env = production_env(database_url="sqlite:///:memory:", static_root=static_root)
    subprocess.run(
        [str(BIN / "python"), "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    assert (static_root / "staticfiles.json").exists(), "collectstatic wrote no manifest"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ProductionServer:
    def __init__(self, env: dict, *, workers: int = 2, log_path: Path, threads: int = 1):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        command = [
            str(BIN / "gunicorn"), "config.wsgi",
            "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(workers), "--threads", str(threads),
            "--no-control-socket", "--timeout", "60",
        ]  # fmt: skip
        with log_path.open("wb") as log_file:
            # Our own venv's gunicorn with fixed arguments, no outside input.
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
            )
        try:
            self._wait_until_up()
        except BaseException:
            self.stop()  # never leave a server behind when it did not come up
            raise

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def _wait_until_up(self, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.process.returncode}):\n{self.log()}")
            try:
                response = requests.get(
                    f"{self.url}/health/?format=json", headers={"X-Forwarded-Proto": "https"}, timeout=30
                )
                if response.status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer /health/ in {timeout:.0f} s:\n{self.log()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


class LoopbackSession(requests.Session):
    """A browser behind the TLS-terminating proxy: X-Forwarded-Proto https, a Referer for CSRF,
    and the Secure cookies (session, CSRF) sent back over the loopback's plain HTTP."""

    def __init__(self, base_url: str):
        super().__init__()
        self.base_url = base_url
        self.headers.update({"X-Forwarded-Proto": "https", "Referer": base_url.replace("http://", "https://") + "/"})

    def request(self, *args, **kwargs):
        response = super().request(*args, **kwargs)
        for cookie in self.cookies:
            cookie.secure = False
        return response


def client(base_url: str) -> LoopbackSession:
    return LoopbackSession(base_url)


CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def log_in(session: requests.Session, email: str, password: str) -> requests.Response:
    """Log in through the real login form (CSRF token, allauth, our lockout)."""
    page = session.get(f"{session.base_url}/accounts/login/", timeout=30)
    token = CSRF_INPUT.search(page.text).group(1)
    return session.post(
        f"{session.base_url}/accounts/login/",
        data={"csrfmiddlewaretoken": token, "login": email, "password": password},
        timeout=30,
        allow_redirects=False,
    )
