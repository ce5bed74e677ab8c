import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MESOS } from '../../lib/cloud-init/layout';

/** One flag as the Mesos binary receives it; `value` undefined for a bare `--name`. */
export interface GivenFlag {
  readonly name: string;
  readonly value?: string;
  /** Where it came from: a file, a defaults variable, or a MESOS_* environment variable. */
  readonly source: string;
}

export type MesosBinary = 'master' | 'agent';

/** The wrapper's special variables (LAYOUT.md 1.2 step 3). */
const SPECIAL: Record<MesosBinary, Record<string, string>> = {
  master: { ZK: 'zk', IP: 'ip', PORT: 'port', CLUSTER: 'cluster', LOGS: 'log_dir' },
  agent: { MASTER: 'master', IP: 'ip', LOGS: 'log_dir', ISOLATION: 'isolation' },
};

/**
 * The flags mesos-init-wrapper ("agent" variant, LAYOUT.md 1.2-1.3) would pass for a node whose
 * files are under `root`: the defaults files sourced by bash with allexport, their special
 * variables, every regular file in the flag folder, and the attributes/resources folders.
 * MESOS_* variables exported by the defaults files are returned as flags too.
 */
export function mesosWrapperFlags(root: string, binary: MesosBinary): GivenFlag[] {
  const defaults = [MESOS.defaultsCommon, binary === 'master' ? MESOS.masterDefaults : MESOS.agentDefaults];
  const flagDir = join(root, binary === 'master' ? MESOS.masterFlagDir : MESOS.agentFlagDir);
  const flags: GivenFlag[] = [];
  for (const [variable, value] of Object.entries(sourceDefaults(defaults.map((d) => join(root, d))))) {
    const special = SPECIAL[binary][variable];
    if (special !== undefined && value !== '') flags.push({ name: special, value, source: `${variable}= in /etc/default` });
    if (variable.startsWith('MESOS_')) flags.push({ name: variable.slice(6).toLowerCase(), value, source: `${variable} (environment)` });
  }
  for (const name of listFiles(flagDir)) {
    const source = join(flagDir, name);
    if (name.startsWith('?')) flags.push({ name: name.slice(1), source });
    else flags.push({ name, value: readFileSync(source, 'utf8').replace(/\n+$/, ''), source });
  }
  if (binary === 'agent') {
    for (const group of ['attributes', 'resources']) {
      const dir = join(flagDir, group);
      const parts = listFiles(dir)
        .map((name) => [name, readFileSync(join(dir, name), 'utf8')] as const)
        .filter(([, content]) => content !== '')
        .map(([name, content]) => `${name}:${content.replace(/\n+$/, '')}`);
      if (parts.length > 0) flags.push({ name: group, value: parts.join(';'), source: `${dir}/*` });
    }
  }
  return flags;
}

/** Regular files directly in `dir`, in the shell's glob order. */
function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => statSync(join(dir, name)).isFile())
    .sort();
}

/** Variables the defaults files set, found by sourcing them in an empty environment. */
function sourceDefaults(files: string[]): Record<string, string> {
  const script = `set -o allexport; for f in "$@"; do [ ! -f "$f" ] || . "$f"; done; env -0`;
  const read = (args: string[]) => {
    const result = spawnSync('bash', ['-c', script, 'bash', ...args], { env: {}, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`sourcing ${files.join(' ')} failed: ${result.stderr}`);
    return Object.fromEntries(
      result.stdout
        .split('\0')
        .filter(Boolean)
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
  };
  const baseline = read([]);
  const sourced = read(files);
  return Object.fromEntries(Object.entries(sourced).filter(([key, value]) => baseline[key] !== value));
}
