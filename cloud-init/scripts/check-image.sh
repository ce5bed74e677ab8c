#!/bin/bash
# Stops the first boot early when the base image does not hold what this node's files were
# written for (docs/base-image.md), instead of starting services that ignore them or never
# come back. image/provision.sh runs it with no argument after baking: every service.
# Usage: check-image [zookeeper|mesos-master|mesos-agent|marathon|docker|docker-authz|framework-proxy|edge|session-manager]...
set -euo pipefail
root="${MESOS_CLUSTER_ROOT:-}"
problems=0

problem() {
  echo "check-image: $*; see docs/base-image.md" >&2
  problems=$((problems + 1))
}

# The project's own units (image/units) sit where locally installed units go, below /etc: there
# activate-units masks another role's unit with a link to /dev/null, which a unit file of the
# same name in /etc/systemd/system would refuse ("File ... already exists").
own_units=/usr/local/lib/systemd/system

# The project's own unit, never a package's or a SysV script's generated one.
unit() {
  local name="$1" file="${root}${own_units}/$1"
  if [ ! -f "$file" ]; then
    problem "no $name in ${own_units} (image/provision.sh installs it)"
    return 1
  fi
  grep -q '(mesos-cluster)' "$file" || problem "$name is not mesos-cluster's unit"
}

service_unit() {
  local file="${root}${own_units}/$1"
  unit "$1" || return 0
  grep -Eq '^Restart=(always|on-failure)$' "$file" || problem "$1 has no Restart=always: a process that exits stays down"
  grep -Eq '^LimitNOFILE=[0-9]+$' "$file" || problem "$1 sets no LimitNOFILE"
}

executable() {
  [ -x "${root}$1" ] || problem "no executable $1 ($2)"
}

user() {
  grep -q "^$1:" "${root}/etc/passwd" || problem "no user $1 ($2)"
}

stand_in() {
  if grep -qs 'mesos-cluster stand-in' "${root}$1" && [ "${MESOS_CLUSTER_ALLOW_STAND_INS:-false}" != true ]; then
    problem "$1 is a test stand-in: this image was baked with provision.sh --stand-ins"
  fi
}

check_zookeeper() {
  service_unit zookeeper.service
  executable /usr/bin/java "Debian openjdk-17-jre-headless"
  [ -f "${root}/usr/share/java/zookeeper.jar" ] || problem "no /usr/share/java/zookeeper.jar (Debian zookeeper)"
  [ -f "${root}/etc/zookeeper/conf/environment" ] || problem "no /etc/zookeeper/conf/environment (Debian zookeeper)"
  user zookeeper "Debian zookeeper"
}

check_mesos_master() {
  service_unit mesos-master.service
  grep -q '^ExecStart=/usr/bin/mesos-init-wrapper master$' "${root}${own_units}/mesos-master.service" 2>/dev/null ||
    problem "mesos-master.service does not run 'mesos-init-wrapper master'"
  executable /usr/bin/mesos-init-wrapper "mesos package"
  executable /usr/sbin/mesos-master "mesos package"
  stand_in /usr/sbin/mesos-master
}

check_mesos_agent() {
  local file="${root}${own_units}/mesos-slave.service"
  service_unit mesos-slave.service
  # mesos/mesos-packaging's wrapper takes "agent" and reads /etc/mesos-agent; Mesosphere's
  # takes "slave" and reads /etc/mesos-slave, where this node writes nothing.
  grep -q '^ExecStart=/usr/bin/mesos-init-wrapper agent$' "$file" 2>/dev/null ||
    problem "mesos-slave.service does not run 'mesos-init-wrapper agent'"
  grep -q '^KillMode=process$' "$file" 2>/dev/null || problem "mesos-slave.service would kill tasks on an agent restart (KillMode=process)"
  grep -qs '/etc/mesos-agent' "${root}/usr/bin/mesos-init-wrapper" || problem "mesos-init-wrapper does not read /etc/mesos-agent"
  executable /usr/sbin/mesos-agent "mesos package"
  executable /usr/libexec/mesos/mesos-logrotate-logger "mesos package: the sandbox log rotator"
  [ -f "${root}/usr/lib/liblogrotate_container_logger.so" ] || problem "no /usr/lib/liblogrotate_container_logger.so (mesos package)"
  executable /usr/sbin/logrotate "Debian logrotate: the container logger runs it"
  stand_in /usr/sbin/mesos-agent
  executable /usr/sbin/iptables "Debian iptables: the metadata guard (metadata-guard.sh)"
  # Only a booted node tells: Mesos 1.11 isolates with cgroups v1 only.
  if [ -z "$root" ] && [ "$(stat -fc %T /sys/fs/cgroup 2>/dev/null)" = cgroup2fs ]; then
    problem "booted with cgroups v2 only: the kernel needs systemd.unified_cgroup_hierarchy=0"
  fi
}

