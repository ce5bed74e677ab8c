#!/usr/bin/env bash
# Installs everything the project and its tests need on a Debian/Ubuntu machine with Node 20:
# the Debian tools the tests run for real, then the npm dependencies from the lock file.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_PACKAGES=(
  zookeeper   # the ensemble test runs real ZooKeeper servers on loopback
  default-jdk-headless # the ZooKeeper load test runs its Java client as a single-file source program (javac inside)
  shellcheck  # every shell script in user-data
  yamllint    # every rendered cloud-config document
  cloud-init  # `cloud-init schema` on every rendered document
  jq          # the agents' drain scripts and the readiness probes, run against recorded Mesos responses
  curl        # the same scripts, and verify's probes over SSH
  time        # GNU time: wall, CPU and peak memory of each step of `npm run bench`
  nginx-light # the edge test runs real nginx on loopback with the generated routes
  haproxy     # the framework-proxy test runs real HAProxy against stand-in Mesos masters
  pyflakes3   # the edge's route generator (python3) stays lint-clean
  debootstrap # the image test builds a Debian 12 root and runs image/provision.sh in it
  iproute2    # network namespaces: the image test's booted root, the metadata guard test's hosts
  packer      # `packer validate` of image/mesos-cluster.pkr.hcl (Debian's 1.6.6, offline)
  logrotate   # the real Mesos agents' rendered container logger module runs it at start
  # The runtime libraries of the real Mesos 1.11.0 build in ../shared/mesos (its README): the
  # real-Mesos tests run its masters and agents on loopback.
  libapr1 libaprutil1 libcurl4 libevent-2.1-7 libevent-openssl-2.1-7 libevent-pthreads-2.1-7
  libgrpc++1.51 libprotobuf32 libsasl2-2 libsasl2-modules libsvn1 libzookeeper-mt2 libssl3 libarchive13
  iptables    # the metadata guard test applies the agents' rules in network namespaces of its own
  openssl     # agents sign their own TLS certificates at boot (issue-agent-cert); the certificate tests run it
)
# The agent lifecycle test runs the AWS CLI against moto; any aws on PATH will do.
command -v aws >/dev/null || DEBIAN_PACKAGES+=(awscli)

sudo_if_needed() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing=()
for package in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo_if_needed apt-get update
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi

# Terraform and the AWS provider mirror come with the machine image (no download here).
if ! command -v terraform >/dev/null; then
  echo "setup: warning: terraform is not on PATH; the offline validate/plan tests need Terraform 1.11" >&2
fi
mirror="${TF_PROVIDER_MIRROR:-/opt/tf-plugins}"
if [ ! -d "$mirror/registry.terraform.io/hashicorp/aws" ]; then
  echo "setup: warning: no hashicorp/aws provider under $mirror; set TF_PROVIDER_MIRROR to the filesystem mirror" >&2
fi

# moto (the AWS API emulator, a Python package) serves SSM to the secrets command's tests, and the
# pull request scenario tests apply the example cluster to it (python3 -c 'import moto.server').
if ! command -v moto_server >/dev/null || ! python3 -c 'import moto.server' 2>/dev/null; then
  echo "setup: warning: moto is not installed for python3; the secrets and emulator tests need it: pip install 'moto[server]==5.2.1'" >&2
fi

# --prefer-offline: a package already in npm's cache is taken without asking the registry again
# (the lock file pins every version and integrity hash); an empty cache fetches as before.
npm ci --no-audit --no-fund --prefer-offline
