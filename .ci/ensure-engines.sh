#!/usr/bin/env bash
# Checks the binaries and servers the engine-backed tests need, and starts a server that is
# installed but stopped, with the same command the machine image uses. It never installs
# anything: the tests themselves fail, loudly, when an engine is missing in CI.
set -uo pipefail

need_bin() { command -v "$1" >/dev/null 2>&1 && echo "   $1: $(command -v "$1")" || echo "   $1: MISSING"; }
echo "== engines"
need_bin openssl
