/**
 * Every refusal `check-change` prints, as named functions: what the plan would do, why that is
 * refused, and the safe procedure (docs/pull-request-checks.md).
 */

export function quorumServerReplaced(name: string, effect: 'replace' | 'destroy', because: string): string {
  return (
    `quorum server ${name} would be ${effect === 'replace' ? 'replaced' : 'destroyed'} (${because}): it leaves its ensemble meanwhile; ` +
    `if intended, roll one server at a time and name it in the PR (--allow-replace ${name})`
  );
}

export function tooManyQuorumServersAtOnce(service: string, names: readonly string[]): string {
  return `${names.length} ${service} servers would leave at once (${names.join(', ')}): a quorum survives only one at a time; split the change into one PR per server`;
}

export function quorumSizeChanged(service: string, before: number, after: number): string {
  return (
    `the ${service} quorum would change from ${before} to ${after} servers on a running cluster: new members would start with another ensemble or quorum ` +
    `than the running ones, which can corrupt the replicated log; follow docs/pull-request-checks.md and pass --allow-quorum-resize`
  );
}

export function dataVolumeLost(name: string, pool: string | undefined, effect: 'replace' | 'destroy', because: string): string {
  const owner = pool === undefined ? '' : ` of pool ${pool}`;
  return `data volume ${name}${owner} would be ${effect === 'replace' ? 'replaced by an empty one' : 'destroyed'} (${because}): its data would be lost; no override, see docs/pull-request-checks.md`;
}

export function volumeAgentReplaced(name: string, pool: string, effect: 'replace' | 'destroy', because: string): string {
  return (
    `agent ${name} of pool ${pool} holds a data volume and would be ${effect === 'replace' ? 'replaced' : 'destroyed'} (${because}): ` +
    `its volume is detached under a running task; drain it and move its task first, see docs/pull-request-checks.md`
  );
}

export function quorumAddressMoved(name: string, before: string, after: string | undefined): string {
  const to = after === undefined ? 'an address not known until apply' : after;
  return `quorum server ${name} would move from ${before} to ${to}: every connect string and ensemble names it by address; keep its zone and ordinal`;
}

export function poolShrinksTooFast(pool: string, before: number, removed: number, allowed: number, share: number): string {
  return (
    `pool ${pool} would lose ${removed} of its ${before} agents at once; at most ${allowed} may go (--max-pool-removal ${share}): ` +
    `drain the agents first and shrink in steps, see docs/pull-request-checks.md`
  );
}

export function zoneReplacement(name: string, address: string, paths: readonly string[]): string {
  const what = name === address ? address : `${name} (${address})`;
  return `${what} would be re-placed because ${paths.join(', ')} changed: zones are chosen once; keep network.zones as the cluster was created`;
}

// A plan file the checks cannot read: one line naming the file, what is wrong and what to pass.
const PASS_A_PLAN = 'pass the output of `terraform show -json <plan>`';

export function planFileUnreadable(file: string, reason: string): string {
  return `${file}: cannot be read: ${reason}; ${PASS_A_PLAN}`;
}

export function planFileTooLarge(file: string, sizeMiB: number, limitMiB: number): string {
  return `${file}: is ${sizeMiB} MiB, over the ${limitMiB} MiB a plan is read up to; ${PASS_A_PLAN}`;
}

export function planFileNotJson(file: string, reason: string): string {
  return `${file}: not readable as JSON (${reason}); ${PASS_A_PLAN}`;
}

export function planFormatUnsupported(file: string, version: string): string {
  return `${file}: not a Terraform plan in JSON format 1.x; ${PASS_A_PLAN} (format_version: ${version})`;
}

export function planShapeWrong(file: string, path: string, problem: string): string {
  return `${file}: ${path}: ${problem}: not Terraform's plan JSON format 1.x; ${PASS_A_PLAN}`;
}

export function planOfAnotherStack(file: string, resources: number): string {
  return `${file}: none of its ${resources} managed resource(s) carries the cluster tag this project sets: not a plan of a mesos-cluster stack; pass the plan.json that npm run plan wrote for the stack`;
}

/** A resource the plan acts on because it was deleted or changed outside Terraform. */
export function driftedOutsideTerraform(subject: string, drift: 'deleted' | 'changed', quorumServer: boolean): string {
  const what = drift === 'deleted' ? 'was deleted outside Terraform, so this plan creates it again' : 'was changed outside Terraform, so this plan sets it back';
  const joins = quorumServer && drift === 'deleted' ? ': it rejoins its ensemble empty and catches up from the others' : '';
  return (
    `${subject} ${what}${joins}; that is not this pull request's change: restore it with an apply of the default branch ` +
    `(or import what replaced it by hand, docs/state-under-faults.md), then run this check again`
  );
}
