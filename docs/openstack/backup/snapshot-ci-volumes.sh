#!/bin/sh
# snapshot-ci-volumes <cluster> [keep]: snapshots every volume of <cluster> marked backup=true
# and keeps the newest <keep> (default 7) of each. Install as /usr/local/sbin/snapshot-ci-volumes
# on a host with the cloud's credentials; needs python3-openstackclient and jq (docs/openstack.md).
set -eu
if [ "$#" -lt 1 ] || [ "$#" -gt 2 ]; then
  echo "usage: snapshot-ci-volumes <cluster> [keep]" >&2
  exit 2
fi
cluster="$1" keep="${2:-7}" stamp="$(date -u +%Y%m%dT%H%MZ)"
case "$keep" in
  '' | *[!0-9]*) echo "snapshot-ci-volumes: keep must be a whole number, got '$keep'" >&2; exit 2 ;;
esac
for volume in $(openstack volume list -f value -c ID); do
  props="$(openstack volume show -f json -c properties "$volume")"
  echo "$props" | jq -e --arg c "$cluster" '.properties.cluster == $c and .properties.backup == "true"' >/dev/null || continue
  openstack volume snapshot create --force --volume "$volume" --property "cluster=$cluster" "$cluster-$volume-$stamp" >/dev/null
  # Snapshots of this volume made by this script, newest first; delete all but the first <keep>.
  openstack volume snapshot list --volume "$volume" --long -f json \
    | jq -r --arg p "$cluster-$volume-" --argjson keep "$keep" \
      'map(select(.Name | startswith($p))) | sort_by(."Created At") | reverse | .[$keep:][] | .ID' \
    | xargs -r openstack volume snapshot delete
done
