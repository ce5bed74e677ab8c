# shellcheck shell=bash
# Sourced, after facts.env, by the node scripts that call Mesos over HTTP (await-ready,
# agent-health, agent-lifecycle, pool-usage, drain-agent); lib/cloud-init/common-files.ts writes it
# beside every helper that sources it. With tls.mesos (facts CLUSTER_MESOS_TLS_*) the masters, the
# agents and the masters' drain gates speak HTTPS only and want a client certificate from the
# cluster CA: this node presents its own and checks the peer's by address. Without, plain HTTP.
# Functions, not variables: shellcheck cannot see a sourced file's variables from the scripts.

# mesos_url ADDRESS[PATH]: the URL in the scheme Mesos speaks; `mesos_url ''` is the bare prefix.
mesos_url() {
  if [ -n "${CLUSTER_MESOS_TLS_CA:-}" ]; then
    printf 'https://%s' "$1"
  else
    printf 'http://%s' "$1"
  fi
}

# mesos_curl CURL-ARGUMENT...: curl, with this node's certificate and the cluster CA under tls.mesos.
mesos_curl() {
  if [ -n "${CLUSTER_MESOS_TLS_CA:-}" ]; then
    local root="${MESOS_CLUSTER_ROOT:-}"
    curl --cacert "${root}${CLUSTER_MESOS_TLS_CA}" --cert "${root}${CLUSTER_MESOS_TLS_CERT}" --key "${root}${CLUSTER_MESOS_TLS_KEY}" "$@"
  else
    curl "$@"
  fi
}
