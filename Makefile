# Two commands: `make run` (app with demo data on SQLite) and `make test` (the whole suite).
# Both set up everything on a fresh machine: Python venv (uv, from uv.lock), npm assets.

SHELL := /bin/bash
UV_VERSION := 0.13.8
UV := .tools/uv/bin/uv
PY := .venv/bin/python
export UV_PYTHON_DOWNLOADS := never
export UV_LINK_MODE := copy

.PHONY: run test setup lint worker beat assets clean

run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	DEBUG=$${DEBUG:-1} $(PY) manage.py runserver 127.0.0.1:8000

test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

# ADR 0029: style, complexity and function-level imports (ruff, and a script for services), the
# layers (import-linter), templates (djlint), tenancy (our script), migrations in step.
lint: setup
	.venv/bin/ruff check .
	$(PY) scripts/lint_function_imports.py
	.venv/bin/lint-imports
	.venv/bin/djlint --lint .
	$(PY) scripts/lint_tenancy.py
	$(PY) manage.py makemigrations --check --dry-run

worker: setup
	.venv/bin/celery -A config worker -l info --concurrency=2

beat: setup
	.venv/bin/celery -A config beat -l info --schedule=/tmp/celerybeat-schedule

setup: .venv/.synced static/dist/.built

$(UV):
	"$$(scripts/find_python.sh)" -m venv .tools/uv
	.tools/uv/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

.venv/.synced: $(UV) uv.lock pyproject.toml
	$(UV) sync --frozen --python "$$(scripts/find_python.sh)"
	touch $@

static/dist/.built: package.json package-lock.json scripts/build_assets.sh $(shell find static/src -type f)
	bash scripts/build_assets.sh
	touch $@

assets:
	bash scripts/build_assets.sh && touch static/dist/.built

clean:
	rm -rf .venv .tools node_modules static/dist staticfiles db.sqlite3
