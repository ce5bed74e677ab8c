import { execFile, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { missingTool } from './tool-gate';

const run = promisify(execFile);

/** Kept between runs: the packages debootstrap and apt fetched last time. */
const CACHE = process.env.MESOS_CLUSTER_DEB_CACHE ?? '/var/cache/mesos-cluster-test';
const MINBASE_MAX_AGE_MS = 24 * 3600 * 1000;
/** Inside the root, where a dpkg hook keeps what apt fetched. */
const KEPT_DEBS = 'var/cache/mesos-cluster-test-debs';
/**
 * dpkg's settings in the test root only (test speed; the image keeps dpkg's defaults): no fsync,
 * and no documentation, manual pages or translations unpacked, which no test reads.
 */
const TEST_DPKG_CFG = ['force-unsafe-io', ...['doc', 'man', 'info', 'locale'].map((dir) => `path-exclude=/usr/share/${dir}/*`)].join('\n') + '\n';
/**
 * py3compile in the test root: Python packages' install scripts byte-compile every module with
 * it (a fifth of provisioning's CPU); the root's Python compiles what it imports instead.
 */
const NO_BYTE_COMPILE = '#!/bin/sh\n# mesos-cluster test root only (test/support/debian-root.ts): no byte-compiling at install.\nexit 0\n';
/** The root lives in memory: about a gigabyte of small files written once and thrown away. */
const ROOT_TMPFS_SIZE = '4g';

/** Why a Debian 12 root cannot be built here, or undefined. */
export function missingDebianRootTools(): string | undefined {
  if (process.getuid?.() !== 0) return 'building a Debian root needs root (debootstrap, chroot, mount)';
  return missingTool('debootstrap', 'debootstrap') ?? (hostDebianSources() ? undefined : 'no Debian bookworm source in /etc/apt');
}

/**
 * The machine's own Debian 12 apt sources (deb822), which the root uses too: the project names
 * no mirror of its own. Returns the sources text and the URI of the main archive.
 */
export function hostDebianSources(): { text: string; mirror: string } | undefined {
  const file = '/etc/apt/sources.list.d/debian.sources';
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  for (const stanza of text.split(/\n\s*\n/)) {
    const field = (name: string) => new RegExp(`^${name}:\\s*(.+)$`, 'm').exec(stanza)?.[1].trim().split(/\s+/) ?? [];
    if (field('Suites').includes('bookworm') && field('Components').includes('main')) return { text, mirror: field('URIs')[0] };
  }
  return undefined;
}

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function runCommand(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<CommandResult> {
  try {
    const { stdout, stderr } = await run(command, args, { env, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? String(error) };
  }
}

/**
 * A Debian 12 root made with `debootstrap --variant=minbase`, for running the image recipe in a
 * chroot. The minbase root and the packages are cached between runs; the root is in memory, dpkg
 * skips fsync and documentation inside it (TEST_DPKG_CFG) and nothing is byte-compiled at install
 * (NO_BYTE_COMPILE): test speed only, the recipe and what it installs are the image's.
 */
export class DebianRoot {
  readonly dir: string;
  private mounted = false;
  private inMemory = false;

  private constructor(dir: string) {
    this.dir = dir;
  }

  static async create(): Promise<DebianRoot> {
    const sources = hostDebianSources();
    if (!sources) throw new Error('no Debian bookworm source in /etc/apt/sources.list.d/debian.sources');
    const root = new DebianRoot(join(mkdtempSync(join(tmpdir(), 'mesos-cluster-image-')), 'root'));
    mkdirSync(root.dir);
    try {
      await root.prepare(sources);
    } catch (error) {
      await root.dispose();
      throw error;
    }
    return root;
  }

  /** The minbase root in memory, with the machine's apt sources and the test root's settings. */
  private async prepare(sources: { text: string; mirror: string }): Promise<void> {
    await this.mountTmpfs();
    await this.bootstrap(sources.mirror);
    rmSync(join(this.dir, 'etc/apt/sources.list'), { force: true });
    writeFileSync(join(this.dir, 'etc/apt/sources.list.d/debian.sources'), sources.text);
    writeFileSync(join(this.dir, 'etc/dpkg/dpkg.cfg.d/mesos-cluster-test'), TEST_DPKG_CFG);
    // The recipe ends with `apt-get clean`: a hook keeps links to the fetched packages for the cache.
    mkdirSync(join(this.dir, KEPT_DEBS), { recursive: true });
    writeFileSync(
      join(this.dir, 'etc/apt/apt.conf.d/99mesos-cluster-test'),
      `Acquire::Languages "none";\nDPkg::Post-Invoke { "cp -nl /var/cache/apt/archives/*.deb /${KEPT_DEBS}/ 2>/dev/null || true"; };\n`,
    );
    await this.skipByteCompiling();
    this.restoreAptCache();
    await this.mountProc();
  }

  /**
   * `debootstrap --variant=minbase`, or the tarball of the last one when it is less than a day
   * old: the recipe's `apt-get update` brings the root up to date either way.
   */
  private async bootstrap(mirror: string): Promise<void> {
    const tarball = join(CACHE, 'bookworm-minbase.tar');
    if (existsSync(tarball) && Date.now() - statSync(tarball).mtimeMs < MINBASE_MAX_AGE_MS) {
      const unpacked = await runCommand('tar', ['-xpf', tarball, '-C', this.dir]);
      if (unpacked.code === 0) return;
    }
    mkdirSync(join(CACHE, 'debootstrap'), { recursive: true });
    const made = await runCommand('debootstrap', ['--variant=minbase', `--cache-dir=${join(CACHE, 'debootstrap')}`, 'bookworm', this.dir, mirror]);
    if (made.code !== 0) throw new Error(`debootstrap failed: ${made.stderr.slice(-2000)}`);
    const packed = await runCommand('tar', ['-cpf', `${tarball}.new`, '-C', this.dir, '.']);
    if (packed.code === 0) renameSync(`${tarball}.new`, tarball);
  }

  /** Runs a command inside the root. */
  chroot(args: readonly string[], env: Record<string, string> = {}): Promise<CommandResult> {
    return runCommand('chroot', [this.dir, ...args], { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8', ...env });
  }

  /** Runs a command of this machine against the root (e.g. `systemd-analyze --root`). */
  host(command: string, args: readonly string[]): Promise<CommandResult> {
    return runCommand(command, args);
  }

  /** Copies a file or folder of this machine into the root. */
  copyIn(from: string, to: string): void {
    cpSync(from, join(this.dir, to), { recursive: true });
  }

  path(inRoot: string): string {
    return join(this.dir, inRoot);
  }

  /**
   * Keeps the packages apt fetched for the next run, unmounts /proc and the root's memory, and
   * deletes what is left on disk in the background (never across a mount).
   */
  async dispose(): Promise<void> {
    this.saveAptCache();
    if (this.mounted) spawnSync('umount', ['-l', join(this.dir, 'proc')]);
    if (this.inMemory) spawnSync('umount', ['-l', this.dir]);
    spawn('rm', ['-rf', '--one-file-system', join(this.dir, '..')], { detached: true, stdio: 'ignore' }).unref();
  }

  /**
   * A tmpfs under the root: dpkg's writes of a gigabyte of small files cost a fraction of the
   * kernel time they cost on a disk's file system, and dispose frees them at once.
   */
  private async mountTmpfs(): Promise<void> {
    const mounted = await runCommand('mount', ['-t', 'tmpfs', '-o', `size=${ROOT_TMPFS_SIZE},mode=0755`, 'tmpfs', this.dir]);
    if (mounted.code !== 0) throw new Error(`mount tmpfs: ${mounted.stderr}`);
    this.inMemory = true;
  }

  /** python3-minimal's py3compile goes aside as py3compile.real when it is unpacked; a no-op takes its place. */
  private async skipByteCompiling(): Promise<void> {
    const diverted = await this.chroot(['dpkg-divert', '--local', '--rename', '--divert', '/usr/bin/py3compile.real', '--add', '/usr/bin/py3compile']);
    if (diverted.code !== 0) throw new Error(`dpkg-divert py3compile: ${diverted.stderr}`);
    writeFileSync(join(this.dir, 'usr/bin/py3compile'), NO_BYTE_COMPILE, { mode: 0o755 });
  }

  private async mountProc(): Promise<void> {
    const mounted = await runCommand('mount', ['-t', 'proc', 'proc', join(this.dir, 'proc')]);
    if (mounted.code !== 0) throw new Error(`mount proc: ${mounted.stderr}`);
    this.mounted = true;
  }

  private restoreAptCache(): void {
    const cache = join(CACHE, 'apt');
    if (existsSync(cache)) copyDebs(cache, join(this.dir, 'var/cache/apt/archives'));
  }

  private saveAptCache(): void {
    mkdirSync(join(CACHE, 'apt'), { recursive: true });
    copyDebs(join(this.dir, KEPT_DEBS), join(CACHE, 'apt'));
  }
}

function copyDebs(from: string, to: string): void {
  if (!existsSync(from)) return;
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from).filter((n) => n.endsWith('.deb'))) {
    if (existsSync(join(to, name))) continue;
    try {
      linkSync(join(from, name), join(to, name));
    } catch {
      cpSync(join(from, name), join(to, name));
    }
  }
}
