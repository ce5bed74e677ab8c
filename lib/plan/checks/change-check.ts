import { ClusterResource } from '../cluster-resources';

/** One reason to refuse a plan, on one line. */
export interface Finding {
  /** The check's id, e.g. `quorum-server-replaced`. */
  readonly check: string;
  readonly address: string;
  readonly message: string;
}

export interface CheckOptions {
  /** Quorum servers the pull request allows to be replaced (`zookeeper-2`); at most one per quorum role. */
  readonly allowReplace: ReadonlySet<string>;
  /** The pull request follows the documented procedure for changing a quorum's size. */
  readonly allowQuorumResize: boolean;
  /** Share of a pool's agents that may be removed at once, 0..1; one agent is always allowed. */
  readonly maxPoolRemovalShare: number;
}

export const DEFAULT_CHECK_OPTIONS: CheckOptions = { allowReplace: new Set(), allowQuorumResize: false, maxPoolRemovalShare: 0.25 };

/** A check over the classified plan: every finding, or none. */
export interface ChangeCheck {
  readonly id: string;
  /** What it stops, for `--help` (docs/pull-request-checks.md describes each check). */
  readonly summary: string;
  run(resources: readonly ClusterResource[], options: CheckOptions): Finding[];
}

/** `because image changed` / `requested with -replace`, from Terraform's own reasons. */
export function becauseOf(resource: ClusterResource): string {
  const { change } = resource;
  switch (change.action_reason) {
    case 'replace_by_request':
      return 'requested with -replace';
    case 'delete_because_no_resource_config':
      return 'it is no longer in the configuration';
    case 'delete_because_count_index':
    case 'delete_because_each_key':
      return 'its count or key was removed';
    case 'replace_because_tainted':
      return 'it is tainted';
  }
  const paths = (change.change.replace_paths ?? []).map((path) => path.join('.'));
  if (paths.length > 0) return `${paths.join(', ')} changed`;
  return change.action_reason ?? 'the plan says so';
}
