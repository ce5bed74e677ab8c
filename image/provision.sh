#!/bin/bash
# Bakes the mesos-cluster base image: run as root on a fresh Debian 12 (bookworm) instance by
# Packer (image/mesos-cluster.pkr.hcl), or in a chroot by the image test. Installs ZooKeeper,
# Docker, the AWS CLI and the tools of the first boot from Debian; Mesos, Marathon and Java 8
# from artifacts no Debian archive has (docs/base-image.md); AWS's SSM agent from AWS's regional
# download bucket; then this project's own units, log rotation and cgroups v1, and leaves every
# role's unit disabled for cloud-init.
#
# Usage: provision.sh [--stand-ins]
#   IMAGE_DIR      this folder as uploaded (units/, logrotate/, systemd/, check-image.sh)
#                  default: the script's own folder
#   ARTIFACT_DIR   holds $MESOS_DEB, $MARATHON_TARBALL, $JAVA8_TARBALL, each checked against
#                  its *_SHA256 pin; default /tmp/mesos-cluster-artifacts
#   SSM_AGENT_VERSION, SSM_AGENT_DEB_SHA256, SSM_AGENT_REGION
#                  amazon-ssm-agent's version, the SHA-256 of its Debian package and the region
#                  whose bucket it comes from; the package is downloaded into ARTIFACT_DIR unless
#                  it is there already (amazon-ssm-agent_<version>_amd64.deb), then checked
#   --stand-ins    for the image test only: no Mesos, Marathon or Java 8 build exists on a test
#                  machine, and the test has no way to AWS, so marked stand-ins take their place
#                  (install_stand_ins below), and check-image refuses such an image at boot.
set -euo pipefail

IMAGE_DIR="${IMAGE_DIR:-$(cd "$(dirname "$0")" && pwd)}"
ARTIFACT_DIR="${ARTIFACT_DIR:-/tmp/mesos-cluster-artifacts}"
stand_ins=false
mesos_deb='' marathon_tarball='' java8_tarball='' ssm_agent_deb=''
case "${1:-}" in
  --stand-ins) stand_ins=true ;;
  '') ;;
  *) echo "provision: unknown argument '$1' (only --stand-ins)" >&2; exit 2 ;;
esac

# Debian bookworm packages, pinned to their upstream version and Debian revision. apt takes a
# trailing '*' as a version prefix: stable and security updates (+deb12uN) come in, nothing else.
DEBIAN_PACKAGES=(
  'zookeeper=3.8.0-11+deb12u*'            # 3.8 on Java 17; no zookeeperd: its SysV script has no supervisor
  'openjdk-17-jre-headless=17.0.*'         # ZooKeeper's Java (the default java)
  'docker.io=20.10.24+dfsg1-1+deb12u*'    # Docker pools; socket /var/run/docker.sock
  'awscli=2.9.19-1*'                      # secrets fetched at boot
  'curl=7.88.1-10+deb12u*'                # readiness probes
  'jq=1.6-2.1*'                           # readiness probes read JSON
  'logrotate=3.21.0-1*'                   # Mesos' logs and the sandbox logger
  'cloud-init=22.4*'                      # turns the image into a role at first boot
  'nginx-light=1.22.1-9+deb12u*'          # the edge role's proxy (its route generator is python3, which cloud-init needs)
  'haproxy=2.6.12-1+deb12u*'              # the Jenkins masters' proxy to the leading Mesos master (mesos-framework-proxy)
  systemd iproute2 util-linux e2fsprogs coreutils ca-certificates
)
# Every role's unit: all disabled here, enabled per node by cloud-init (lib/cloud-init/layout.ts UNITS).
ROLE_UNITS=(zookeeper mesos-master mesos-slave marathon docker docker.socket containerd nginx haproxy amazon-ssm-agent)
JVM_DIR=/usr/lib/jvm

log() { echo "provision: $*"; }
fail() { echo "provision: $*" >&2; exit 1; }

check_debian_12() {
  # shellcheck source=/dev/null
  . /etc/os-release
  [ "${VERSION_CODENAME:-}" = bookworm ] || fail "needs Debian 12 (bookworm), found ${PRETTY_NAME:-unknown}"
}

# Package scripts must not start services with their localhost defaults while baking.
hold_services() {
  printf '#!/bin/sh\n# provision.sh: no service starts while the image is baked.\nexit 101\n' >/usr/sbin/policy-rc.d
  chmod 0755 /usr/sbin/policy-rc.d
}
release_services() { rm -f /usr/sbin/policy-rc.d; }

