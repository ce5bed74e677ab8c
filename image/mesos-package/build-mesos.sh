#!/bin/bash
# Builds Apache Mesos 1.11.0 on Debian 12 (bookworm) against Debian's protobuf, gRPC, ZooKeeper,
# libarchive and libevent, with SSL, and packs it as the one `mesos` package the base image
# installs (image/provision.sh, MESOS_DEB). Rerunnable: the source folder is never changed;
# everything happens under the output folder, which a rerun starts afresh.
#
# Usage: build-mesos.sh [--dry-run|--configure-only] [--java] [--skip-deps] <mesos-source> <output-dir>
#   <mesos-source>         the Apache source release (mesos-1.11.0.tar.gz, unpacked) or a
#                          checkout of tag 1.11.0; its bundled gRPC, protobuf, ZooKeeper,
#                          libarchive and gperftools tarballs are not used and may be missing
#   <output-dir>           gets work/ (copy of the source, build), root/ (installed tree) and
#                          mesos_1.11.0-<revision>_amd64.deb with its .sha256
#   --dry-run    checks the arguments, the machine and that debian12.patch applies to the
#                source, then prints every later step instead of running it
#   --configure-only  stops after Mesos' configure (minutes, not the 1-2 hour compile): shows
#                that this machine has what the build needs and that configure takes the flags
#   --java       builds the Java bindings Marathon loads (libmesos.so's JNI part, the Mesos
#                jar): needs a JDK and Maven, and Maven needs its central repository (or a
#                mirror in ~/.m2/settings.xml) for mesos.pom's plugins (README.md)
#   --skip-deps  installs no build package (they must be there already)
#   JOBS         parallel make jobs (default: the number of processors)
#   MESOS_CXXFLAGS  compiler flags (default -O2 -g0)
#   DEB_REVISION    package revision (default 1.debian12)
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
PATCH="$HERE/debian12.patch"
MESOS_VERSION=1.11.0
DEB_REVISION="${DEB_REVISION:-1.debian12}"
JOBS="${JOBS:-$(nproc)}"
MESOS_CXXFLAGS="${MESOS_CXXFLAGS:--O2 -g0}"

# What Mesos needs from Debian to build; the bundled copies of the last five are left out.
BUILD_PACKAGES=(build-essential autoconf automake libtool patch zlib1g-dev libcurl4-openssl-dev
  libsasl2-dev libsasl2-modules libapr1-dev libsvn-dev libssl-dev libevent-dev
  libprotobuf-dev protobuf-compiler libgrpc++-dev protobuf-compiler-grpc libzookeeper-mt-dev
  libarchive-dev)
JAVA_PACKAGES=(openjdk-17-jdk-headless maven libprotobuf-java)
UNBUNDLED_TARBALLS=(grpc-1.10.0 protobuf-3.5.0 zookeeper-3.4.8 libarchive-3.3.2 gperftools-2.5)
# What the package needs at run time (the libraries above, as Debian 12 names them).
RUNTIME_DEPENDS='libapr1, libaprutil1, libcurl4, libevent-2.1-7, libevent-openssl-2.1-7,
 libevent-pthreads-2.1-7, libgrpc++1.51, libprotobuf32, libsasl2-2, libsasl2-modules, libsvn1,
 libzookeeper-mt2, libssl3, libarchive13, zlib1g, logrotate'
CONFIGURE_FLAGS=(--prefix=/usr --sysconfdir=/etc --localstatedir=/var
  --disable-python --disable-werror --enable-ssl --enable-libevent
  --with-protobuf=/usr --with-grpc=/usr --with-zookeeper=/usr --with-libarchive=/usr
  --with-libevent=/usr)

dry_run=false configure_only=false java=false skip_deps=false

