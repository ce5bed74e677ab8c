#!/bin/bash
# Drains this Mesos agent through the leading master's v1 operator API (Mesos 1.11 DRAIN_AGENT,
# reference/mesos/operator-api.json): the agent gets no new offers, its tasks are killed within
# a bounded grace period, and the script waits a bounded time for the master to report DRAINED.
#   drain-agent drain [--mark-gone]   before the machine goes away (--mark-gone: for good)
#   drain-agent reactivate            at boot, after a drain on stop: offers resume
# Exit: 0 drained (or the master does not know the agent: nothing runs there), 3 the wait timed
# out, 4 no master answered as leader, 2 usage, 5 no credential; curl's status when the leader
# refused a call (22: e.g. 401/403, named on stderr).
set -euo pipefail
root="${MESOS_CLUSTER_ROOT:-}"
interval="${MESOS_CLUSTER_DRAIN_INTERVAL:-5}"
marker="${root}/var/lib/mesos-cluster/drained-on-stop"

# shellcheck source=/dev/null
. "${root}/etc/mesos-cluster/facts.env"
# shellcheck source=/dev/null
. "${root}/etc/mesos-cluster/node.env"
grace="$CLUSTER_DRAIN_GRACE_SECONDS"
wait_seconds="$CLUSTER_DRAIN_WAIT_SECONDS"
deadline=$((SECONDS + wait_seconds))

log() { echo "drain-agent: $*" >&2; }

# The operator API is read-write: the masters want HTTP basic. The pool's principal (fetch-secrets
# wrote its credential) may drain, reactivate and mark agents gone (--acls, README "Secrets and
# authentication"). curl reads it from stdin (-K -): the secret is never on a command line.
credential_file="${root}${CLUSTER_DRAIN_CREDENTIAL_FILE}"
basic_auth="$(jq -er '"user = \"\(.principal):\(.secret)\""' "$credential_file" 2>/dev/null)" || {
  log "cannot read the agent's Mesos credential ${CLUSTER_DRAIN_CREDENTIAL_FILE} (fetch-secrets)"
  exit 5
}

# The leader's base URL from the first master that knows it: /master/redirect answers 307 with
# the leader's address on every master, 503 while none is elected.
find_leader() {
  local master answer
  IFS=',' read -ra masters <<<"$CLUSTER_MESOS_MASTERS"
  for master in "${masters[@]}"; do
    answer="$(curl -sS --max-time 5 -o /dev/null -w '%{http_code} %{redirect_url}' "http://${master}/master/redirect" 2>/dev/null)" || continue
    if [ "${answer%% *}" = 307 ] && [ -n "${answer#* }" ]; then
      leader="${answer#* }"
      leader="${leader%/}"
      return 0
    fi
  done
  return 1
}

call() {
  local body status
  body="$(mktemp)"
  status="$(printf '%s\n' "$basic_auth" | curl -sS --max-time 10 -K - -o "$body" -w '%{http_code}' -X POST \
    -H 'Content-Type: application/json' -H 'Accept: application/json' --data "$1" "${leader}/api/v1")" || {
    rm -f "$body"
    return 1
  }
  case "$status" in
    2??) cat "$body" ;;
    3??) ;; # a redirect: leadership moved, the caller asks again who leads
    401 | 403)
      log "the master refused $(jq -r .type <<<"$1") for principal $(jq -r .principal "$credential_file") (HTTP $status)" \
        "- check the credential and the masters' --acls"
      rm -f "$body"
      return 22
      ;;
    *)
      log "the master answered HTTP $status to $(jq -r .type <<<"$1"): $(head -c 200 "$body")"
      rm -f "$body"
      return 22
      ;;
  esac
  rm -f "$body"
}

# This agent as the master lists it ({} when unknown): agents report their address as hostname.
this_agent() {
  call '{"type":"GET_AGENTS"}' |
    jq -c --arg host "$CLUSTER_NODE_IP" '[.get_agents.agents[]? | select(.agent_info.hostname == $host)][0] // {}'
}

leader=
until find_leader; do
  if [ "$SECONDS" -ge "$deadline" ]; then
    log "no Mesos master named a leader within ${wait_seconds}s (${CLUSTER_MESOS_MASTERS})"
    exit 4
  fi
  sleep "$interval"
done

action="${1:-}"
mark_gone=false
case "$action" in
  drain) [ "${2:-}" = --mark-gone ] && mark_gone=true ;;
  reactivate)
    # Only an agent that this node drained on its way down is reactivated.
    [ -e "$marker" ] || exit 0
    ;;
  *) log "usage: drain-agent drain [--mark-gone] | drain-agent reactivate"; exit 2 ;;
esac

agent="$(this_agent)"
id="$(jq -r '.agent_info.id.value // empty' <<<"$agent")"
if [ -z "$id" ]; then
  log "the master does not list an agent at ${CLUSTER_NODE_IP}: nothing to drain"
  rm -f "$marker"
  exit 0
fi

if [ "$action" = drain ] && [ -z "$(jq -r '.drain_info.state // empty' <<<"$agent")" ]; then
  if [ "$mark_gone" = false ]; then
    mkdir -p "$(dirname "$marker")"
    : >"$marker"
  fi
  request="$(jq -cn --arg id "$id" --argjson grace "$grace" --argjson gone "$mark_gone" \
    '{type: "DRAIN_AGENT", drain_agent: {agent_id: {value: $id}, max_grace_period: {seconds: $grace}, mark_gone: $gone}}')"
  call "$request" >/dev/null
  log "draining agent $id (task grace ${grace}s, mark gone: ${mark_gone})"
fi

# DRAINED: every task is terminal and acknowledged. An agent marked gone leaves the list.
while :; do
  state="$(this_agent | jq -r 'if .agent_info then (.drain_info.state // "NONE") else "GONE" end')" || state=
  case "$state" in
    DRAINED | GONE) break ;;
    NONE) if [ "$action" = reactivate ]; then break; fi ;;
    # No answer (a redirect answers with no body): leadership moved, so ask again who leads.
    '') find_leader || true ;;
  esac
  if [ "$SECONDS" -ge "$deadline" ]; then
    log "agent $id is ${state:-unanswered} after ${wait_seconds}s; giving up"
    exit 3
  fi
  sleep "$interval"
done

if [ "$action" = reactivate ]; then
  # REACTIVATE_AGENT is refused while DRAINING, hence the wait above.
  if [ "$state" = DRAINED ]; then
    call "$(jq -cn --arg id "$id" '{type: "REACTIVATE_AGENT", reactivate_agent: {agent_id: {value: $id}}}')" >/dev/null
    log "agent $id reactivated"
  fi
  rm -f "$marker"
  exit 0
fi
log "agent $id is $state"