install_debian_packages() {
  export DEBIAN_FRONTEND=noninteractive
  # On a fresh cloud instance, cloud-init and unattended upgrades may still hold apt's lock.
  if [ -d /run/systemd/system ] && command -v cloud-init >/dev/null; then cloud-init status --wait >/dev/null || true; fi
  apt-get update -q
  apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=600 "${DEBIAN_PACKAGES[@]}"
}

# Fails unless $ARTIFACT_DIR/$2 exists and has the SHA-256 in variable $3.
verified() {
  local what="$1" file="$ARTIFACT_DIR/$2" pin="${!3:-}"
  if [ -z "$2" ] || [ ! -f "$file" ]; then fail "$what: no file '$2' in $ARTIFACT_DIR"; fi
  [ -n "$pin" ] || fail "$what: $3 is not set"
  echo "$pin  $file" | sha256sum --check --quiet - || fail "$what: $file does not match $3"
  echo "$file"
}

# AWS publishes amazon-ssm-agent per region and version in its own bucket, not in any apt
# archive (AWS Systems Manager user guide: "Manually installing SSM Agent on Debian Server";
# the signature check there is what the operator does once to get SSM_AGENT_DEB_SHA256).
SSM_AGENT_URL_PATTERN='https://s3.%s.amazonaws.com/amazon-ssm-%s/%s/debian_amd64/amazon-ssm-agent.deb'

# Downloads the agent's package into $ARTIFACT_DIR, unless it is there already; prints its name.
fetch_ssm_agent() {
  local version="${SSM_AGENT_VERSION:-}" region="${SSM_AGENT_REGION:-}" name url
  [[ "$version" =~ ^[0-9]+(\.[0-9]+){3}$ ]] || fail "amazon-ssm-agent: SSM_AGENT_VERSION '$version' is not a release number such as 3.3.1142.0"
  name="amazon-ssm-agent_${version}_amd64.deb"
  if [ ! -f "$ARTIFACT_DIR/$name" ]; then
    [[ "$region" =~ ^[a-z]{2}(-[a-z]+)+-[0-9]+$ ]] || fail "amazon-ssm-agent: SSM_AGENT_REGION '$region' is not an AWS region such as us-east-1"
    command -v curl >/dev/null || fail "amazon-ssm-agent: no curl to download it; put $name into $ARTIFACT_DIR"
    # shellcheck disable=SC2059 # the pattern is this script's own constant
    url="$(printf "$SSM_AGENT_URL_PATTERN" "$region" "$region" "$version")"
    mkdir -p "$ARTIFACT_DIR"
    curl -fsSL --retry 3 -o "$ARTIFACT_DIR/$name" "$url" >&2 || fail "amazon-ssm-agent: could not download $url"
  fi
  echo "$name"
}

# Checked before anything is installed: a wrong file stops the build at once.
verify_artifacts() {
  mesos_deb="$(verified 'Mesos package' "${MESOS_DEB:-}" MESOS_DEB_SHA256)"
  marathon_tarball="$(verified 'Marathon tarball' "${MARATHON_TARBALL:-}" MARATHON_TARBALL_SHA256)"
  java8_tarball="$(verified 'Java 8 JRE tarball' "${JAVA8_TARBALL:-}" JAVA8_TARBALL_SHA256)"
  local ssm_agent_name
  ssm_agent_name="$(fetch_ssm_agent)"
  ssm_agent_deb="$(verified 'amazon-ssm-agent package' "$ssm_agent_name" SSM_AGENT_DEB_SHA256)"
}

install_artifacts() {
  # Mesos 1.11.0 built by image/mesos-package/build-mesos.sh (Debian 12, system gRPC, SSL); apt
  # pulls its Debian dependencies (libgrpc++1.51, libprotobuf32, libevent, libsvn1, libsasl2-modules).
  apt-get install -y -q --no-install-recommends "$mesos_deb"
  mkdir -p /usr/share/marathon "$JVM_DIR/java-8-jre"
  tar -xzf "$marathon_tarball" -C /usr/share/marathon --strip-components=1
  tar -xzf "$java8_tarball" -C "$JVM_DIR/java-8-jre" --strip-components=1
  ln -sfn java-8-jre "$JVM_DIR/java-8"
  # Its maintainer script enables and may start the agent; disable_role_units disables it, and
  # it must not run on while the image is baked either.
  apt-get install -y -q --no-install-recommends "$ssm_agent_deb"
  if [ -d /run/systemd/system ]; then systemctl stop amazon-ssm-agent || true; fi
}