log() { echo "build-mesos: $*"; }
fail() { echo "build-mesos: $*" >&2; exit 1; }
usage() { sed -n '/^# Usage:/,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0" >&2; exit 2; }

in_dir() { (cd "$1" && shift && "$@"); }

# Runs a step, or prints it under --dry-run.
step() {
  if $dry_run; then
    printf '+'
    printf ' %q' "$@"
    printf '\n'
  else
    "$@"
  fi
}

parse_args() {
  local positional=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --dry-run) dry_run=true ;;
      --configure-only) configure_only=true ;;
      --java) java=true ;;
      --skip-deps) skip_deps=true ;;
      -h | --help) usage ;;
      -*) fail "unknown option '$1' (allowed: --dry-run, --configure-only, --java, --skip-deps)" ;;
      *) positional+=("$1") ;;
    esac
    shift
  done
  [ "${#positional[@]}" -eq 2 ] || usage
  SOURCE="$(cd "${positional[0]}" 2>/dev/null && pwd)" || fail "source '${positional[0]}' is not a folder"
  OUT="${positional[1]}"
  [[ "$JOBS" =~ ^[1-9][0-9]*$ ]] || fail "JOBS '$JOBS' is not a positive number"
}

check_machine() {
  # shellcheck source=/dev/null
  . /etc/os-release
  [ "${VERSION_CODENAME:-}" = bookworm ] || fail "needs Debian 12 (bookworm), found ${PRETTY_NAME:-unknown}"
  [ "$(dpkg --print-architecture)" = amd64 ] || fail "builds for amd64 only, this is $(dpkg --print-architecture)"
}

check_source() {
  [ -f "$SOURCE/configure.ac" ] || fail "no configure.ac in '$SOURCE': not a Mesos source folder"
  grep -q "^AC_INIT(\[mesos\], \[$MESOS_VERSION\])" "$SOURCE/configure.ac" ||
    fail "'$SOURCE' is not Mesos $MESOS_VERSION (configure.ac: $(grep -m1 '^AC_INIT' "$SOURCE/configure.ac" || echo 'no AC_INIT'))"
  [ -f "$SOURCE/support/packaging/common/mesos-init-wrapper" ] || fail "no support/packaging/common/mesos-init-wrapper in '$SOURCE'"
  # Read-only: the patch must apply exactly, or the source is not the one it was written for.
  patch --dry-run --quiet --batch --forward --fuzz=0 -p1 -d "$SOURCE" <"$PATCH" >/dev/null ||
    fail "debian12.patch does not apply cleanly to '$SOURCE' (already patched, or not the 1.11.0 source)"
  log "source $SOURCE is Mesos $MESOS_VERSION; debian12.patch applies"
}

