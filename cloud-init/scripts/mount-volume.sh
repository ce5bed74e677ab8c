#!/bin/bash
# Finds this agent's data volume, formats it only when it is blank, and mounts it by UUID
# (nofail) at the pool's mount path, before the agent starts.
# Usage: mount-volume <size in GiB> <mount path>
set -euo pipefail
root="${MESOS_CLUSTER_ROOT:-}"
size_gib="$1"
target="$2"
wait_seconds="${MESOS_CLUSTER_VOLUME_WAIT:-600}"
want_bytes=$((size_gib * 1024 * 1024 * 1024))
fstab="${root}/etc/fstab"
mount_dir="${root}${target}"

if mountpoint -q "$mount_dir"; then
  exit 0
fi

# Device names differ per cloud and hypervisor (AWS /dev/sdf shows up as /dev/nvme1n1 on
# Nitro, /dev/xvdf on Xen; OpenStack /dev/vdb), so look for the one whole disk of the expected
# size without partitions and not mounted: the root disk has partitions or is mounted.
candidates() {
  local name size type
  lsblk -dpnbo NAME,SIZE,TYPE | while read -r name size type; do
    [ "$type" = disk ] || continue
    [ "$size" = "$want_bytes" ] || continue
    [ "$(lsblk -npo NAME "$name" | wc -l)" -eq 1 ] || continue
    [ -z "$(lsblk -npo MOUNTPOINT "$name" | tr -d '[:space:]')" ] || continue
    echo "$name"
  done
}

# The volume may be attached after the instance boots, so wait for it.
device=
waited=0
while :; do
  mapfile -t found < <(candidates)
  if [ "${#found[@]}" -eq 1 ]; then
    device="${found[0]}"
    break
  fi
  if [ "${#found[@]}" -gt 1 ]; then
    echo "mount-volume: ${#found[@]} unmounted ${size_gib} GiB disks (${found[*]}); refusing to guess" >&2
    exit 1
  fi
  if [ "$waited" -ge "$wait_seconds" ]; then
    echo "mount-volume: no unpartitioned, unmounted ${size_gib} GiB disk after ${wait_seconds}s" >&2
    exit 1
  fi
  sleep 5
  waited=$((waited + 5))
done

# blkid -p probes the device itself: exit 2 means nothing is on it. Anything else found (a
# filesystem from an earlier agent, a partition table) is data and is never formatted.
status=0
blkid -p "$device" >/dev/null 2>&1 || status=$?
case "$status" in
  0) ;;
  2) mkfs.ext4 -q "$device" ;;
  *)
    echo "mount-volume: blkid could not probe $device (exit $status)" >&2
    exit 1
    ;;
esac
fs_type="$(blkid -p -s TYPE -o value "$device")"
uuid="$(blkid -p -s UUID -o value "$device")"
case "$fs_type" in
  ext4 | xfs) ;;
  *)
    echo "mount-volume: $device holds '${fs_type:-no filesystem}', expected ext4 or xfs; leaving it alone" >&2
    exit 1
    ;;
esac

mkdir -p "$mount_dir"
if ! grep -q "^UUID=${uuid} " "$fstab" 2>/dev/null; then
  printf 'UUID=%s %s %s defaults,nofail 0 2\n' "$uuid" "$target" "$fs_type" >>"$fstab"
fi
mount "$mount_dir"