# Stand-ins, for the image test only. Each is marked "mesos-cluster stand-in" and fails when
# run; the wrapper has the agent spelling of mesos/mesos-packaging's (it reads /etc/mesos-agent)
# and the package's files that the first boot overrides are laid out as the package does.
install_stand_ins() {
  local marker='# mesos-cluster stand-in: not Mesos, Marathon, Java 8 or amazon-ssm-agent (image test only)'
  local stub="#!/bin/sh
$marker
echo \"\$0: stand-in\" >&2
exit 1
"
  mkdir -p /usr/sbin /usr/libexec/mesos /usr/share/marathon/bin /etc/mesos /etc/mesos-master /var/lib/mesos /var/log/mesos
  for file in /usr/sbin/mesos-master /usr/sbin/mesos-agent /usr/libexec/mesos/mesos-logrotate-logger /usr/share/marathon/bin/marathon; do
    printf '%s' "$stub" >"$file"
    chmod 0755 "$file"
  done
  printf '#!/bin/bash\n%s\n# usage: mesos-init-wrapper (master|agent); flags from /etc/mesos-master or /etc/mesos-agent\nexit 1\n' \
    "$marker" >/usr/bin/mesos-init-wrapper
  chmod 0755 /usr/bin/mesos-init-wrapper
  for lib in /usr/lib/libmesos.so /usr/lib/liblogrotate_container_logger.so; do echo "$marker" >"$lib"; done
  printf 'LOGS=/var/log/mesos\nULIMIT="-n 8192"\n' >/etc/default/mesos
  echo 'zk://localhost:2181/mesos' >/etc/mesos/zk
  # Java 8: the Debian Java 17 runtime under the name Marathon's settings use.
  ln -sfn "$(basename "$(dirname "$(dirname "$(readlink -f /usr/bin/java)")")")" "$JVM_DIR/java-8"
  # amazon-ssm-agent: its binary and its unit where the AWS package puts them, enabled as its
  # maintainer script leaves it, so that disable_role_units is tested on it too.
  mkdir -p /etc/amazon/ssm
  printf '%s' "$stub" >/usr/bin/amazon-ssm-agent
  chmod 0755 /usr/bin/amazon-ssm-agent
  printf '[Unit]\nDescription=%s\n\n[Service]\nExecStart=/usr/bin/amazon-ssm-agent\nRestart=always\n\n[Install]\nWantedBy=multi-user.target\n' \
    'amazon-ssm-agent (mesos-cluster stand-in)' >/lib/systemd/system/amazon-ssm-agent.service
  systemctl enable amazon-ssm-agent
}

