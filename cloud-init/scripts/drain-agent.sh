#!/bin/bash
# Drains this Mesos agent through the masters' drain gate (drain-gate.py), which calls the
# leading master's v1 operator API (Mesos 1.11 DRAIN_AGENT, reference/mesos/operator-api.json)
# with the operator's credential for this agent alone: the agent gets no new offers, its tasks
# are killed within the gate's grace period, and the script waits a bounded time for the master
# to report DRAINED.
#   drain-agent drain [--mark-gone]   before the machine goes away (--mark-gone: for good)
#   drain-agent reactivate            at boot, after a drain on stop: offers resume
# Exit: 0 drained (or the master does not know the agent: nothing runs there), 3 the wait timed
# out, 4 no gate answered, 2 usage, 5 no credential; 22 when the gate refused a call (e.g.
# 401/403, named on stderr).
set -euo pipefail
root="${MESOS_CLUSTER_ROOT:-}"
interval="${MESOS_CLUSTER_DRAIN_INTERVAL:-5}"
# Tests on loopback: the address this node sends from, which the gate checks (a node's own otherwise).
source_address="${MESOS_CLUSTER_DRAIN_SOURCE:-}"
marker="${root}/var/lib/mesos-cluster/drained-on-stop"

# shellcheck source=/dev/null
. "${root}/etc/mesos-cluster/facts.env"
# shellcheck source=/dev/null
. "${root}/etc/mesos-cluster/node.env"
# mesos_url and mesos_curl: with tls.mesos the gates, like the masters, speak HTTPS only and want
# a client certificate from the cluster CA: this agent presents its own.
# shellcheck source=/dev/null
. "${root}/usr/local/lib/mesos-cluster/mesos-tls.sh"
wait_seconds="$CLUSTER_DRAIN_WAIT_SECONDS"
deadline=$((SECONDS + wait_seconds))

log() { echo "drain-agent: $*" >&2; }

# The gate wants the pool's principal (fetch-secrets wrote its credential) and drains only the
# agent at this node's address. curl reads it from stdin (-K -): never on a command line.
credential_file="${root}${CLUSTER_DRAIN_CREDENTIAL_FILE}"
basic_auth="$(jq -er '"user = \"\(.principal):\(.secret)\""' "$credential_file" 2>/dev/null)" || {
  log "cannot read the agent's Mesos credential ${CLUSTER_DRAIN_CREDENTIAL_FILE} (fetch-secrets)"
  exit 5
}

# One call to the first gate that answers; $gate sticks to it. Status 4: no gate answered.
gate=
call() {
  local method="$1" path="$2" data="${3:-}" body status candidate
  local -a candidates gates
  IFS=',' read -ra gates <<<"$CLUSTER_DRAIN_GATES"
  candidates=(${gate:+"$gate"} "${gates[@]}")
  body="$(mktemp)"
  for candidate in "${candidates[@]}"; do
    status="$(printf '%s\n' "$basic_auth" | mesos_curl -sS --max-time 15 -K - ${source_address:+--interface "$source_address"} -o "$body" -w '%{http_code}' -X "$method" \
      -H 'Content-Type: application/json' ${data:+--data "$data"} "$(mesos_url "${candidate}${path}")" 2>/dev/null)" || continue
    case "$status" in
      2??) gate="$candidate"; cat "$body"; rm -f "$body"; return 0 ;;
      401 | 403)
        log "the drain gate ${candidate} refused ${method} ${path} for principal $(jq -r .principal "$credential_file") (HTTP $status)" \
          "- check the credential and that this node's address is its agent's: $(head -c 200 "$body")"
        rm -f "$body"
        return 22
        ;;
      404) gate="$candidate"; rm -f "$body"; return 0 ;;
      *) log "the drain gate ${candidate} answered HTTP $status to ${method} ${path}: $(head -c 200 "$body")" ;;
    esac
  done
  rm -f "$body"
  return 4
}

# This agent as the master lists it ({} when unknown).
this_agent() { call GET /agent; }


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

status=0
until agent="$(this_agent)"; do
  status=$?
  [ "$status" = 4 ] || exit "$status"
  if [ "$SECONDS" -ge "$deadline" ]; then
    log "no drain gate answered within ${wait_seconds}s (${CLUSTER_DRAIN_GATES})"
    exit 4
  fi
  sleep "$interval"
done
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
  call POST /drain "$(jq -cn --argjson gone "$mark_gone" '{mark_gone: $gone}')" >/dev/null
  log "draining agent $id (mark gone: ${mark_gone})"
fi

# DRAINED: every task is terminal and acknowledged. An agent marked gone leaves the list.
while :; do
  state="$(this_agent | jq -r 'if .agent_info then (.drain_info.state // "NONE") else "GONE" end')" || state=
  case "$state" in
    DRAINED | GONE) break ;;
    NONE) if [ "$action" = reactivate ]; then break; fi ;;
    # No answer: the gates ask the leader anew each time; try again.
    '') ;;
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
    call POST /reactivate >/dev/null
    log "agent $id reactivated"
  fi
  rm -f "$marker"
  exit 0
fi
log "agent $id is $state"
