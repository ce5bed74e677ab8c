import { posix } from 'node:path';
import { ClusterTopology, clusterSecretsPath } from '../model';
import { NODE, SECRETS } from './layout';
import { readStatic } from './templates';
import { configFile, scriptFile, WriteFile } from './write-file';

/**
 * A file written at boot from a template: `{{name}}` stands for the value of the cluster's
 * secret `name` (e.g. `{{marathon/zk-password}}`). Values are letters and digits only (see
 * lib/secrets/generate.ts), so they need no escaping in URLs, JSON or environment files.
 */
export interface SecretFile {
  /** Where the service reads it, under SECRETS.dir. */
  readonly path: string;
  readonly template: string;
  readonly mode: '0400' | '0600';
  /** `user:group` that reads it; the services run as root except Marathon. */
  readonly owner: 'root:root' | 'marathon:marathon';
}

export const secretPath = (name: string) => `${SECRETS.dir}/${name}`;

export const placeholder = (secret: string) => `{{${secret}}}`;

/** The secret names a template refers to, in order of first use. */
export function placeholdersOf(template: string): string[] {
  return [...new Set([...template.matchAll(/\{\{([a-z0-9/_-]+)\}\}/g)].map((m) => m[1]))];
}

/** Reads one secret from Barbican for fetch-secrets on OpenStack (a Python helper: python3 is on every node, cloud-init needs it). */
export const BARBICAN_SECRET_HELPER = `${NODE.scriptDir}/barbican-secret`;

/**
 * The templates (no values) and the manifest that fetch-secrets turns into the files, and on
 * OpenStack the helper that reads Barbican.
 */
export function secretTemplateFiles(topology: ClusterTopology, files: readonly SecretFile[]): WriteFile[] {
  if (files.length === 0) return [];
  const fetcher = topology.cluster.cloud === 'openstack' ? [scriptFile(BARBICAN_SECRET_HELPER, readStatic('scripts/barbican-secret.py'))] : [];
  const templateOf = (f: SecretFile) => `${SECRETS.templateDir}/${posix.basename(f.path)}`;
  const manifest = [
    '# <template> <file> <mode> <owner>: written by cloud-init (mesos-cluster), read by fetch-secrets.',
    ...files.map((f) => `${templateOf(f)} ${f.path} ${f.mode} ${f.owner}`),
  ].join('\n');
  return [...files.map((f) => configFile(templateOf(f), f.template)), configFile(SECRETS.manifest, `${manifest}\n`), ...fetcher];
}

/** The store a node fetches from and where the cluster's secrets are in it, as fetch-secrets' arguments. */
export function secretStoreArgs(topology: ClusterTopology): string[] {
  const prefix = clusterSecretsPath(topology.cluster.name);
  const { aws, openstack } = topology.cluster;
  // OpenStack: Barbican in the cluster's region, or in the only region that has one (`-`).
  return aws !== undefined ? ['aws-ssm', aws.region, prefix] : ['openstack', openstack?.region ?? '-', prefix];
}

/** The pre-step that writes a node's secret files, when it has any. */
export function fetchSecretsStep(topology: ClusterTopology, files: readonly SecretFile[]): (readonly string[])[] {
  return files.length === 0 ? [] : [['fetch-secrets', ...secretStoreArgs(topology)]];
}
