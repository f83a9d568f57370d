#!/usr/bin/env bash
# Checks the binaries and servers the engine-backed tests need, and starts a server that is
# installed but stopped, with the same command the machine image uses. It never installs
# anything: the tests themselves fail, loudly, when an engine is missing in CI.
set -uo pipefail

need_bin() { command -v "$1" >/dev/null 2>&1 && echo "   $1: $(command -v "$1")" || echo "   $1: MISSING"; }
echo "== engines"
need_bin openssl
if [ -x /usr/sbin/mosquitto ]; then echo "   mosquitto: /usr/sbin/mosquitto"; else echo "   mosquitto: MISSING"; fi
if [ -x /usr/bin/chromium ]; then echo "   chromium: /usr/bin/chromium"; else echo "   chromium: MISSING"; fi
need_bin promtool
need_bin prometheus
need_bin faketime
if /usr/bin/python3 -c 'import paho.mqtt.client' >/dev/null 2>&1; then echo "   paho (python3-paho-mqtt): present"; else echo "   paho (python3-paho-mqtt): MISSING"; fi

# PostgreSQL on 127.0.0.1:5432 (trust auth), for the entity store's server adapter.
if command -v pg_isready >/dev/null 2>&1; then
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    echo "   postgresql: not answering; starting it"
    if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
      pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
    fi
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
  pg_isready -h 127.0.0.1 -p 5432 | sed 's/^/   postgresql: /'
else
  echo "   postgresql: pg_isready MISSING"
fi

# NATS with JetStream on 127.0.0.1:4222, for the ingest queue's adapter; the restart test starts
# its own server from the same binary.
need_bin nats-server
if ! (exec 3<>/dev/tcp/127.0.0.1/4222) 2>/dev/null; then
  echo "   nats: not answering on 4222; starting it as the machine image does"
  if command -v nats-server >/dev/null 2>&1; then
    mkdir -p /var/lib/nats-server
    nohup nats-server -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server >/tmp/fleetplane-nats.log 2>&1 &
    for _ in $(seq 1 20); do (exec 3<>/dev/tcp/127.0.0.1/4222) 2>/dev/null && break; sleep 0.5; done
  fi
fi
if (exec 3<>/dev/tcp/127.0.0.1/4222) 2>/dev/null; then echo "   nats: answering on 127.0.0.1:4222"; else echo "   nats: MISSING"; fi
