#!/bin/bash
# Boots a Debian root with systemd as PID 1, for test/support/booted-root.ts. Run it under
#   unshare --pid --fork --mount --uts --ipc --net --cgroup -- systemd-container.sh ROOT ADDRESS...
# so that it is PID 1 of new namespaces: it mounts what systemd needs (proc, a read-only sysfs,
# cgroups, a small /dev, /run), puts each ADDRESS on the loopback device of the new network
# namespace (the node's own address and its peers', none of them reachable from outside), and
# replaces itself with the root's systemd. Nothing is mounted outside the new mount namespace.
set -euo pipefail

root="$1"
shift

mount --make-rprivate /
mount --bind "$root" "$root"
mount -t proc proc "$root/proc"
mount -t sysfs -o ro sysfs "$root/sys"
mount -t tmpfs -o mode=0755 tmpfs "$root/sys/fs/cgroup"
mkdir -p "$root/sys/fs/cgroup/systemd" "$root/sys/fs/cgroup/unified"
# The named v1 hierarchy systemd keeps its tree in, and the unified one beside it (hybrid mode,
# as the host and a cgroups-v1 node boot).
mount -t cgroup -o none,name=systemd cgroup "$root/sys/fs/cgroup/systemd"
mount -t cgroup2 cgroup2 "$root/sys/fs/cgroup/unified"
mount -t tmpfs -o mode=0755 tmpfs "$root/dev"
for device in null zero full random urandom tty; do
  touch "$root/dev/$device"
  mount --bind "/dev/$device" "$root/dev/$device"
done
mkdir -p "$root/dev/pts" "$root/dev/shm"
mount -t devpts -o newinstance,ptmxmode=0666 devpts "$root/dev/pts"
ln -s pts/ptmx "$root/dev/ptmx"
mount -t tmpfs tmpfs "$root/dev/shm"
mount -t tmpfs -o mode=0755 tmpfs "$root/run"

ip link set lo up
for address in "$@"; do ip address add "$address/32" dev lo; done

# systemd reads `container` to know it runs in one (no udev, no getty on a console it lacks).
export container=mesos-cluster-test
exec chroot "$root" /lib/systemd/systemd --system --log-target=console --show-status=false
