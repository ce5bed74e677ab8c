#!/bin/bash
# Run by mesos-master.service before every start (ExecStartPre): names in the masters' --acls
# register_agents entry every agent principal of the credentials file (agent-<pool>), so a new
# pool's principal reaches running masters the way its credential does: fetch-secrets, then
# restart mesos-master (docs/secrets.md#creating-and-rotating-secrets). The rest of the ACLs is the
# rendered file's.
set -euo pipefail
root="${MESOS_CLUSTER_ROOT:-}"
acls="${root}/etc/mesos-cluster/mesos-acls.json"
credentials="${root}/etc/mesos-cluster/secrets/mesos-credentials.json"

principals="$(jq -ce '[.credentials[].principal | select(startswith("agent-"))] | select(length > 0)' "$credentials")" || {
  echo "master-acls: no agent principal in ${credentials} (fetch-secrets)" >&2
  exit 1
}
next="$(mktemp "${acls}.XXXXXX")"
jq -c --argjson principals "$principals" '.register_agents = [{principals: {values: $principals}, agents: {type: "ANY"}}]' "$acls" >"$next"
chmod 0644 "$next"
mv "$next" "$acls"
