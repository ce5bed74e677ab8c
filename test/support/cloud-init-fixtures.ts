import { join } from 'node:path';
import { parse } from 'yaml';
import { renderAllUserData } from '../../lib/cloud-init';
import { buildTopology, ClusterTopology } from '../../lib/model';
import { exampleCluster } from './aws-synth';
import { exampleOpenstackCluster, OPENSTACK_COLOCATED } from './openstack-synth';

export const REPO = join(__dirname, '..', '..');

/** clusters/ci-aws.yaml and clusters/ci-openstack.yaml, each also with colocated control servers. */
export function fixtureTopologies(): { name: string; topology: ClusterTopology }[] {
  return [
    { name: 'ci-aws', topology: buildTopology(exampleCluster()) },
    { name: 'ci-colocated', topology: buildTopology(exampleCluster(COLOCATED)) },
    { name: 'ci-openstack', topology: buildTopology(exampleOpenstackCluster()) },
    { name: 'ci-openstack-colocated', topology: buildTopology(exampleOpenstackCluster(OPENSTACK_COLOCATED)) },
  ];
}

/** The example with colocated control servers, which take zookeeper's size. */
export const COLOCATED = { name: 'ci-colocated', colocate: true, masters: undefined, marathon: undefined } as const;

export interface RenderedDocument {
  /** `<cluster>/<node or pool>`, for messages. */
  readonly id: string;
  readonly kind: 'server' | 'pool' | 'bastion' | 'edge';
  readonly role: string;
  readonly text: string;
}

/** Every document of a topology: each server, each pool, the bastion. */
export function renderAll(topology: ClusterTopology): RenderedDocument[] {
  return renderAllUserData(topology).map(({ name, kind, role, text }) => ({ id: `${topology.cluster.name}/${name}`, kind, role, text }));
}

let rendered: readonly RenderedDocument[] | undefined;

/**
 * Every document of the fixture clusters. Rendered once per test process (a few tenths of a
 * CPU-second, and some twenty files of the shared processes ask): the documents are frozen,
 * the array is the caller's own.
 */
export function allFixtureDocuments(): RenderedDocument[] {
  rendered ??= fixtureTopologies().flatMap(({ topology }) => renderAll(topology).map((document) => Object.freeze(document)));
  return [...rendered];
}

/**
 * The documents a node can boot from in the sandbox: all of them. Secrets come from the
 * stand-ins for the stores' clients (test/support/node-stubs.ts: `aws`, and `python3` for
 * OpenStack's Barbican reader, which test/openstack/secrets-at-boot.test.ts runs for real).
 */
export function bootableFixtureDocuments(): RenderedDocument[] {
  return allFixtureDocuments();
}

export interface WriteFileEntry {
  readonly path: string;
  readonly content: string;
  readonly permissions: string;
}

export interface CloudConfig {
  readonly hostname?: string;
  readonly write_files: WriteFileEntry[];
  readonly runcmd: (string | string[])[];
  readonly bootcmd?: (string | string[])[];
  readonly [key: string]: unknown;
}

export function parseCloudConfig(text: string): CloudConfig {
  return parse(text) as CloudConfig;
}

export function fileAt(config: CloudConfig, path: string): WriteFileEntry | undefined {
  return config.write_files.find((f) => f.path === path);
}

/** The units a document's configure-node enables and masks (its activate-units step). */
export function unitActivation(config: CloudConfig): { enable: string[]; mask: string[] } {
  const script = fileAt(config, '/usr/local/lib/mesos-cluster/configure-node')!.content.replace(/ \\\n\s*/g, ' ');
  const [, enable, mask] = /activate-units" --enable ?(.*) --mask (.*)$/m.exec(script)!;
  return { enable: enable.split(' '), mask: mask.split(' ') };
}
