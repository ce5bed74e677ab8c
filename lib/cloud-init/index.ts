// PLACEHOLDER until the cloud-init renderer lands: the contract the stacks use.
import { ClusterTopology } from '../model';

/** The cloud-config document (`#cloud-config` YAML) that turns the base image into this quorum server. */
export function renderServerUserData(topology: ClusterTopology, serverName: string): string {
  return `#cloud-config\n# ${topology.cluster.name} ${serverName}\n`;
}

/** The cloud-config document for every agent of a pool. */
export function renderPoolUserData(topology: ClusterTopology, poolName: string): string {
  return `#cloud-config\n# ${topology.cluster.name} ${poolName}\n`;
}

/** The bastion's cloud-config document. */
export function renderBastionUserData(topology: ClusterTopology): string {
  return `#cloud-config\n# ${topology.cluster.name} bastion\n`;
}
