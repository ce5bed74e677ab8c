#!/bin/bash
# Sets the ACL of ZooKeeper's root znode once the ensemble serves: everyone may read, only the
# quorum servers (ZooKeeper, masters, Marathon), each by its own address, may create or delete
# top-level znodes.
# Deleting a znode takes DELETE on its parent, so an open root would let any client (a build on
# an agent) delete /mesos or /marathon while empty, or take those names first. Connects from
# this server's own address, which the ACL names: setting the same ACL again, after a
# reboot or from another ZooKeeper server, is allowed and changes nothing.
# Usage: protect-zookeeper-root <acl entry>...   e.g. world:anyone:r ip:10.20.0.10/32:cdrwa ip:10.20.4.10/32:cdrwa
# (one argument per entry, so a long ACL continues over lines in configure-node).
set -euo pipefail
root="${MESOS_CLUSTER_ROOT:-}"
acl="$(IFS=,; echo "$*")"
# shellcheck source=/dev/null
. "${root}/etc/mesos-cluster/facts.env"
cli="${root}/usr/share/zookeeper/bin/zkCli.sh"
attempts="${MESOS_CLUSTER_ZK_ACL_ATTEMPTS:-20}"
if [ ! -x "$cli" ]; then
  echo "protect-zookeeper-root: no $cli (Debian package zookeeper)" >&2
  exit 1
fi

# zkCli.sh reports refusals on its output, not in its exit code.
for ((attempt = 1; ; attempt++)); do
  if output="$("$cli" -server "${CLUSTER_NODE_IP}:${CLUSTER_ZK_CLIENT_PORT}" setAcl / "$acl" 2>&1)" &&
    ! grep -qE 'Insufficient permission|Exception|Connection refused' <<<"$output"; then
    exit 0
  fi
  if [ "$attempt" -ge "$attempts" ]; then
    echo "protect-zookeeper-root: cannot set the ACL of /: $(tail -n 3 <<<"$output")" >&2
    exit 1
  fi
  sleep 3
done
