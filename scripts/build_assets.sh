#!/usr/bin/env bash
# Build front-end assets into static/dist from npm packages (nothing from node_modules is committed).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules/nhsuk-frontend ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
out=static/dist
rm -rf "$out"
mkdir -p "$out/nhsuk" "$out/css" "$out/js"
cp -r node_modules/nhsuk-frontend/dist/nhsuk/assets "$out/nhsuk/assets"
cp node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.js "$out/nhsuk/nhsuk-frontend.min.js"
cp node_modules/htmx.org/dist/htmx.min.js "$out/js/htmx.min.js"
npx --no-install sass --no-source-map --load-path=node_modules --style=compressed \
  static/src/scss/main.scss "$out/css/main.css"
echo "Assets built in $out"
