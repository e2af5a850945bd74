#!/usr/bin/env bash
# Starts the action server (:5055), the Rasa server (:5005) and the web app (:8000) together;
# Ctrl-C (or any of them stopping) stops all three.
set -uo pipefail
cd "$(dirname "$0")/.."
export SANIC_HOST=127.0.0.1
# Rasa and the action server share a secret: only Rasa may call the actions (actions/server.py).
export VEIVISER_ACTION_TOKEN="${VEIVISER_ACTION_TOKEN:-$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(32))')}"
export VEIVISER_ACTION_URL="${VEIVISER_ACTION_URL:-http://127.0.0.1:5055/webhook}"
pids=()
stop() { trap - INT TERM EXIT; for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done; wait; }
trap stop INT TERM EXIT

.venv/bin/python -m actions.server --port 5055 & pids+=($!)
.venv/bin/python -m veiviser_nlu.server run --model models/veiviser.tar.gz --endpoints bot/endpoints.yml --credentials bot/credentials.yml \
  --interface 127.0.0.1 --port 5005 --quiet & pids+=($!)
.venv/bin/python -m web & pids+=($!)

echo "Veiviser: web http://localhost:8000/  ·  Rasa :5005  ·  actions :5055  (Ctrl-C stops all)"
wait -n
echo "one of the servers stopped; stopping the others"
