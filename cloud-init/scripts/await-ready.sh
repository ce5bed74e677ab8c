#!/bin/bash
# Writes the readiness marker once every named service answers its health probe.
# Usage: await-ready [zookeeper|mesos-master|mesos-agent|marathon|ssh|edge]...
set -euo pipefail
root="${MESOS_CLUSTER_ROOT:-}"
timeout="${MESOS_CLUSTER_READY_TIMEOUT:-900}"
interval="${MESOS_CLUSTER_READY_INTERVAL:-5}"

# shellcheck source=/dev/null
. "${root}/etc/mesos-cluster/facts.env"
if [ -f "${root}/etc/mesos-cluster/node.env" ]; then
  # shellcheck source=/dev/null
  . "${root}/etc/mesos-cluster/node.env"
fi
# mesos_url and mesos_curl: HTTP or, with tls.mesos, HTTPS with this node's certificate.
# shellcheck source=/dev/null
. "${root}/usr/local/lib/mesos-cluster/mesos-tls.sh"
# Tests point the ZooKeeper probe at a stand-in server.
zk_port="${MESOS_CLUSTER_PROBE_ZK_PORT:-${CLUSTER_ZK_CLIENT_PORT}}"

http_ok() {
  curl -fsS --max-time 5 -o /dev/null "$@" 2>/dev/null
}

# srvr reports "Mode: leader|follower|..." only once the server serves, i.e. has a quorum.
probe_zookeeper() (
  exec 2>/dev/null
  exec 3<>"/dev/tcp/127.0.0.1/${zk_port}"
  printf 'srvr' >&3
  reply="$(timeout 5 cat <&3)"
  grep -Eq '^Mode: (leader|follower|observer|standalone)' <<<"$reply"
)
# /health answers as soon as the process runs. A master is ready once its replicated log has
# recovered: a rolling replacement that moves on before that can leave the log without a quorum.
probe_mesos_master() {
  mesos_curl -fsS --max-time 5 "$(mesos_url "${CLUSTER_NODE_IP}:${CLUSTER_MESOS_MASTER_PORT}/metrics/snapshot")" 2>/dev/null |
    jq -e '."registrar/log/recovered" == 1' >/dev/null
}
probe_mesos_agent() { mesos_curl -fsS --max-time 5 -o /dev/null "$(mesos_url "${CLUSTER_NODE_IP}:${CLUSTER_MESOS_AGENT_PORT}/health")" 2>/dev/null; }
# /ping answers before Marathon has joined the election. /v2/leader gives the leader's address
# from the leader and from every follower, and 404 while no leader is elected. The API wants
# Marathon's basic credentials when fetch-secrets wrote them; curl reads them from stdin, so
# they never show in the process list.
probe_marathon() {
  local credentials
  credentials="$(sed -n 's/^MARATHON_HTTP_CREDENTIALS=//p' "${root}/etc/mesos-cluster/secrets/marathon.env" 2>/dev/null)" || true
  { [ -z "$credentials" ] || printf 'user = "%s"\n' "$credentials"; } |
    curl -fsS --max-time 5 -K - "http://127.0.0.1:${CLUSTER_MARATHON_HTTP_PORT}/v2/leader" 2>/dev/null |
    jq -e '(.leader | type) == "string" and (.leader | length) > 0' >/dev/null
}
probe_ssh() { systemctl is-active --quiet ssh; }
# The edge answers once the generator has installed routes from a Marathon answer.
probe_edge() { http_ok "http://127.0.0.1/edge-health"; }

for service in "$@"; do
  case "$service" in
    zookeeper | mesos-master | mesos-agent | marathon | ssh | edge) ;;
    *) echo "await-ready: no probe for '$service'" >&2; exit 2 ;;
  esac
done

deadline=$((SECONDS + timeout))
for service in "$@"; do
  until "probe_${service//-/_}"; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "await-ready: $service is not ready after ${timeout}s" >&2
      exit 1
    fi
    sleep "$interval"
  done
done

mkdir -p "${root}/var/lib/mesos-cluster"
printf 'role=%s\nservices=%s\n' "$CLUSTER_NODE_ROLE" "$*" >"${root}/var/lib/mesos-cluster/ready"
