import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Parses a systemd EnvironmentFile (KEY=VALUE lines, # comments, optional matching quotes).
 * Shell constructs systemd would pass through literally are problems, not values.
 */
export function parseEnvironmentFile(text: string): { vars: [string, string][]; problems: string[] } {
  const vars: [string, string][] = [];
  const problems: string[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!match) return void problems.push(`line ${index + 1}: not KEY=VALUE: ${line}`);
    let value = match[2];
    if (/^(["']).*\1$/.test(value) && value.length >= 2) value = value.slice(1, -1);
    if (/`|\$\(/.test(value)) problems.push(`line ${index + 1}: shell substitution is not evaluated by systemd: ${line}`);
    vars.push([match[1], value]);
  });
  return { vars, problems };
}

/** Main.envToArgs (LAYOUT.md 3.1): MARATHON_<X> -> --<x> [value]; an empty value gives the bare option. */
export function marathonArgs(vars: readonly [string, string][]): { name: string; value?: string }[] {
  return vars
    .filter(([key]) => key.startsWith('MARATHON_') && !key.startsWith('MARATHON_APP_'))
    .map(([key, value]) => ({ name: key.slice('MARATHON_'.length).toLowerCase(), value: value === '' ? undefined : value }));
}

interface MarathonSpec {
  readonly type: string;
  readonly allowed_values?: readonly string[];
  readonly removed?: boolean;
}

const reference = JSON.parse(readFileSync(join(__dirname, '..', '..', 'reference', 'mesos', 'marathon-flags.json'), 'utf8'));
const SECTIONS = ['core', 'http', 'zookeeper_storage', 'offer_matching', 'metrics', 'debug', 'plugins', 'internal_hidden'];
const specs: Record<string, MarathonSpec> = Object.assign({}, ...SECTIONS.map((s) => reference[s]));
const removedByRelease: Record<string, string[]> = reference.removed_flags['gone_by_1.10.26'];

const ZK_URL = /^zk:\/\/([^@/]+@)?[^/,:]+:\d+(,[^/,:]+:\d+)*\/[\w/.-]+$/;

/** Problems Marathon 1.10 would have with these options (reference/mesos/marathon-flags.json). */
export function marathonArgProblems(args: readonly { name: string; value?: string }[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const { name, value } of args) {
    const toggleOff = name.startsWith('disable_') && specs[name.slice(8)]?.type === 'toggle';
    const canonical = toggleOff ? name.slice(8) : name;
    const spec = specs[canonical];
    const at = `--${name}${value === undefined ? '' : ` ${value}`}`;
    if (spec === undefined) {
      const release = Object.entries(removedByRelease).find(([, names]) => names.includes(name))?.[0];
      problems.push(release ? `${at}: removed since ${release}` : `${at}: unknown option, fatal at startup`);
      continue;
    }
    if (seen.has(canonical)) problems.push(`${at}: '${canonical}' given twice`);
    seen.add(canonical);
    if (spec.removed) problems.push(`${at}: removed in 1.10`);
    const wrong = marathonValueProblem(spec, value);
    if (wrong) problems.push(`${at}: ${wrong}`);
  }
  return problems;
}

function marathonValueProblem(spec: MarathonSpec, value: string | undefined): string | undefined {
  if (spec.type === 'toggle' || spec.type === 'flag') return value === undefined ? undefined : 'takes no value (use an empty MARATHON_ variable)';
  if (value === undefined) return `needs a value (${spec.type})`;
  switch (spec.type) {
    case 'int':
      return /^-?\d+$/.test(value) ? undefined : `'${value}' is not an integer`;
    case 'enum':
      return spec.allowed_values!.includes(value) ? undefined : `'${value}' not among ${spec.allowed_values!.join(', ')}`;
    case 'list':
      return spec.allowed_values && value.split(',').some((v) => !spec.allowed_values!.includes(v.trim())) ? `'${value}' has unknown entries` : undefined;
    case 'zk_url':
      return ZK_URL.test(value) ? undefined : `'${value}' is not zk://host:port,.../path`;
    case 'mesos_master_url':
      return ZK_URL.test(value) || /^https?:\/\/[^/]+:\d+$/.test(value) ? undefined : `'${value}' is not a Mesos master URL`;
    default:
      return value === '' ? 'empty' : undefined;
  }
}
