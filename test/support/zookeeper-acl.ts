/**
 * Test harness: the ZooKeeper owners as the rendered settings describe them. Each owner's
 * digest user and znode come from its node's rendered secret template (`zk://user:{{secret}}@
 * hosts/path`), the ACLs from ZNODE_OWNERSHIP (what Mesos 1.11 and Marathon 1.10 create).
 */
import { createHash } from 'node:crypto';
import { SECRETS } from '../../lib/cloud-init/layout';
import { ClusterTopology, ZNODE_OWNERSHIP, ZnodeOwnership } from '../../lib/model';
import { generateToken } from '../../lib/secrets/generate';
import { Render } from './zookeeper-ensemble';
import { readWriteFiles } from './zookeeper-cloud-config';
import { RunResult } from './zookeeper-runtime';

export interface ZnodeOwner {
  readonly user: string;
  /** A fresh token, as `npm run secrets` would store. */
  readonly password: string;
  readonly secret: string;
  readonly path: string;
  readonly ownership: ZnodeOwnership;
}

const ZK_URL_TEMPLATE = /zk:\/\/([^:@/]+):\{\{([^}]+)\}\}@[^/]+(\/[\w/-]+)/;

/** The template `name` of a rendered document, as text. */
function template(userData: string, name: string): string {
  const file = readWriteFiles(userData).find((f) => f.path === `${SECRETS.templateDir}/${name}`);
  if (file === undefined) throw new Error(`no secret template ${name} in the rendered document`);
  return file.content.toString('utf8');
}

function ownerFrom(text: string, where: string): ZnodeOwner {
  const match = ZK_URL_TEMPLATE.exec(text);
  if (match === null) throw new Error(`${where}: no zk://user:{{secret}}@hosts/path in ${JSON.stringify(text)}`);
  const [, user, secret, path] = match;
  const ownership = ZNODE_OWNERSHIP.find((o) => o.path === path);
  if (ownership === undefined || ownership.owner !== user || ownership.secret !== secret) {
    throw new Error(`${where}: ${user} with {{${secret}}} on ${path} is not an owner in ZNODE_OWNERSHIP`);
  }
  return { user, secret, path, ownership, password: generateToken() };
}

/** The owners of /mesos (a master's --zk file) and /marathon (a Marathon server's MARATHON_ZK). */
export function renderedOwners(topology: ClusterTopology, render: Render): ZnodeOwner[] {
  const master = render(topology, topology.mesos.masters[0].name);
  const marathon = render(topology, topology.marathon.servers[0].name);
  return [ownerFrom(template(master, 'mesos-zk-url'), 'mesos-zk-url'), ownerFrom(template(marathon, 'marathon.env'), 'marathon.env')];
}

/** `addauth` as the owner, for a CLI session. */
export const authAs = (owner: ZnodeOwner) => `addauth digest ${owner.user}:${owner.password}`;

/** How getAcl shows the owner's digest identity: base64(sha1("user:password")). */
export function digestId(owner: ZnodeOwner): string {
  return `${owner.user}:${createHash('sha1').update(`${owner.user}:${owner.password}`).digest('base64')}`;
}

/** The ACL entries getAcl prints, as `scheme:id:perms`, with `auth::` resolved to the owner's digest. */
export function expectedAcl(owner: ZnodeOwner, acl: readonly string[]): string[] {
  return acl.map((entry) => (entry.startsWith('auth::') ? `digest:${digestId(owner)}:${entry.slice('auth::'.length)}` : entry)).sort();
}

/** Parses getAcl's output (`'scheme,'id` then `: perms`) into `scheme:id:perms` entries. */
export function parseGetAcl(output: string): string[] {
  const lines = output.split('\n');
  const entries: string[] = [];
  lines.forEach((line, i) => {
    const id = /^'(\w+),'(.*)$/.exec(line.trim());
    const perms = /^: (\w+)$/.exec((lines[i + 1] ?? '').trim());
    if (id && perms) entries.push(`${id[1]}:${id[2]}:${perms[1]}`);
  });
  return entries.sort();
}

export const refused = (result: RunResult) => /Insufficient permission/.test(result.stdout + result.stderr);

/** How many commands of a CLI session were refused: the CLI prints one `Insufficient permission` line for each. */
export const refusals = (result: RunResult) => (result.stdout + result.stderr).match(/Insufficient permission/g)?.length ?? 0;

/** The root ACL a rendered ZooKeeper server sets once the ensemble serves (protect-zookeeper-root). */
export function renderedRootAcl(userData: string): string {
  const script = readWriteFiles(userData).find((f) => f.path.endsWith('/configure-node'));
  // A long step continues over lines (`\`); one argument per ACL entry.
  const line = script?.content.toString('utf8').replace(/ \\\n\s*/g, ' ').split('\n').find((l) => l.includes('/protect-zookeeper-root'));
  const acl = line?.trim().split(/\s+/).slice(1).join(',');
  if (acl === undefined) throw new Error('the rendered ZooKeeper server does not protect the root znode');
  return acl;
}
