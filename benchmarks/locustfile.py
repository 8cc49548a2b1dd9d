"""Locust scenario for benchmarks/load.py (issue 12 finding 9); run by it, not by hand.

`LoginPage`: anonymous visitors asking for the login page, the floor (the cheapest page
that goes through the whole stack: middleware, session, CSRF, Jinja2 layout).
`RolePages`: each virtual user walks every demo role's main pages in turn (the home page
and every header navigation link; sessions made by load.py, so no password hashing in the
measured run), with no think time (a closed loop: N clients = N requests
in flight). Loopback only: load.py refuses any host but 127.0.0.1."""

import itertools
import json
import os
import re
import time

from locust import HttpUser, constant, events, task

NAV_LINK = re.compile(r'class="nhsuk-header__navigation-link"\s+href="([^"]+)"')
# The proxy in front of gunicorn terminates TLS (production settings redirect plain HTTP).
HEADERS = {"X-Forwarded-Proto": "https"}

with open(os.environ["LOAD_SESSIONS"]) as sessions_file:
    SESSIONS = json.load(sessions_file)
_next_client = itertools.count()

# Every request's (name, milliseconds, failed, finished at), written to LOAD_RESULTS at exit:
# load.py computes requests/s and the percentiles from these (exact, not locust's buckets).
_samples: list[tuple[str, float, bool, float]] = []


@events.request.add_listener
def _record(name, response_time, exception, **kwargs):
    _samples.append((name, response_time, exception is not None, time.monotonic()))


@events.quitting.add_listener
def _write(**kwargs):
    with open(os.environ["LOAD_RESULTS"], "w") as results_file:
        json.dump(_samples, results_file)


class LoginPage(HttpUser):
    wait_time = constant(0)

    @task
    def login_page(self):
        self.client.get("/accounts/login/", headers=HEADERS, name="login page (floor)")


class RolePages(HttpUser):
    wait_time = constant(0)

    def on_start(self):
        # Every client walks every role's pages in turn, so 1, 4 and 16 clients request the
        # same mix; each client has its own session per role (no two clients update one row).
        index = next(_next_client)
        self.walk = []
        for role, cookies in SESSIONS["roles"]:
            headers = {**HEADERS, "Cookie": f"{SESSIONS['cookie_name']}={cookies[index % len(cookies)]}"}
            # The session cookie as a header: the jar would keep the Secure cookie the response
            # sets and not send it back over the loopback's plain HTTP.
            home = self.client.get("/", headers=headers, name=f"{role}: /")
            pages = ["/", *dict.fromkeys(NAV_LINK.findall(home.text))]
            self.walk += [(role, page, headers) for page in pages if not page.startswith("/admin/")]
        self.steps = itertools.cycle(self.walk)

    @task
    def next_page(self):
        role, page, headers = next(self.steps)
        with self.client.get(page, headers=headers, name=page, catch_response=True, allow_redirects=False) as response:
            if response.status_code != 200:
                response.failure(f"{role}: {page} answered {response.status_code}")
