#!/usr/bin/env bash
# The tests start their own throw-away PostgreSQL and Redis servers (veiviser_eval.services) from
# Debian's binaries. Installs the packages with apt when the binaries are missing (as root, or with
# sudo when that is available), without starting the system-wide services.
set -euo pipefail
have_postgres() { compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null && compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null; }
have_redis() { command -v redis-server >/dev/null 2>&1 || test -x /usr/bin/redis-server; }
packages=()
have_postgres || packages+=(postgresql)
have_redis || packages+=(redis-server)
[[ ${#packages[@]} -eq 0 ]] && exit 0
sudo_cmd=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null 2>&1 || { echo "${packages[*]} missing: install with 'apt-get install ${packages[*]}' (as root)"; exit 1; }
  sudo_cmd="sudo"
fi
echo "installing ${packages[*]} from the Debian packages (the tests start their own servers)…"
# policy-rc.d exit 101: the packages' scripts do not start (or enable) the system-wide services.
policy=/usr/sbin/policy-rc.d
own_policy=""
if [[ ! -e $policy ]]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo_cmd tee "$policy" >/dev/null
  $sudo_cmd chmod +x "$policy"
  own_policy=1
fi
cleanup() { [[ -n $own_policy ]] && $sudo_cmd rm -f "$policy"; return 0; }
trap cleanup EXIT
$sudo_cmd apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
have_postgres || { echo "PostgreSQL's server binaries are still missing after installing postgresql"; exit 1; }
have_redis || { echo "redis-server is still missing after installing redis-server"; exit 1; }
