import { TerraformStack } from 'cdktf';
import { renderBastionUserData, renderEdgeUserData, renderPoolUserData, renderServerUserData } from '../cloud-init';
import { buildTopology, ClusterTopology, ResolvedCluster } from '../model';
import { addStateBackend } from './backend';
import { escapeTemplateStrings } from './escape';

declare const escaped: unique symbol;

/**
 * A topology built from the cluster with every string escaped for Terraform: what resource
 * arguments and outputs read. Only `clusterStackPreamble` makes one, so the topology as loaded
 * cannot be passed where this is expected.
 */
export type EscapedTopology<C extends ResolvedCluster = ResolvedCluster> = ClusterTopology<C> & { readonly [escaped]: true };

/** A cluster's stack is given the topology as loaded from its file, unescaped. */
export interface ClusterStackProps<C extends ResolvedCluster> {
  readonly topology: ClusterTopology<C>;
}

/** The user-data of the cluster's nodes, rendered from the file's own values; each cloud's constructs encode or escape it whole. */
export interface ClusterUserData {
  server(name: string): string;
  pool(name: string): string;
  bastion(): string;
  edge(): string;
}

/** What a cluster's stack builds from: the escaped topology, and user-data from the topology as loaded. */
export interface ClusterStackInputs<C extends ResolvedCluster> {
  readonly topology: EscapedTopology<C>;
  readonly userData: ClusterUserData;
}

/**
 * What every cloud's stack does first: escape every string of the cluster file and rebuild the
 * topology from it (a second line of defence behind validation: each reaches Terraform literally),
 * and add the state backend. The topology as loaded stays inside `userData`, so a stack cannot
 * read it by mistake where the escaped one belongs.
 */
export function clusterStackPreamble<C extends ResolvedCluster>(stack: TerraformStack, props: ClusterStackProps<C>): ClusterStackInputs<C> {
  const given = props.topology;
  const topology = buildTopology(escapeTemplateStrings(given.cluster)) as EscapedTopology<C>;
  addStateBackend(stack, topology.cluster.name, topology.cluster.backend);
  return {
    topology,
    userData: {
      server: (name) => renderServerUserData(given, name),
      pool: (name) => renderPoolUserData(given, name),
      bastion: () => renderBastionUserData(given),
      edge: () => renderEdgeUserData(given),
    },
  };
}
