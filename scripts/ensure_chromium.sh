#!/usr/bin/env bash
# The widget's browser tests drive Debian's Chromium (no browser download from the internet).
# Installs it with apt when it is missing (as root, or with sudo when that is available).
set -euo pipefail
command -v chromium >/dev/null 2>&1 && exit 0
sudo_cmd=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null 2>&1 || { echo "Chromium is missing: install it with 'apt-get install chromium' (as root)"; exit 1; }
  sudo_cmd="sudo"
fi
echo "installing Chromium from the Debian packages…"
$sudo_cmd apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends chromium >/dev/null