install_build_packages() {
  local wanted=("${BUILD_PACKAGES[@]}") installed missing=() pkg
  if $java; then wanted+=("${JAVA_PACKAGES[@]}"); fi
  installed="$(dpkg-query -W -f='${Package} ${Status}\n' "${wanted[@]}" 2>/dev/null | sed -n 's/ install ok installed$//p')"
  for pkg in "${wanted[@]}"; do
    grep -qxF "$pkg" <<<"$installed" || missing+=("$pkg")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  if $skip_deps || [ "$(id -u)" -ne 0 ]; then
    $dry_run || fail "missing build packages: ${missing[*]} (install them, or run as root without --skip-deps)"
  fi
  step env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# A fresh copy of the source under the output folder, patched, without the bundled tarballs
# whose libraries come from Debian (so a build can never fall back to them unnoticed).
prepare_work_tree() {
  local tarball
  WORK="$OUT/work/mesos-$MESOS_VERSION"
  step rm -rf "$OUT/work" "$OUT/root"
  step mkdir -p "$OUT/work"
  step cp -a "$SOURCE" "$WORK"
  for tarball in "${UNBUNDLED_TARBALLS[@]}"; do step rm -f "$WORK/3rdparty/$tarball.tar.gz"; done
  step patch --batch --forward --fuzz=0 -p1 -d "$WORK" -i "$PATCH"
}

configure_flags() {
  local flags=("${CONFIGURE_FLAGS[@]}")
  if $java; then
    # 1.11.0's src/Makefile.am makes the JNI headers with `javac -h` when there is no javah,
    # so Debian's JDK 17 serves; Debian's protobuf jar stands in for the bundled one.
    flags+=(--enable-java JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 PROTOBUF_JAR=/usr/share/java/protobuf.jar)
  else
    flags+=(--disable-java)
  fi
  flags+=("CXXFLAGS=$MESOS_CXXFLAGS")
  printf '%s\n' "${flags[@]}"
}

compile_and_install() {
  local flags=()
  mapfile -t flags < <(configure_flags)
  step in_dir "$WORK" ./bootstrap
  step mkdir -p "$WORK/build"
  step in_dir "$WORK/build" ../configure "${flags[@]}"
  if $configure_only; then log "configured in $WORK/build (--configure-only: stopping here)"; exit 0; fi
  step make -C "$WORK/build" -j"$JOBS" V=0
  step make -C "$WORK/build" install DESTDIR="$OUT/root"
}

# The package's own files around the build: the agent-spelling init wrapper that ships with
# the Mesos source (support/packaging/common), the shared defaults, the folders it logs to.
add_package_files() {
  local root="$1"
  install -D -m 0755 "$WORK/support/packaging/common/mesos-init-wrapper" "$root/usr/bin/mesos-init-wrapper"
  install -D -m 0644 "$WORK/support/packaging/common/mesos" "$root/etc/default/mesos"
  mkdir -p "$root/etc/mesos" "$root/var/log/mesos" "$root/var/lib/mesos"
  echo 'zk://localhost:2181/mesos' >"$root/etc/mesos/zk"
  if $java; then install -D -m 0644 "$WORK"/build/src/java/target/mesos-*.jar -t "$root/usr/share/java"; fi
  find "$root/usr/lib" -name '*.la' -delete
}

# Debug symbols stay in the build folder; the image needs none. Scripts are left as they are.
strip_binaries() {
  local file
  while IFS= read -r -d '' file; do
    if [ "$(head -c 4 "$file" | od -An -c | tr -d ' ')" = '177ELF' ]; then strip --strip-unneeded "$file"; fi
  done < <(find "$1" -type f -print0)
}

# No unit is enabled and nothing is started: the image has its own units (image/units) and
# cloud-init enables the node's own role at first boot.
write_control_files() {
  local root="$1"
  mkdir -p "$root/DEBIAN"
  cat >"$root/DEBIAN/control" <<EOF
Package: mesos
Version: $MESOS_VERSION-$DEB_REVISION
Architecture: amd64
Maintainer: mesos-cluster <image/mesos-package/build-mesos.sh>
Section: misc
Priority: optional
Depends: $RUNTIME_DEPENDS
Description: Apache Mesos $MESOS_VERSION, master and agent (mesos-cluster build)
 Built by mesos-cluster's image/mesos-package/build-mesos.sh on Debian 12 against Debian's
 protobuf, gRPC, ZooKeeper, libarchive and libevent, with SSL.
EOF
  printf '/etc/default/mesos\n/etc/mesos/zk\n' >"$root/DEBIAN/conffiles"
  printf '#!/bin/sh\nset -e\nldconfig\n' >"$root/DEBIAN/postinst"
  chmod 0755 "$root/DEBIAN/postinst"
}

write_sha256() { (cd "$(dirname "$1")" && sha256sum "$(basename "$1")") >"$1.sha256"; }

build_deb() {
  DEB="$OUT/mesos_${MESOS_VERSION}-${DEB_REVISION}_amd64.deb"
  step dpkg-deb --root-owner-group -Zxz --build "$OUT/root" "$DEB"
  step write_sha256 "$DEB"
  if ! $dry_run; then log "built $DEB, SHA-256 $(cut -d' ' -f1 "$DEB.sha256") (MESOS_DEB_SHA256 / mesos_deb_sha256)"; fi
}

main() {
  parse_args "$@"
  check_machine
  check_source
  install_build_packages
  prepare_work_tree
  compile_and_install
  step add_package_files "$OUT/root"
  step strip_binaries "$OUT/root/usr"
  step write_control_files "$OUT/root"
  build_deb
  if $dry_run; then log "dry run: nothing was built"; fi
}

main "$@"
