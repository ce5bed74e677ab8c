/**
 * A finding the operator accepts, written in the cluster file under `policy.suppressions` with
 * the reason; every suppression used is printed on each synth, so it stays visible.
 */
export interface Suppression {
  /** A rule id (see docs/policy-rules.md). */
  readonly rule: string;
  /** The Terraform address the finding names (`aws_instance.bastion_instance`) or a named group (`quorum:zookeeper`). */
  readonly resource: string;
  readonly reason: string;
}

/** Reasons shorter than this say nothing ("ok", "n/a"); the schema enforces the same length. */
export const MIN_REASON_LENGTH = 20;

export function findSuppression(suppressions: readonly Suppression[], rule: string, resource: string): Suppression | undefined {
  return suppressions.find((s) => s.rule === rule && s.resource === resource);
}
