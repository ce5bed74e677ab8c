#!/bin/bash
# Names an agent <pool>-<instance id> and tells Mesos its address. Agents of a pool share one
# cloud-config document, so each learns its name and address only at boot.
# Agents of a pool with data volumes also learn which volume is theirs, from the name the stack
# gave the agent: on AWS the instance's Name tag, <cluster>-<agent>, read through the metadata
# service (IMDSv2; the stack enables tags in metadata on them); on OpenStack the server's
# metadata key `agent`, read from the config drive (openstack/latest/meta_data.json, `meta`).
# The agent name becomes the Mesos attribute `volume` that Marathon constraints pin an app to.
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

# The config drive's meta_data.json (OpenStack). MESOS_CLUSTER_CONFIG_DRIVE names a directory
# holding the drive's files instead (tests); otherwise the drive is mounted read-only for the read.
config_drive_metadata() {
  local dir="${MESOS_CLUSTER_CONFIG_DRIVE:-}" device
  if [ -n "$dir" ]; then
    cat "$dir/openstack/latest/meta_data.json"
    return
  fi
  # iso9660 drives are labelled config-2, vfat ones CONFIG-2.
  for device in /dev/disk/by-label/config-2 /dev/disk/by-label/CONFIG-2 ''; do
    [ -e "$device" ] && break
  done
  if [ -z "$device" ]; then
    echo "agent-identity: no config drive (/dev/disk/by-label/config-2); the stack sets config_drive on every server" >&2
    return 1
  fi
  dir="$(mktemp -d)"
  mount -o ro "$device" "$dir"
  cat "$dir/openstack/latest/meta_data.json" || true
  umount "$dir"
  rmdir "$dir"
}

if [ "${2:-}" = "--volume-attribute" ]; then
  # shellcheck source=/dev/null
  . "${root}/etc/mesos-cluster/facts.env"
  case "$CLUSTER_CLOUD" in
    openstack)
      volume="$(config_drive_metadata | jq -r '.meta.agent // empty')"
      origin="server metadata key agent '$volume' (config drive)"
      hint="is the server's metadata key agent set?"
      ;;
    *)
      token="$(curl -fsS --retry 5 --retry-connrefused -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' "$imds/latest/api/token")"
      tag="$(curl -fsS --retry 5 --retry-connrefused -H "X-aws-ec2-metadata-token: $token" "$imds/latest/meta-data/tags/instance/Name")"
      volume="${tag#"${CLUSTER_NAME}-"}"
      [ "$volume" = "$tag" ] && volume=''
      origin="instance tag Name '$tag'"
      hint="is instance_metadata_tags enabled?"
      ;;
  esac
  # The value becomes a Mesos attribute and a file: an agent name of this pool, nothing else.
  if ! [[ "$volume" =~ ^[a-z0-9]([a-z0-9-]*[a-z0-9])?$ ]] || [ "${volume#"${pool}-"}" = "$volume" ]; then
    echo "agent-identity: $origin does not name an agent of pool '$pool' in cluster '$CLUSTER_NAME'; $hint" >&2
    exit 1
  fi
  mkdir -p "${root}/etc/mesos-agent/attributes"
  printf '%s\n' "$volume" >"${root}/etc/mesos-agent/attributes/volume"
fi
