#!/bin/bash
# Stops the first boot early when the base image does not match the layout that this node's
# files were written for (docs/base-image.md), instead of starting services that ignore them.
# Usage: check-image [zookeeper|mesos-master|mesos-agent|marathon|docker|edge]...
set -euo pipefail
root="${MESOS_CLUSTER_ROOT:-}"

fail() {
  echo "check-image: $*; see docs/base-image.md" >&2
  exit 1
}

for service in "$@"; do
  case "$service" in
    zookeeper)
      [ -x "${root}/etc/init.d/zookeeper" ] || fail "no /etc/init.d/zookeeper (Debian package zookeeperd)"
      ;;
    mesos-master)
      [ -x "${root}/usr/bin/mesos-init-wrapper" ] || fail "no /usr/bin/mesos-init-wrapper (mesos package)"
      ;;
    mesos-agent)
      # Agent flags are in /etc/mesos-agent: the wrapper must be the "agent" variant
      # (mesos/mesos-packaging, Apache's RPM), not Mesosphere's, which reads /etc/mesos-slave.
      grep -q '/etc/mesos-agent' "${root}/usr/bin/mesos-init-wrapper" 2>/dev/null ||
        fail "mesos-init-wrapper does not read /etc/mesos-agent"
      ;;
    marathon)
      [ -x "${root}/usr/share/marathon/bin/marathon" ] || fail "no /usr/share/marathon/bin/marathon (marathon package)"
      ;;
    edge)
      [ -x "${root}/usr/sbin/nginx" ] || fail "no /usr/sbin/nginx (Debian package nginx-light)"
      [ -x "${root}/usr/bin/python3" ] || fail "no /usr/bin/python3 (the edge's route generator)"
      ;;
    docker)
      [ -x "${root}/usr/bin/docker" ] || fail "no /usr/bin/docker"
      ;;
    *) fail "unknown service '$service'" ;;
  esac
done
