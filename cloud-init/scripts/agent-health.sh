#!/bin/bash
# Run every minute by mesos-agent-health.timer on AWS agents with a data volume. No Auto Scaling
# group watches them (they keep their volume and address, and must never be replaced on their
# own), so each publishes its Mesos agent's health as the CloudWatch metric
# <namespace>/AgentHealthy, dimension Agent=<agent name> (facts.env names all three), which the agent's alarm watches
# (lib/aws/volume-agent-alarms.ts): 1 while the agent answers /health, or while the node is still
# within its first boot allowance; 0 once it stops answering, or when it is not ready that long
# after its first boot. A node that publishes nothing (stopped, hung, cut off) alarms too.
set -euo pipefail
root="${MESOS_CLUSTER_ROOT:-}"
imds="${MESOS_CLUSTER_IMDS_URL:-http://169.254.169.254}"

# shellcheck source=/dev/null
. "${root}/etc/mesos-cluster/facts.env"
# shellcheck source=/dev/null
. "${root}/etc/mesos-cluster/node.env"

# mesos_url and mesos_curl: HTTP or, with tls.mesos, HTTPS with this node's certificate.
# shellcheck source=/dev/null
. "${root}/usr/local/lib/mesos-cluster/mesos-tls.sh"

log() { echo "agent-health: $*" >&2; }

if [ -e "${root}/var/lib/mesos-cluster/ready" ]; then
  if mesos_curl -fsS --max-time 5 -o /dev/null "$(mesos_url "${CLUSTER_NODE_IP}:${CLUSTER_MESOS_AGENT_PORT}/health")" 2>/dev/null; then
    healthy=1
  else
    healthy=0
    log "the Mesos agent does not answer /health"
  fi
else
  # facts.env is written at first boot; its age is how long the node has been trying.
  age=$(($(date +%s) - $(stat -c %Y "${root}/etc/mesos-cluster/facts.env")))
  if [ "$age" -lt "$CLUSTER_HEALTH_BOOT_SECONDS" ]; then
    healthy=1
  else
    healthy=0
    log "not ready ${age}s after first boot"
  fi
fi

token="$(curl -sS --fail --max-time 2 -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 300' "${imds}/latest/api/token")"
region="$(curl -sS --fail --max-time 2 -H "X-aws-ec2-metadata-token: ${token}" "${imds}/latest/meta-data/placement/region")"
aws ${MESOS_CLUSTER_AWS_ENDPOINT:+--endpoint-url "$MESOS_CLUSTER_AWS_ENDPOINT"} --region "$region" cloudwatch put-metric-data \
  --namespace "$CLUSTER_HEALTH_NAMESPACE" --metric-name "$CLUSTER_HEALTH_METRIC" \
  --dimensions "${CLUSTER_HEALTH_DIMENSION}=${CLUSTER_NODE_NAME}" --value "$healthy" --unit Count
