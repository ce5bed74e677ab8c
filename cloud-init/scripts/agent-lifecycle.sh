#!/bin/bash
# Run every few seconds by mesos-agent-lifecycle.timer on agents of AWS Auto Scaling groups.
# 1. When the group is terminating this instance (its termination hook holds it in
#    Terminating:Wait, and instance metadata's autoscaling/target-lifecycle-state says
#    Terminated), drains the agent and completes the lifecycle action.
# 2. Otherwise powers the instance off when the Mesos agent has stayed dead for a while after
#    the node was ready, or the node never became ready: it terminates (the launch template's
#    shutdown behaviour) and its group replaces it. The node's role needs no SetInstanceHealth,
#    which would let it mark any instance of its group unhealthy.
# Instance metadata is local and free, so polling it costs no API calls (AWS rate-limits them):
# the AWS API is called only on termination.
set -euo pipefail
root="${MESOS_CLUSTER_ROOT:-}"
lib="${root}/usr/local/lib/mesos-cluster"
imds="${MESOS_CLUSTER_IMDS_URL:-http://169.254.169.254}"
down_file="${root}/run/mesos-cluster/agent-down-since"
completed="${root}/run/mesos-cluster/lifecycle-completed"
dead_limit=180
boot_limit=1800

# shellcheck source=/dev/null
. "${root}/etc/mesos-cluster/facts.env"
if [ -f "${root}/etc/mesos-cluster/node.env" ]; then
  # shellcheck source=/dev/null
  . "${root}/etc/mesos-cluster/node.env"
fi

# mesos_url and mesos_curl: HTTP or, with tls.mesos, HTTPS with this node's certificate.
# shellcheck source=/dev/null
. "${root}/usr/local/lib/mesos-cluster/mesos-tls.sh"

log() { echo "agent-lifecycle: $*" >&2; }

token="$(curl -sS --fail --max-time 2 -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 300' "${imds}/latest/api/token")"
metadata() { curl -sS --fail --max-time 2 -H "X-aws-ec2-metadata-token: ${token}" "${imds}/latest/meta-data/$1"; }
instance="$(metadata instance-id)"
region="$(metadata placement/region)"
target="$(metadata autoscaling/target-lifecycle-state 2>/dev/null)" || target=

autoscaling() {
  aws ${MESOS_CLUSTER_AWS_ENDPOINT:+--endpoint-url "$MESOS_CLUSTER_AWS_ENDPOINT"} --region "$region" --output json autoscaling "$@"
}

if [ "$target" = Terminated ]; then
  # The instance lingers a moment after the action completes; AWS refuses a second completion.
  if [ -e "$completed" ]; then exit 0; fi
  group="$(autoscaling describe-auto-scaling-instances --instance-ids "$instance" | jq -r '.AutoScalingInstances[0].AutoScalingGroupName // empty')"
  hook="$(autoscaling describe-lifecycle-hooks --auto-scaling-group-name "$group" |
    jq -r '[.LifecycleHooks[] | select(.LifecycleTransition == "autoscaling:EC2_INSTANCE_TERMINATING")][0].LifecycleHookName // empty')"
  status=0
  "${lib}/drain-agent" drain --mark-gone || status=$?
  log "drain ended with status ${status} (0 drained, 3 timed out, 4 no leader); removal goes on"
  if [ -z "$hook" ]; then
    log "group '${group}' has no termination hook: nothing to complete"
    exit 0
  fi
  autoscaling complete-lifecycle-action --auto-scaling-group-name "$group" --lifecycle-hook-name "$hook" \
    --instance-id "$instance" --lifecycle-action-result CONTINUE
  mkdir -p "$(dirname "$completed")"
  : >"$completed"
  log "completed lifecycle hook ${hook} of ${group} for ${instance}"
  exit 0
fi
if [ "$target" != InService ]; then
  exit 0
fi

# Tests replace the power-off; on a node it is systemd's, which drains the agent on the way down.
power_off="${MESOS_CLUSTER_POWEROFF:-systemctl poweroff}"
give_up() {
  log "$1: powering ${instance} off for its group to replace"
  $power_off
}

if [ ! -e "${root}/var/lib/mesos-cluster/ready" ]; then
  # facts.env is written at first boot; its age is how long the node has been trying.
  age=$(($(date +%s) - $(stat -c %Y "${root}/etc/mesos-cluster/facts.env")))
  if [ "$age" -ge "$boot_limit" ]; then give_up "not ready ${age}s after first boot"; fi
  exit 0
fi
if mesos_curl -fsS --max-time 5 -o /dev/null "$(mesos_url "${CLUSTER_NODE_IP}:${CLUSTER_MESOS_AGENT_PORT}/health")" 2>/dev/null; then
  rm -f "$down_file"
  exit 0
fi
if [ ! -s "$down_file" ]; then
  mkdir -p "$(dirname "$down_file")"
  date +%s >"$down_file"
fi
down=$(($(date +%s) - $(cat "$down_file")))
if [ "$down" -ge "$dead_limit" ]; then give_up "the Mesos agent has not answered for ${down}s"; fi
