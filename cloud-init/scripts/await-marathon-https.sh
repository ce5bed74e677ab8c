#!/bin/bash
# With tls.marathon, Marathon has no plain-HTTP listener for await-ready's probe: this waits until
# it answers /v2/leader with a leader over HTTPS, its certificate checked against the cluster CA
# at the node's own address (the certificate's IP SANs name no loopback). Runs before await-ready,
# so the readiness marker still means Marathon is ready. The basic credentials go to curl on stdin.
# Usage: await-marathon-https <port> <CA file> <secrets environment file>
set -euo pipefail
root="${MESOS_CLUSTER_ROOT:-}"
timeout="${MESOS_CLUSTER_READY_TIMEOUT:-900}"
interval="${MESOS_CLUSTER_READY_INTERVAL:-5}"
port="$1"
ca="$root$2"
environment="$root$3"

# shellcheck source=/dev/null
. "${root}/etc/mesos-cluster/facts.env"
# Tests point the probe at a stand-in on loopback.
address="${MESOS_CLUSTER_PROBE_MARATHON_IP:-${CLUSTER_NODE_IP}}"

probe() {
  local credentials
  credentials="$(sed -n 's/^MARATHON_HTTP_CREDENTIALS=//p' "$environment" 2>/dev/null)" || true
  { [ -z "$credentials" ] || printf 'user = "%s"\n' "$credentials"; } |
    curl -fsS --max-time 5 --cacert "$ca" -K - "https://${address}:${port}/v2/leader" 2>/dev/null |
    jq -e '(.leader | type) == "string" and (.leader | length) > 0' >/dev/null
}

deadline=$((SECONDS + timeout))
until probe; do
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "await-marathon-https: Marathon does not answer over HTTPS at ${address}:${port} after ${timeout}s" >&2
    exit 1
  fi
  sleep "$interval"
done