# Below /etc (where locally installed units go): activate-units masks another role's unit with
# a /dev/null link in /etc/systemd/system, which a unit file there would refuse.
install_units() {
  install -d /usr/local/lib/systemd/system
  install -m 0644 "$IMAGE_DIR"/units/*.service "$IMAGE_DIR"/units/*.timer /usr/local/lib/systemd/system/
  install -D -m 0644 "$IMAGE_DIR/systemd/logrotate-hourly.conf" /etc/systemd/system/logrotate.timer.d/mesos-cluster.conf
  install -m 0644 "$IMAGE_DIR/logrotate/mesos" /etc/logrotate.d/mesos
  # A packaged SysV script of the same name would only confuse operators; the units above win.
  rm -f /etc/init.d/mesos-master /etc/init.d/mesos-slave /etc/init.d/zookeeper
  if [ -d /run/systemd/system ]; then systemctl daemon-reload; fi
}

create_users() {
  getent passwd marathon >/dev/null ||
    useradd --system --user-group --home-dir /var/lib/marathon --create-home --shell /usr/sbin/nologin marathon
  mkdir -p /var/log/mesos /var/lib/mesos /var/lib/zookeeper
  chown zookeeper:zookeeper /var/lib/zookeeper
}

# Mesos 1.11 implements only cgroups v1; bookworm's systemd boots v2 unless told otherwise.
use_cgroups_v1() {
  mkdir -p /etc/default/grub.d
  cat >/etc/default/grub.d/99-mesos-cluster-cgroups.cfg <<'EOF'
# mesos-cluster: Mesos 1.11 isolates containers with cgroups v1 only.
GRUB_CMDLINE_LINUX="$GRUB_CMDLINE_LINUX systemd.unified_cgroup_hierarchy=0"
EOF
  if command -v update-grub >/dev/null && [ -d /boot/grub ]; then
    update-grub
  else
    log "no GRUB here (a chroot?): the kernel command line is set for the next update-grub"
  fi
}

disable_role_units() {
  local unit
  for unit in "${ROLE_UNITS[@]}"; do
    systemctl disable "$unit" 2>/dev/null || true
  done
  # Wanted by docker.service: it starts and stops with Docker, on Docker pools only.
  systemctl enable docker-prune.timer
}

# cloud-init's locale module sets en_US.UTF-8 unless told otherwise, and Debian generates that
# locale only when asked, so a first boot fails its config stage ("update-locale: invalid
# locale settings") on a base image without it (the boot test found this). C.UTF-8 is built
# into glibc: the image uses it and cloud-init keeps it.
use_c_utf8_locale() {
  echo 'LANG=C.UTF-8' >/etc/default/locale
  mkdir -p /etc/cloud/cloud.cfg.d
  printf '# Written by image/provision.sh: keep the image locale.\nlocale: C.UTF-8\n' >/etc/cloud/cloud.cfg.d/90-mesos-cluster-locale.cfg
}

write_image_facts() {
  mkdir -p /etc/mesos-cluster
  {
    echo "# Written by image/provision.sh when this image was baked."
    echo "IMAGE_BUILT=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "IMAGE_STAND_INS=$stand_ins"
    echo "IMAGE_MESOS_DEB=${MESOS_DEB:-}"
    echo "IMAGE_MARATHON_TARBALL=${MARATHON_TARBALL:-}"
    echo "IMAGE_JAVA8_TARBALL=${JAVA8_TARBALL:-}"
    echo "IMAGE_SSM_AGENT_VERSION=${SSM_AGENT_VERSION:-}"
    echo "IMAGE_PACKAGES=\"$(dpkg-query -W -f='${Package}=${Version} ' zookeeper docker.io awscli mesos amazon-ssm-agent 2>/dev/null || true)\""
  } >/etc/mesos-cluster/image.env
}

# ---- Containment (issue #20), kept apart from the rest of the recipe ----------------------------
# Build agents' Docker asks Open Policy Agent's opa-docker-authz about every API request
# (cloud-init/docker/authz.rego): one static binary, run as a legacy plugin by
# units/opa-docker-authz.service. It is an artifact like Mesos: the operator builds it from the
# project's release tag v0.9 (its build.sh: opa-docker-authz-linux-amd64) and pins its SHA-256
#   OPA_DOCKER_AUTHZ, OPA_DOCKER_AUTHZ_SHA256   the binary in ARTIFACT_DIR and its pin
# Every agent's metadata guard (cloud-init/scripts/metadata-guard.sh) needs iptables.
CONTAINMENT_PACKAGES=('iptables=1.8.9-2*')
docker_authz_bin=''

verify_docker_authz() {
  docker_authz_bin="$(verified 'opa-docker-authz binary' "${OPA_DOCKER_AUTHZ:-}" OPA_DOCKER_AUTHZ_SHA256)"
}

install_containment() {
  apt-get install -y -q --no-install-recommends "${CONTAINMENT_PACKAGES[@]}"
  if $stand_ins; then
    printf '%s\n' '#!/bin/sh' '# mesos-cluster stand-in: not opa-docker-authz (image test only)' 'exit 1' >/usr/local/bin/opa-docker-authz
    chmod 0755 /usr/local/bin/opa-docker-authz
  else
    install -m 0755 "$docker_authz_bin" /usr/local/bin/opa-docker-authz
  fi
}
# ---- end of containment -------------------------------------------------------------------------

main() {
  check_debian_12
  if ! $stand_ins; then verify_artifacts; fi
  if ! $stand_ins; then verify_docker_authz; fi
  hold_services
  trap release_services EXIT
  install_debian_packages
  if $stand_ins; then install_stand_ins; else install_artifacts; fi
  install_units
  install_containment
  create_users
  use_cgroups_v1
  use_c_utf8_locale
  disable_role_units
  install -D -m 0755 "$IMAGE_DIR/check-image.sh" /usr/local/lib/mesos-cluster/check-image
  write_image_facts
  MESOS_CLUSTER_ALLOW_STAND_INS="$stand_ins" /usr/local/lib/mesos-cluster/check-image
  apt-get clean
  if command -v cloud-init >/dev/null; then cloud-init clean --logs; fi
  log "done; every role's unit is disabled until cloud-init enables the node's own"
}

main
