#!/bin/bash
# Enables this node's units and masks every other role's, so that one base image runs only
# this role's services: the mesos package enables both mesos-master and mesos-slave when it
# is installed, and a mask is what keeps the other one from ever starting.
# Usage: activate-units --enable UNIT... --mask UNIT...
set -euo pipefail
root="${MESOS_CLUSTER_ROOT:-}"

enable=()
mask=()
list=
for arg in "$@"; do
  case "$arg" in
    --enable) list=enable ;;
    --mask) list=mask ;;
    *)
      case "$list" in
        enable) enable+=("$arg") ;;
        mask) mask+=("$arg") ;;
        *) echo "activate-units: '$arg' comes before --enable or --mask" >&2; exit 2 ;;
      esac
      ;;
  esac
done

# The first run restarts the units so they read the files cloud-init just wrote; later runs
# (the node is ready) only make sure they run, and never bounce a quorum member.
if [ -e "${root}/var/lib/mesos-cluster/ready" ]; then action=start; else action=restart; fi

# Drop-ins and fstab may have changed.
systemctl daemon-reload
for unit in "${mask[@]}"; do
  systemctl stop "$unit" 2>/dev/null || true
  systemctl mask "$unit"
done
for unit in "${enable[@]}"; do
  systemctl unmask "$unit"
  systemctl enable "$unit"
  systemctl "$action" "$unit"
done
