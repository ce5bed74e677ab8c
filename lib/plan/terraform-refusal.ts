/**
 * When Terraform itself refuses to plan because a `prevent_destroy` resource would be destroyed,
 * the summary names the resource, why it is protected and the safe procedure instead of
 * Terraform's raw error.
 */
export interface TerraformRefusal {
  readonly address: string;
  readonly explanation: string;
}

/** A diagnostic of `terraform plan -json` (`"type": "diagnostic"`). */
export interface PlanDiagnostic {
  readonly severity: string;
  readonly summary: string;
  readonly detail?: string;
}

const PREVENT_DESTROY = /Resource (\S+) has lifecycle\.prevent_destroy set/;

/** The refusals among a plan's error diagnostics. */
export function refusalsOf(diagnostics: readonly PlanDiagnostic[]): TerraformRefusal[] {
  return diagnostics.flatMap((d) => {
    const address = d.severity === 'error' ? PREVENT_DESTROY.exec(d.detail ?? '')?.[1] : undefined;
    return address === undefined ? [] : [{ address, explanation: explainProtected(address) }];
  });
}

/** Why a resource type is protected and what to do instead, by what it is. */
export function explainProtected(address: string): string {
  const type = address.replace(/^(module\.[^.]+\.)*/, '').split('.')[0];
  if (type === 'aws_ebs_volume' || type === 'openstack_blockstorage_volume_v3') {
    return (
      'a data volume (e.g. Jenkins homes) that outlives its agent; the plan would destroy it. ' +
      'Safe procedure: keep the pool count and zones; to retire the agent, drain it, back the volume up, ' +
      'then `terraform state rm` the volume and delete it by hand (docs/pull-request-checks.md)'
    );
  }
  return 'it has lifecycle.prevent_destroy; the plan would destroy it. Change the pull request so that it no longer does';
}
