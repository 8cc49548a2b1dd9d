# Image for web, worker and beat (docker-compose.yml). Assets are built in a Node stage.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts/build_assets.sh scripts/
COPY static/src static/src
RUN bash scripts/build_assets.sh

FROM python:3.13-slim-bookworm
ENV PYTHONUNBUFFERED=1 UV_LINK_MODE=copy UV_PROJECT_ENVIRONMENT=/venv PATH=/venv/bin:$PATH
RUN apt-get update && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir uv==0.13.8
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev
COPY . .
COPY --from=assets /app/static/dist static/dist
# Production settings: the hashed, compressed files and the manifest that pages are rendered
# against (base settings write no manifest, and every page would fail). The key is a
# throw-away for this build step only; the container gets its own SECRET_KEY.
RUN SECRET_KEY=collectstatic-build-step-only DJANGO_SETTINGS_MODULE=config.settings.production \
      python manage.py collectstatic --noinput
# The media volume takes this folder's owner when it is first mounted.
RUN mkdir -p /app/media && chown nobody /app/media
USER nobody
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--no-control-socket"]
