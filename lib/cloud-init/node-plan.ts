import { UnitGroup, UNITS, USER_DATA_UNITS } from './layout';
import { WriteFile } from './write-file';

/** The services whose readiness `await-ready` can probe. */
export type Probe = 'zookeeper' | 'mesos-master' | 'mesos-agent' | 'marathon' | 'ssh' | 'edge';

/** Everything one node (a quorum server, every agent of a pool, or the bastion) needs at first boot. */
export interface NodePlan {
  /** The node's stable name; undefined for agents, which name themselves at boot. */
  readonly hostname?: string;
  /** `role` as in the facts file and tags: a server role, `mesos-agent` or `bastion`. */
  readonly role: string;
  readonly facts: Readonly<Record<string, string | number>>;
  /** `/etc/hosts` entries besides localhost: [address, name]. */
  readonly hosts: readonly (readonly [string, string])[];
  readonly files: readonly WriteFile[];
  /** Steps before the units start, e.g. naming an agent or mounting its data volume. */
  readonly preSteps: readonly (readonly string[])[];
  /** Steps once the units are started, before await-ready writes the readiness marker. @default none */
  readonly readySteps?: readonly (readonly string[])[];
  /** Steps once the node's services are ready. @default none */
  readonly postSteps?: readonly (readonly string[])[];
  readonly enable: readonly UnitGroup[];
  /** Helper scripts the node's units run, besides those its steps run. @default none */
  readonly helpers?: readonly string[];
  readonly probes: readonly Probe[];
}

const MASKED_UNLESS_ENABLED = Object.keys(UNITS) as (keyof typeof UNITS)[];
const UNITS_OF: Readonly<Record<UnitGroup, readonly string[]>> = { ...UNITS, ...USER_DATA_UNITS };

/** Units to enable and the rest to mask: a node runs exactly its role's services. */
export function unitSplit(enable: readonly UnitGroup[]): { enable: string[]; mask: string[] } {
  return {
    enable: enable.flatMap((g) => UNITS_OF[g]),
    mask: MASKED_UNLESS_ENABLED.filter((g) => !enable.includes(g)).flatMap((g) => UNITS[g]),
  };
}
