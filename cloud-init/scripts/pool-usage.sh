#!/bin/bash
# Run every minute by mesos-pool-usage.timer on the Mesos masters of AWS clusters with elastic
# pools (lib/cloud-init/pool-usage-files.ts). Only the leading master holds the allocation, and
# only it publishes: for each elastic pool (CLUSTER_USAGE_POOLS), the share of the CPUs of the
# pool's active agents (matched by their `pool` attribute) that Mesos has allocated to tasks and
# executors (`used_resources`; offers are not counted: frameworks hold idle CPUs as offers), as
# the CloudWatch metric <namespace>/<metric>, dimension Pool=<pool>, unit Percent, which the
# pool's target-tracking policy follows (lib/aws/auto-scaled-agent-pool.ts).
# A master that does not lead, or a pool with no CPUs registered, publishes nothing: the policy
# then holds the group's size. Response shapes: reference/mesos/operator-api.json
# (master_redirect, master_slaves_json).
set -euo pipefail
root="${MESOS_CLUSTER_ROOT:-}"
imds="${MESOS_CLUSTER_IMDS_URL:-http://169.254.169.254}"

# shellcheck source=/dev/null
. "${root}/etc/mesos-cluster/facts.env"

# mesos_url and mesos_curl: HTTP or, with tls.mesos, HTTPS with this node's certificate.
# shellcheck source=/dev/null
. "${root}/usr/local/lib/mesos-cluster/mesos-tls.sh"

log() { echo "pool-usage: $*" >&2; }

self="${CLUSTER_NODE_IP}:${CLUSTER_MESOS_MASTER_PORT}"

# /master/redirect answers 307 to the leader's address (its own on the leader), 503 while none is
# elected; curl resolves the protocol-relative Location to <scheme>://<leader>/.
answer="$(mesos_curl -sS --max-time 5 -o /dev/null -w '%{http_code} %{redirect_url}' "$(mesos_url "${self}/master/redirect")")"
code="${answer%% *}"
leader="${answer#* }"
leader="${leader#"$(mesos_url '')"}"
leader="${leader%%/*}"
if [ "$code" != 307 ]; then
  log "no leading master known (/master/redirect answered ${code}); publishing nothing"
  exit 0
fi
if [ "$leader" != "$self" ]; then
  log "${leader} leads, not this master; publishing nothing"
  exit 0
fi

slaves="$(mktemp)"
trap 'rm -f "$slaves"' EXIT
# No redirect followed: a master that lost leadership since answers 307, and publishes nothing.
code="$(mesos_curl -sS --max-time 10 -o "$slaves" -w '%{http_code}' "$(mesos_url "${self}/master/slaves")")"
if [ "$code" != 200 ]; then
  log "/master/slaves answered ${code}; publishing nothing"
  exit 0
fi

# One datum per pool with CPUs; agents that are deactivated (draining, leaving) take no tasks.
IFS=, read -r -a pools <<<"$CLUSTER_USAGE_POOLS"
data="$(jq -c --args --arg metric "$CLUSTER_USAGE_METRIC" --arg dimension "$CLUSTER_USAGE_DIMENSION" '
  [.slaves[] | select(.active == true and (.deactivated // false) == false)] as $agents
  | [$ARGS.positional[] as $pool
      | [$agents[] | select(.attributes.pool == $pool)] as $members
      | ([$members[].resources.cpus // 0] | add // 0) as $total
      | select($total > 0)
      | {MetricName: $metric, Dimensions: [{Name: $dimension, Value: $pool}], Unit: "Percent",
         Value: (([$members[].used_resources.cpus // 0] | add) * 100 / $total)}]' "${pools[@]}" <"$slaves")"
for pool in "${pools[@]}"; do
  if ! jq -e --arg pool "$pool" 'any(.[]; .Dimensions[0].Value == $pool)' >/dev/null <<<"$data"; then
    log "pool ${pool} has no active agent with CPUs; nothing published for it"
  fi
done
if [ "$data" = '[]' ]; then
  exit 0
fi

token="$(curl -sS --fail --max-time 2 -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 300' "${imds}/latest/api/token")"
region="$(curl -sS --fail --max-time 2 -H "X-aws-ec2-metadata-token: ${token}" "${imds}/latest/meta-data/placement/region")"
aws ${MESOS_CLUSTER_AWS_ENDPOINT:+--endpoint-url "$MESOS_CLUSTER_AWS_ENDPOINT"} --region "$region" cloudwatch put-metric-data \
  --namespace "$CLUSTER_USAGE_NAMESPACE" --metric-data "$data"
