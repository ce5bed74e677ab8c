#!/bin/bash
# Run at every boot by mesos-cluster-metadata-guard.service on every agent, before Docker and
# the Mesos agent: keeps the instance metadata service (169.254.169.254 on AWS and OpenStack
# alike), and with it the node's cloud credentials, from everything the node runs for others.
#  - Host network: only root may connect. Root is cloud-init and this project's node scripts
#    (agent-identity, fetch-secrets, agent-lifecycle, agent-health) and the SSM agent; Jenkins
#    masters (host network, user jenkins) and every other user are refused.
#  - Containers on any Docker network: their packets reach the host routed from a bridge; the
#    raw table's PREROUTING sees them before any of Docker's own chains, which never touch it
#    (the host's own loopback traffic passes PREROUTING too, and is left alone).
#    Host-network containers are the first case; builds' Docker refuses them (docker/authz.rego).
# Idempotent: a rule already there is not added twice.
set -euo pipefail
metadata="${MESOS_CLUSTER_METADATA_ADDRESS:-169.254.169.254}"

rule() {
  local table="$1"
  shift
  iptables -w -t "$table" -C "$@" 2>/dev/null || iptables -w -t "$table" -I "$@"
}

rule filter OUTPUT -d "$metadata" -m owner ! --uid-owner 0 -j REJECT
rule raw PREROUTING ! -i lo -d "$metadata" -j DROP
echo "metadata-guard: $metadata is open to root on the host only"
