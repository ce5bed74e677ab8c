/**
 * Test harness: reads a rendered `#cloud-config` document, lays its `write_files` out under a
 * temporary root, and maps a rendered zoo.cfg onto loopback addresses and that root.
 *
 * The only rewrites made are address mapping (private IP → the node's loopback IP, and binding
 * the client port and AdminServer to it so nodes on one host do not collide) and path mapping
 * (absolute paths → under the node's root). Each rewrite is recorded, so a test can show it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';

export interface WrittenFile {
  readonly path: string;
  /** Decoded content. */
  readonly content: Buffer;
  readonly permissions?: string;
  readonly owner?: string;
  readonly append: boolean;
}

/** Parses a cloud-config document and returns its `write_files` entries, decoded. */
export function readWriteFiles(document: string): WrittenFile[] {
  if (!document.startsWith('#cloud-config')) {
    throw new Error(`user-data does not start with "#cloud-config": ${JSON.stringify(document.slice(0, 60))}`);
  }
  const data: unknown = parse(document);
  if (!isRecord(data)) throw new Error('cloud-config is not a YAML mapping');
  const entries = data['write_files'] ?? [];
  if (!Array.isArray(entries)) throw new Error('cloud-config write_files is not a list');
  return entries.map((entry: unknown, index) => {
    if (!isRecord(entry) || typeof entry['path'] !== 'string') throw new Error(`write_files[${index}] has no path`);
    return {
      path: entry['path'],
      content: decode(entry['content'], entry['encoding'], `write_files[${index}] (${entry['path']})`),
      permissions: entry['permissions'] === undefined ? undefined : String(entry['permissions']),
      owner: typeof entry['owner'] === 'string' ? entry['owner'] : undefined,
      append: entry['append'] === true,
    };
  });
}

/** cloud-init's encodings: plain text (default), base64, gzip (+base64) is not expected here. */
function decode(content: unknown, encoding: unknown, what: string): Buffer {
  if (content === undefined || content === null) return Buffer.alloc(0);
  if (typeof content !== 'string') throw new Error(`${what}: content is not a string`);
  const enc = encoding === undefined ? 'text/plain' : String(encoding).toLowerCase();
  if (enc === 'text/plain') return Buffer.from(content, 'utf8');
  if (enc === 'b64' || enc === 'base64') return Buffer.from(content, 'base64');
  throw new Error(`${what}: encoding ${enc} is not handled by this test`);
}

/** Writes every entry at `<root><path>` (appending where the entry says so). */
export function layOut(root: string, files: readonly WrittenFile[]): void {
  for (const file of files) {
    const target = join(root, file.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.content, { flag: file.append ? 'a' : 'w' });
  }
}

/** zoo.cfg as an ordered list of `key=value` properties (comments and blank lines dropped). */
export function parseZooCfg(text: string): Map<string, string> {
  const properties = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const eq = line.search(/[=:]/);
    if (eq < 0) continue;
    properties.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  return properties;
}

export interface ZooCfgMapping {
  /** Private IP → loopback IP, for every server of the ensemble. */
  readonly addresses: ReadonlyMap<string, string>;
  /** ZooKeeper id (`server.N`) → loopback IP. */
  readonly byId: ReadonlyMap<number, string>;
  /** This node's loopback IP. */
  readonly loopback: string;
  /** Absolute paths in zoo.cfg are moved under this root. */
  readonly root: string;
}

export interface MappedZooCfg {
  readonly text: string;
  /** What was changed, one line each: `key: old → new`. */
  readonly rewrites: string[];
}

const PATH_KEYS = new Set(['dataDir', 'dataLogDir', 'dynamicConfigFile']);
const WILDCARD = new Set(['0.0.0.0', '::', '[::]', '127.0.0.1', 'localhost']);

/** Maps a rendered zoo.cfg onto loopback addresses and the node's root (see the module comment). */
export function mapZooCfg(text: string, mapping: ZooCfgMapping): MappedZooCfg {
  const rewrites: string[] = [];
  const seen = new Set<string>();
  const lines = text.split(/\r?\n/).map((raw) => {
    const match = /^(\s*)([^#!\s=:][^=:]*?)\s*([=:])\s*(.*?)\s*$/.exec(raw);
    if (!match) return raw;
    const [, indent, key, sep, value] = match;
    seen.add(key);
    let next = value;
    if (PATH_KEYS.has(key) && value.startsWith('/')) {
      next = join(mapping.root, value);
    } else if (/^server\.\d+$/.test(key)) {
      next = mapServerLine(value, mapping.byId.get(Number(key.slice('server.'.length))), mapping.addresses);
    } else if (key === 'clientPortAddress' || key === 'admin.serverAddress') {
      next = mapping.addresses.get(value) ?? (WILDCARD.has(value) ? mapping.loopback : value);
    } else if (key === 'quorumListenOnAllIPs' && value === 'true') {
      next = 'false';
    } else {
      next = replaceAddresses(value, mapping.addresses);
    }
    if (next === value) return raw;
    rewrites.push(`${key}: ${value} → ${next}`);
    return `${indent}${key}${sep}${next}`;
  });
  if (!seen.has('clientPortAddress')) {
    lines.push(`clientPortAddress=${mapping.loopback}`);
    rewrites.push(`clientPortAddress: (unset, all interfaces) → ${mapping.loopback}`);
  }
  const adminEnabled = parseZooCfg(text).get('admin.enableServer') !== 'false';
  if (adminEnabled && !seen.has('admin.serverAddress')) {
    lines.push(`admin.serverAddress=${mapping.loopback}`);
    rewrites.push(`admin.serverAddress: (unset, all interfaces) → ${mapping.loopback}`);
  }
  return { text: lines.join('\n').replace(/\n*$/, '\n'), rewrites };
}

/**
 * `server.N=host:peer:election[:role][;[clientHost:]clientPort]`: the private IP of server N
 * becomes its loopback IP; a wildcard host (a server binding its own quorum ports on all
 * interfaces) becomes that server's loopback IP too.
 */
function mapServerLine(value: string, own: string | undefined, addresses: ReadonlyMap<string, string>): string {
  const [quorum, client] = value.split(';', 2);
  const parts = quorum.split(':');
  if (own !== undefined && WILDCARD.has(parts[0])) parts[0] = own;
  const mappedQuorum = replaceAddresses(parts.join(':'), addresses);
  if (client === undefined) return mappedQuorum;
  const colon = client.lastIndexOf(':');
  if (colon < 0) return `${mappedQuorum};${client}`;
  const host = client.slice(0, colon);
  const mappedHost = addresses.get(host) ?? (WILDCARD.has(host) ? mappedQuorum.split(':')[0] : host);
  return `${mappedQuorum};${mappedHost}${client.slice(colon)}`;
}

function replaceAddresses(value: string, addresses: ReadonlyMap<string, string>): string {
  let out = value;
  for (const [from, to] of addresses) {
    out = out.replace(new RegExp(`(?<![\\d.])${from.replace(/\./g, '\\.')}(?![\\d])`, 'g'), to);
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
