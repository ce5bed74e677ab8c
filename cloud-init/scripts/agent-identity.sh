#!/bin/bash
# Names an agent <pool>-<instance id> and tells Mesos its address. Agents of a pool share one
# cloud-config document, so each learns its name and address only at boot.
# Agents of a pool with data volumes also learn which volume is theirs: the instance's Name tag,
# <cluster>-<agent>, read through the metadata service (IMDSv2; the stack enables tags in
# metadata on them), gives the agent name, which becomes the Mesos attribute `volume` that
# Marathon constraints pin an app to.
# Usage: agent-identity <pool> [--volume-attribute]
set -euo pipefail
root="${MESOS_CLUSTER_ROOT:-}"
pool="$1"
imds="${MESOS_CLUSTER_IMDS:-http://169.254.169.254}"

# The address of the interface that carries the default route: the one other nodes reach.
dev="$(ip -4 -o route show default | awk '{ for (i = 1; i < NF; i++) if ($i == "dev") { print $(i + 1); exit } }')"
address="$(ip -4 -o addr show dev "$dev" scope global | awk '{ split($4, a, "/"); print a[1]; exit }')"
if [ -z "$address" ]; then
  echo "agent-identity: no IPv4 address on the default route's interface '$dev'" >&2
  exit 1
fi
instance="$(cloud-init query v1.instance_id)"
name="$(printf '%s-%s' "$pool" "$instance" | tr '[:upper:]' '[:lower:]' | tr -c 'a-z0-9-' '-' | cut -c1-63)"
name="${name%-}"

if [ "$(hostname)" != "$name" ]; then
  hostnamectl set-hostname "$name"
fi
# Mesos advertises the address as the agent's hostname too: agent names are not in DNS, and
# Marathon and the Jenkins masters reach tasks by the hostname the agent reports.
mkdir -p "${root}/etc/mesos-agent" "${root}/etc/mesos-cluster"
printf '%s\n' "$address" >"${root}/etc/mesos-agent/ip"
printf '%s\n' "$address" >"${root}/etc/mesos-agent/hostname"
printf 'CLUSTER_NODE_NAME=%s\nCLUSTER_NODE_IP=%s\n' "$name" "$address" >"${root}/etc/mesos-cluster/node.env"
if ! grep -qxF "$address $name" "${root}/etc/hosts"; then
  printf '%s %s\n' "$address" "$name" >>"${root}/etc/hosts"
fi

if [ "${2:-}" = "--volume-attribute" ]; then
  token="$(curl -fsS --retry 5 --retry-connrefused -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' "$imds/latest/api/token")"
  tag="$(curl -fsS --retry 5 --retry-connrefused -H "X-aws-ec2-metadata-token: $token" "$imds/latest/meta-data/tags/instance/Name")"
  # shellcheck source=/dev/null
  . "${root}/etc/mesos-cluster/facts.env"
  volume="${tag#"${CLUSTER_NAME}-"}"
  # The value becomes a Mesos attribute and a file: a DNS-safe agent name, nothing else.
  if [ "$volume" = "$tag" ] || ! [[ "$volume" =~ ^[a-z0-9]([a-z0-9-]*[a-z0-9])?$ ]]; then
    echo "agent-identity: instance tag Name '$tag' does not name an agent of cluster '$CLUSTER_NAME'; is instance_metadata_tags enabled?" >&2
    exit 1
  fi
  mkdir -p "${root}/etc/mesos-agent/attributes"
  printf '%s\n' "$volume" >"${root}/etc/mesos-agent/attributes/volume"
fi
