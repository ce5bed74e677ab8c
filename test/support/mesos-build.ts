/**
 * Test harness: the real Apache Mesos 1.11.0 build beside the repository (`<repo>/../shared/mesos`,
 * see its README), unpacked once into a cache folder keyed by the tarball's SHA-256 and reused by
 * every test and run. Like a missing tool, a missing tarball or runtime library skips the tests on a
 * developer machine and fails them under CI=true (tool-gate.ts).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const REPO_ROOT = resolve(__dirname, '..', '..');

/**
 * Where CI keeps the shared build: `shared/mesos` beside the clone (`<repo>/../shared/mesos`).
 * A git worktree nested deeper finds it in a further ancestor; MESOS_SHARED_DIR overrides both.
 */
export const SHARED_MESOS_DIR = process.env.MESOS_SHARED_DIR ?? findShared(dirname(REPO_ROOT));

function findShared(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'shared', 'mesos');
    if (existsSync(candidate) || dirname(dir) === dir) return existsSync(candidate) ? candidate : join(dirname(REPO_ROOT), 'shared', 'mesos');
  }
}
export const MESOS_TARBALL = 'mesos-1.11.0-debian12-amd64.tar.xz';

/** Debian packages the build links against (its README); scripts/setup.sh installs them. */
export const MESOS_RUNTIME_PACKAGES = [
  'libapr1', 'libaprutil1', 'libcurl4', 'libevent-2.1-7', 'libevent-openssl-2.1-7', 'libevent-pthreads-2.1-7',
  'libgrpc++1.51', 'libprotobuf32', 'libsasl2-2', 'libsasl2-modules', 'libsvn1', 'libzookeeper-mt2', 'libssl3', 'libarchive13',
] as const;

export interface MesosBuild {
  /** The unpacked `usr/local`. */
  readonly prefix: string;
  readonly masterBinary: string;
  readonly agentBinary: string;
  /** The agent's `--launcher_dir`: executors, containerizer, fetcher, logrotate logger. */
  readonly launcherDir: string;
  /** Module libraries (the logrotate container logger among them). */
  readonly moduleDir: string;
  /** The environment every Mesos process needs: the build's own libraries first. */
  readonly env: NodeJS.ProcessEnv;
  /** `mesos 1.11.0` */
  readonly version: string;
}

export type MesosBuildProbe = { readonly ok: true; readonly build: MesosBuild } | { readonly ok: false; readonly reason: string };

let probed: MesosBuildProbe | undefined;

/**
 * Verifies the tarball against SHA256SUMS, unpacks it once (cache folder under the OS temp dir,
 * keyed by its hash; a concurrent unpack loses the rename race harmlessly) and checks that
 * `mesos-master --version` runs. About 2 s the first time, a hash of 14 MB after that.
 */
export function probeMesosBuild(sharedDir = SHARED_MESOS_DIR): MesosBuildProbe {
  if (probed === undefined || sharedDir !== SHARED_MESOS_DIR) probed = probe(sharedDir);
  return probed;
}

function probe(sharedDir: string): MesosBuildProbe {
  const tarball = join(sharedDir, MESOS_TARBALL);
  const sums = join(sharedDir, 'SHA256SUMS');
  if (!existsSync(tarball) || !existsSync(sums)) return { ok: false, reason: `no real Mesos build: ${tarball} or ${sums} is missing (CI keeps ../shared beside the clone)` };
  const expected = new RegExp(`^([0-9a-f]{64})\\s+\\*?${MESOS_TARBALL.replace(/\./g, '\\.')}$`, 'm').exec(readFileSync(sums, 'utf8'))?.[1];
  const actual = createHash('sha256').update(readFileSync(tarball)).digest('hex');
  if (expected === undefined) return { ok: false, reason: `${sums} has no line for ${MESOS_TARBALL}` };
  if (actual !== expected) return { ok: false, reason: `${tarball}: SHA-256 ${actual} does not match SHA256SUMS (${expected})` };

  const cache = join(tmpdir(), 'mesos-cluster-real-mesos', actual.slice(0, 16));
  const complete = join(cache, '.unpacked');
  if (!existsSync(complete)) {
    const staging = `${cache}.staging-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    const untar = spawnSync('tar', ['-xJf', tarball, '-C', staging], { encoding: 'utf8', timeout: 120_000 });
    if (untar.status !== 0) return { ok: false, reason: `tar -xJf ${tarball} failed: ${(untar.stderr || untar.error?.message || '').trim()}` };
    writeFileSync(join(staging, '.unpacked'), `${actual}\n`);
    try {
      renameSync(staging, cache);
    } catch {
      // Another process unpacked the same tarball first: use its copy.
      rmSync(staging, { recursive: true, force: true });
    }
    if (!existsSync(complete)) return { ok: false, reason: `unpacking ${tarball} into ${cache} did not complete` };
  }

  const prefix = join(cache, 'usr', 'local');
  const build: MesosBuild = {
    prefix,
    masterBinary: join(prefix, 'sbin', 'mesos-master'),
    agentBinary: join(prefix, 'sbin', 'mesos-agent'),
    launcherDir: join(prefix, 'libexec', 'mesos'),
    moduleDir: join(prefix, 'lib', 'mesos', 'modules'),
    env: { ...process.env, LD_LIBRARY_PATH: [join(prefix, 'lib'), process.env.LD_LIBRARY_PATH].filter(Boolean).join(':') },
    version: '',
  };
  const version = spawnSync(build.masterBinary, ['--version'], { env: build.env, encoding: 'utf8', timeout: 30_000 });
  const said = `${version.stdout ?? ''}${version.stderr ?? ''}`.trim();
  if (version.status !== 0 || !/^mesos 1\.11\.0$/m.test(said)) {
    const library = /error while loading shared libraries: (\S+?):/.exec(said)?.[1];
    const reason = library
      ? `the Mesos runtime library ${library} is missing (apt-get install ${MESOS_RUNTIME_PACKAGES.join(' ')}, or npm run setup)`
      : `${build.masterBinary} --version failed: ${said.slice(0, 500) || version.error?.message}`;
    return { ok: false, reason };
  }
  return { ok: true, build: { ...build, version: said } };
}

/** The flag names `mesos-master --help` or `mesos-agent --help` lists (`--[no-]name` as `name`). */
export function helpFlags(build: MesosBuild, binary: 'master' | 'agent'): string[] {
  const help = spawnSync(binary === 'master' ? build.masterBinary : build.agentBinary, ['--help'], { env: build.env, encoding: 'utf8', timeout: 30_000 });
  const text = `${help.stdout ?? ''}${help.stderr ?? ''}`;
  return [...new Set([...text.matchAll(/^\s+--(?:\[no-\])?([a-z0-9_]+)/gm)].map((m) => m[1]))].sort();
}
