import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { CloudConfig } from './cloud-init-fixtures';
import { BASE_IMAGE_FILES, COMMAND_STUBS, STAND_IN_FUNCTIONS } from './node-stubs';

const run = promisify(execFile);

/**
 * Plays a node's first boot without privileges: write_files laid under a scratch root, then
 * configure-node run with MESOS_CLUSTER_ROOT pointing at it and stand-ins for the commands
 * that need root (systemctl, mount, mkfs.ext4, ...), which record what they were asked. The
 * stand-ins reach the boot's bash scripts as exported functions, and lie on PATH as scripts for
 * any other caller (test/support/node-stubs.ts).
 */
export class NodeSandbox {
  readonly root: string;
  readonly stubs: string;
  readonly state: string;
  /** An OpenStack config drive's files (agent-identity reads meta_data.json there on OpenStack). */
  readonly configDrive: string;
  private readonly extraEnv: Readonly<Record<string, string>>;
  /** The stand-ins exported to bash as functions: those no test has replaced or removed. */
  private readonly functions = new Map(Object.entries(STAND_IN_FUNCTIONS));

  /** `env`: more variables for the steps, e.g. where an OpenStack node's config drive is. */
  constructor(options: { wrapperVariant?: 'agent' | 'slave'; formattedVolume?: boolean; env?: Record<string, string> } = {}) {
    const base = mkdtempSync(join(tmpdir(), 'mesos-cluster-node-'));
    this.root = join(base, 'root');
    this.stubs = join(base, 'bin');
    this.state = join(base, 'state');
    this.configDrive = join(base, 'config-drive');
    // The same agent the metadata service stand-in names on AWS (node-stubs.ts).
    this.put(join(this.configDrive, 'openstack', 'latest', 'meta_data.json'), JSON.stringify({ meta: { agent: 'jenkins-masters-1' } }), 0o644);
    this.extraEnv = options.env ?? {};
    for (const dir of [this.root, this.stubs, this.state]) mkdirSync(dir, { recursive: true });
    for (const [name, script] of Object.entries(COMMAND_STUBS)) this.put(join(this.stubs, name), script, 0o755);
    for (const [path, [content, mode]] of Object.entries(BASE_IMAGE_FILES(options.wrapperVariant ?? 'agent'))) {
      this.put(join(this.root, path), content, mode);
    }
    if (options.formattedVolume) writeFileSync(join(this.state, 'formatted'), '');
  }

  /** Puts `script` in place of the stand-in `name` (its function included). */
  replaceStandIn(name: string, script: string): void {
    this.functions.delete(name);
    this.put(join(this.stubs, name), script, 0o755);
  }

  /** Drops the stand-in `name`, so that the boot runs the command found further along PATH. */
  removeStandIn(name: string): void {
    this.functions.delete(name);
    rmSync(join(this.stubs, name));
  }

  /** Lays every write_files entry under the root, as cloud-init's write_files module would. */
  writeFiles(config: CloudConfig): void {
    for (const file of config.write_files) this.put(join(this.root, file.path), file.content, parseInt(file.permissions, 8));
  }

  /** Runs the document's runcmd (configure-node) against the root; resolves with its exit code. */
  async configure(config: CloudConfig): Promise<{ code: number; stderr: string }> {
    const [command] = config.runcmd;
    if (typeof command !== 'string') throw new Error('expected one runcmd entry, the configure-node path');
    const zookeeper = await fakeZookeeper();
    try {
      // A boot takes a second or two of CPU; the bound is generous because test processes share the cores.
      await run(join(this.root, command), [], { env: this.env(zookeeper.port), timeout: 120_000 });
      return { code: 0, stderr: '' };
    } catch (error) {
      const failed = error as { code?: number; stderr?: string };
      return { code: typeof failed.code === 'number' ? failed.code : -1, stderr: failed.stderr ?? String(error) };
    } finally {
      zookeeper.close();
    }
  }

  /** First boot: write_files, then runcmd. */
  async boot(config: CloudConfig): Promise<{ code: number; stderr: string }> {
    this.writeFiles(config);
    return this.configure(config);
  }

  /** Every command line the stand-ins were given, one per line. */
  calls(): string[] {
    const log = join(this.state, 'calls.log');
    return existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
  }

  clearCalls(): void {
    writeFileSync(join(this.state, 'calls.log'), '');
  }

  /** path -> mode and content hash of every file and symlink under the root. */
  snapshot(): Record<string, string> {
    const tree: Record<string, string> = {};
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir)) {
        const path = join(dir, entry);
        const stat = lstatSync(path);
        const key = `/${relative(this.root, path)}`;
        if (stat.isDirectory()) {
          tree[`${key}/`] = (stat.mode & 0o7777).toString(8);
          walk(path);
        } else {
          const hash = createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 16);
          tree[key] = `${(stat.mode & 0o7777).toString(8)} ${hash}`;
        }
      }
    };
    walk(this.root);
    return tree;
  }

  read(path: string): string {
    return readFileSync(join(this.root, path), 'utf8');
  }

  private env(zookeeperPort: number): NodeJS.ProcessEnv {
    return {
      PATH: `${this.stubs}:${process.env.PATH ?? '/usr/bin:/bin'}`,
      MESOS_CLUSTER_ROOT: this.root,
      MESOS_CLUSTER_READY_TIMEOUT: '10',
      MESOS_CLUSTER_READY_INTERVAL: '0.2',
      MESOS_CLUSTER_VOLUME_WAIT: '0',
      MESOS_CLUSTER_PROBE_ZK_PORT: String(zookeeperPort),
      MESOS_CLUSTER_CONFIG_DRIVE: this.configDrive,
      STUB_STATE: this.state,
      // Bash's form for an exported function: bash scripts call it, with no process started.
      ...Object.fromEntries([...this.functions].map(([name, definition]) => [`BASH_FUNC_${name}%%`, definition])),
      ...this.extraEnv,
    };
  }

  private put(path: string, content: string, mode: number): void {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    chmodSync(path, mode);
  }
}

/** A stand-in ZooKeeper that answers `srvr` as a follower of a healthy ensemble does. */
async function fakeZookeeper(): Promise<{ port: number; close: () => void }> {
  const server = createServer((socket) => {
    socket.once('data', () => socket.end('Zookeeper version: 3.8.0\nMode: follower\nNode count: 5\n'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, close: () => server.close() };
}
