#!/usr/bin/env bash
# Trains the Rasa model only when its inputs changed: the hash of the config, domain, rules,
# NLU data, custom NLU components and the knowledge modules they import (text folding, sentences)
# is stored next to the model.
set -euo pipefail
cd "$(dirname "$0")/.."
# (Rasa's server side in bot/veiviser_nlu: the launcher and the tracker and lock stores, is not a training input.)
inputs=$(find bot/config.yml bot/domain.yml bot/data nlu_data bot/veiviser_nlu knowledge/text.py knowledge/story.py knowledge/language_detection.py -type f \( -name '*.yml' -o -name '*.py' \) \
  -not -name server.py -not -name tracker_store.py -not -name lock_store.py | sort)
hash=$(cat $inputs | sha256sum | cut -d' ' -f1)
model="models/veiviser.tar.gz"
if [[ -f "$model" && -f models/inputs.sha256 && "$(cat models/inputs.sha256)" == "$hash" ]]; then
  echo "model is up to date ($model)"
  exit 0
fi
echo "training the model (inputs changed)…"
mkdir -p models
start=$(date +%s)
.venv/bin/rasa train --config bot/config.yml --domain bot/domain.yml --data bot/data nlu_data \
  --out models --fixed-model-name veiviser --quiet --force  # our hash decides when; Rasa's cache cannot see imported code
echo "$hash" > models/inputs.sha256
echo "trained in $(( $(date +%s) - start )) s"
