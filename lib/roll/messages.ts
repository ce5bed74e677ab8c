/**
 * Every line `npm run roll` prints about the cluster, as named functions: what it saw, and when
 * it stops, which server and what to look at (docs/roll.md).
 */

export function noStateFound(): string {
  return 'no Terraform state found: listing every server the roll would consider, in roll order (with state, only those that differ)';
}

export function leadersUnknown(): string {
  return 'leaders unknown (cluster not asked): quorum servers are listed in name order; a live roll asks the cluster and puts each leader last';
}

export function notInState(name: string, address: string): string {
  return `${name}: not in the state (${address}): not created yet, a plain apply creates it; not rolled`;
}

export function notComparable(name: string, reasons: readonly string[]): string {
  return `${name}: cannot compare with the stack (${reasons.join('; ')}); not rolled`;
}

export function unknownRole(role: string, allowed: readonly string[]): string {
  return `--role ${JSON.stringify(role)}: not a role of this cluster; allowed: ${allowed.join(', ')}`;
}

export function notWholeBefore(server: string, failing: string): string {
  return `roll stopped before ${server}: the cluster is not whole (${failing}); nothing was changed; look at \`npm run verify -- <cluster>\` and rerun when it is whole`;
}

export function majorityWouldBeLost(server: string, quorum: string, healthy: number, members: number, needed: number, down: readonly string[]): string {
  const why = down.length > 0 ? `${down.join(', ')} already down` : `only ${healthy} of ${members} serving`;
  return `roll stopped before ${server}: replacing it would leave the ${quorum} quorum without a majority (${why}, ${needed} needed); nothing was changed; bring the members back first`;
}

export function replaceFailed(server: string, address: string, error: string): string {
  return `roll stopped at ${server}: terraform apply -replace=${address} failed: ${error}; servers after it are untouched; fix that and rerun (a rerun skips servers already replaced)`;
}

export function notBackInTime(server: string, seconds: number, failing: string): string {
  return `roll stopped at ${server}: it was replaced but the cluster was not whole again within ${seconds} s (${failing}); servers after it are untouched; look at ${server}'s cloud-init log (/var/log/cloud-init-output.log) and \`npm run verify\``;
}

export function refreshFailed(group: string, status: string, reason: string): string {
  return `roll stopped at Auto Scaling group ${group}: its instance refresh ended ${status}${reason === '' ? '' : ` (${reason})`}; look at \`aws autoscaling describe-instance-refreshes --auto-scaling-group-name ${group}\``;
}

export function refreshTimedOut(group: string, seconds: number, percent: number | undefined): string {
  return `roll stopped at Auto Scaling group ${group}: its instance refresh did not finish within ${seconds} s (${percent ?? '?'}% done); it goes on in AWS; watch it with \`aws autoscaling describe-instance-refreshes --auto-scaling-group-name ${group}\``;
}
