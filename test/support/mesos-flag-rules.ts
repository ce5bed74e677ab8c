import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GivenFlag, MesosBinary } from './mesos-wrapper-args';

interface FlagSpec {
  readonly type: string;
  readonly allowed_values?: readonly string[];
  readonly deprecated?: boolean;
  readonly build_condition?: string;
}

interface MesosReference {
  readonly master: Record<string, FlagSpec>;
  readonly agent: Record<string, FlagSpec>;
  readonly both: Record<string, FlagSpec>;
  readonly deprecated_aliases: Record<MesosBinary, Record<string, string>>;
  readonly removed_flags: Record<MesosBinary, Record<string, { removed_in?: string; last_present?: string }>>;
}

const reference: MesosReference = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'reference', 'mesos', 'mesos-flags.json'), 'utf8'),
);

const DURATION = /^\d+(\.\d+)?(ns|us|ms|secs|mins|hrs|days|weeks)$/;
const BYTES = /^\d+(B|KB|MB|GB|TB)$/i;
const ZK_URL = /^zk:\/\/([^@/]+@)?[^/,:]+:\d+(,[^/,:]+:\d+)*\/[\w/.-]+$/;

/**
 * Problems Mesos 1.11 would have with these flags (reference/mesos/mesos-flags.json): unknown
 * or removed names, a flag given twice (including old and new spelling), a value that does not
 * parse as the flag's type, and flags that exist only in special builds.
 */
export function mesosFlagProblems(binary: MesosBinary, flags: readonly GivenFlag[]): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const flag of flags) {
    const negated = flag.value === undefined && flag.name.startsWith('no-');
    const given = negated ? flag.name.slice(3) : flag.name;
    const name = reference.deprecated_aliases[binary][given] ?? given;
    const at = `--${flag.name} (${flag.source})`;
    const spec = reference[binary][name] ?? reference.both[name];
    if (spec === undefined) {
      const removed = reference.removed_flags[binary]?.[name];
      problems.push(removed ? `${at}: removed (last in Mesos ${removed.last_present})` : `${at}: unknown flag, fatal at startup`);
      continue;
    }
    const earlier = seen.get(name);
    if (earlier !== undefined) problems.push(`${at}: flag '${name}' is already given by ${earlier}, fatal at startup`);
    seen.set(name, at);
    if (spec.deprecated) problems.push(`${at}: deprecated`);
    // The package is built with SSL and libevent (image/mesos-package/README.md): only other build options are missing.
    if (spec.build_condition?.startsWith('only when built') && !/with SSL/.test(spec.build_condition)) problems.push(`${at}: ${spec.build_condition}`);
    if (negated && spec.type !== 'bool') problems.push(`${at}: --no- only negates a bool flag`);
    const wrong = valueProblem(name, spec, flag.value);
    if (wrong) problems.push(`${at}: ${wrong}`);
  }
  return problems;
}

function valueProblem(name: string, spec: FlagSpec, value: string | undefined): string | undefined {
  if (spec.type === 'bool') {
    return value === undefined || ['true', 'false', '1', '0'].includes(value) ? undefined : `'${value}' is not a bool`;
  }
  if (value === undefined) return `needs a value (${spec.type})`;
  if (spec.allowed_values) {
    // containerizers and image_providers take comma-separated lists of allowed values.
    const bad = value.split(',').filter((v) => !spec.allowed_values!.includes(v));
    if (bad.length > 0) return `'${bad.join(',')}' not among ${spec.allowed_values.join(', ')}`;
  }
  const checks: Record<string, () => boolean> = {
    duration: () => DURATION.test(value),
    bytes: () => BYTES.test(value),
    int: () => /^-?\d+$/.test(value),
    float: () => /^-?\d+(\.\d+)?$/.test(value),
    json: () => value.startsWith('file://') || value.startsWith('/') || isJson(value),
    list: () => value.split(',').every(Boolean) && new Set(value.split(',')).size === value.split(',').length,
    string_or_file: () => value.startsWith('file://') || (['zk', 'master'].includes(name) ? ZK_URL.test(value) : value !== ''),
    path: () => value !== '',
    string: () => value !== '',
  };
  const check = checks[spec.type];
  if (check === undefined) return `no rule for type ${spec.type}`;
  return check() ? undefined : `'${value}' is not a valid ${spec.type}`;
}

function isJson(value: string): boolean {
  try {
    JSON.parse(value);
    return true;
  } catch {
    return false;
  }
}