check_marathon() {
  service_unit marathon.service
  executable /usr/share/marathon/bin/marathon "Marathon 1.10 tarball"
  executable /usr/lib/jvm/java-8/bin/java "Java 8 JRE: /etc/default/marathon sets JAVA_HOME=/usr/lib/jvm/java-8"
  [ -e "${root}/usr/lib/libmesos.so" ] || problem "no /usr/lib/libmesos.so (mesos package): Marathon needs it"
  user marathon "image/provision.sh"
  stand_in /usr/share/marathon/bin/marathon
}

check_docker() {
  executable /usr/bin/docker "Debian docker.io"
  [ -f "${root}/lib/systemd/system/docker.service" ] || problem "no docker.service (Debian docker.io)"
  unit docker-prune.timer || true
  unit docker-prune.service || true
}

# Build agents: the Docker daemon's authorization plugin (docker-authz-files.ts).
check_docker_authz() {
  service_unit opa-docker-authz.service
  executable /usr/local/bin/opa-docker-authz "opa-docker-authz binary, image/provision.sh"
  stand_in /usr/local/bin/opa-docker-authz
}

# The Jenkins masters' agents: HAProxy adds their Mesos credential (framework-proxy.cfg).
check_framework_proxy() {
  executable /usr/sbin/haproxy "Debian haproxy: the Jenkins masters' proxy to the leading Mesos master"
}

check_edge() {
  executable /usr/sbin/nginx "Debian nginx-light: the edge proxy"
  executable /usr/bin/python3 "Debian python3: the edge's route generator"
}

# AWS's SSM agent, which Session Manager reaches the node through (aws.sessionManager).
check_session_manager() {
  local dir found=false
  executable /usr/bin/amazon-ssm-agent "AWS's amazon-ssm-agent package: Session Manager needs it"
  for dir in /etc/systemd/system /lib/systemd/system /usr/lib/systemd/system; do
    if [ -f "${root}${dir}/amazon-ssm-agent.service" ]; then found=true; fi
  done
  $found || problem "no amazon-ssm-agent.service (AWS's amazon-ssm-agent package)"
  stand_in /usr/bin/amazon-ssm-agent
}

# What every node relies on, whatever its role.
check_common() {
  local tool
  for tool in /usr/bin/curl /usr/bin/jq /usr/bin/aws; do executable "$tool" "docs/base-image.md"; done
  [ -f "${root}/etc/logrotate.d/mesos" ] || problem "no /etc/logrotate.d/mesos: Mesos' logs would fill the disk"
  grep -qs 'systemd.unified_cgroup_hierarchy=0' "${root}/etc/default/grub.d/99-mesos-cluster-cgroups.cfg" ||
    problem "the kernel command line does not ask for cgroups v1 (/etc/default/grub.d/99-mesos-cluster-cgroups.cfg)"
}

services=("$@")
[ "${#services[@]}" -gt 0 ] || services=(zookeeper mesos-master mesos-agent marathon docker docker-authz framework-proxy edge session-manager)
check_common
for service in "${services[@]}"; do
  case "$service" in
    zookeeper | mesos-master | mesos-agent | marathon | docker | docker-authz | framework-proxy | edge | session-manager) "check_${service//-/_}" ;;
    *) problem "unknown service '$service'" ;;
  esac
done
if [ "$problems" -gt 0 ]; then
  echo "check-image: $problems problem(s); this node starts nothing" >&2
  exit 1
fi
