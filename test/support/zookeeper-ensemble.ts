/**
 * Test harness: a real ZooKeeper ensemble on one machine, built from the rendered cloud-config
 * of each ZooKeeper server. Server i listens on its own loopback address (127.0.k.x, the whole
 * of 127/8 is local on Linux), so every node keeps the standard ports 2181/2888/3888.
 *
 * Node layout under the work dir: `<name>/root/...` holds every write_files entry at
 * `<root><path>` (zoo.cfg mapped in place, see zookeeper-cloud-config.ts), `<name>/zoo.cfg.rendered`
 * the file as rendered, `<name>/server.log` the JVM's output.
 */
import { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join, posix } from 'node:path';
import { ClusterTopology, PORTS, QuorumServer } from '../../lib/model';
import { layOut, mapZooCfg, parseZooCfg, readWriteFiles, WrittenFile } from './zookeeper-cloud-config';
import { cliClassData, exitStatusOf, isRunning, jvmFlags, run, RunResult, spawnLogged, stopChild, ZookeeperRuntime } from './zookeeper-runtime';

export type Mode = 'leader' | 'follower' | 'observer' | 'standalone' | 'not serving' | 'not whitelisted' | 'down' | 'unknown';

export type Render = (topology: ClusterTopology, serverName: string) => string;

/** What the renderer wrote for one server, before any mapping. */
export interface RenderedZookeeper {
  readonly userData: string;
  readonly files: readonly WrittenFile[];
  readonly zooCfg: WrittenFile;
  readonly myid: WrittenFile;
  readonly properties: ReadonlyMap<string, string>;
}

export class ZookeeperNode {
  private child?: ChildProcess;
  private starts = 0;

  constructor(
    readonly server: QuorumServer,
    readonly id: number,
    readonly loopback: string,
    readonly dir: string,
    readonly root: string,
    readonly rendered: RenderedZookeeper,
    /** The mapped zoo.cfg the JVM is started on: `<root><zoo.cfg path>`. */
    readonly configFile: string,
    readonly rewrites: readonly string[],
    private readonly runtime: ZookeeperRuntime,
  ) {}

  get name(): string {
    return this.server.name;
  }

  get logFile(): string {
    return join(this.dir, 'server.log');
  }

  get running(): boolean {
    return isRunning(this.child);
  }

  /** `exited with code 1`, `killed by SIGKILL`, `running` or `never started`. */
  get exitStatus(): string {
    return exitStatusOf(this.child);
  }

  /** Starts QuorumPeerMain on the mapped zoo.cfg (again, after a kill: same files, same data). */
  start(): void {
    if (this.running) throw new Error(`${this.name} is already running`);
    this.starts += 1;
    writeFileSync(this.logFile, `\n===== start #${this.starts} at ${new Date().toISOString()} =====\n`, { flag: 'a' });
    const args = [
      ...jvmFlags('128m'),
      '-Dorg.slf4j.simpleLogger.showDateTime=true',
      '-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS',
      `-Dzookeeper.log.dir=${this.dir}`,
      '-cp',
      this.runtime.classpath,
      'org.apache.zookeeper.server.quorum.QuorumPeerMain',
      this.configFile,
    ];
    this.child = spawnLogged(this.runtime.java, args, this.logFile);
  }

  /** SIGKILLs the JVM (a crash, not a shutdown) and waits until it has exited. */
  async kill(): Promise<void> {
    if (this.child) await stopChild(this.child, 'SIGKILL');
  }

  /** A clean stop: SIGTERM, SIGKILL after a grace period. */
  async stop(): Promise<void> {
    if (this.child) await stopChild(this.child, 'SIGTERM', 2_000);
  }

  /** A four-letter word on the client port, e.g. `srvr`; '' when nothing answers. */
  fourLetterWord(word: string, timeoutMs = 2_000): Promise<string> {
    return fourLetterWord(this.loopback, PORTS.zookeeperClient, word, timeoutMs);
  }

  async mode(): Promise<Mode> {
    if (!this.running) return 'down';
    return modeOf(await this.fourLetterWord('srvr'));
  }
}

/** Parses `srvr`/`stat`/`mntr` output. */
export function modeOf(answer: string): Mode {
  if (answer === '') return 'down';
  if (/not currently serving requests/.test(answer)) return 'not serving';
  if (/is not in the whitelist/.test(answer)) return 'not whitelisted';
  const mode = /^(?:Mode:\s*|zk_server_state\s+)(\w+)/m.exec(answer)?.[1];
  if (mode === 'leader' || mode === 'follower' || mode === 'observer' || mode === 'standalone') return mode;
  return 'unknown';
}

export interface EnsembleOptions {
  readonly runtime: ZookeeperRuntime;
  readonly topology: ClusterTopology;
  readonly render: Render;
  /** A fresh directory the ensemble owns (removed by {@link LocalEnsemble.dispose}). */
  readonly workDir: string;
  /**
   * Start the CLI from a class-data archive (cliClassData): worth its one extra JVM run when the
   * caller runs more than a few CLI commands. @default false
   */
  readonly archiveCliClasses?: boolean;
}

export class LocalEnsemble {
  private cliRuns = 0;

  private constructor(
    readonly nodes: readonly ZookeeperNode[],
    readonly workDir: string,
    private readonly runtime: ZookeeperRuntime,
    private readonly archiveCliClasses: boolean,
  ) {}

  /** Renders every ZooKeeper server's user data, lays its files out and maps zoo.cfg. Starts nothing. */
  static async prepare(options: EnsembleOptions): Promise<LocalEnsemble> {
    const servers = options.topology.zookeeper.servers;
    const prefix = await pickLoopbackPrefix(servers.length);
    const addresses = new Map(servers.map((s, i) => [s.privateIp, `${prefix}${11 + i}`]));
    const byId = new Map(servers.map((s) => [zookeeperIdOf(s), addresses.get(s.privateIp) as string]));
    const nodes = servers.map((server) => {
      const id = zookeeperIdOf(server);
      const loopback = addresses.get(server.privateIp) as string;
      const dir = join(options.workDir, server.name);
      const root = join(dir, 'root');
      mkdirSync(root, { recursive: true });
      const userData = options.render(options.topology, server.name);
      writeFileSync(join(dir, 'user-data.yaml'), userData);
      const rendered = findZookeeperFiles(userData);
      layOut(root, rendered.files);
      writeFileSync(join(dir, 'zoo.cfg.rendered'), rendered.zooCfg.content);
      const mapped = mapZooCfg(rendered.zooCfg.content.toString('utf8'), { addresses, byId, loopback, root });
      const configFile = join(root, rendered.zooCfg.path);
      writeFileSync(configFile, mapped.text);
      const dataDir = parseZooCfg(mapped.text).get('dataDir');
      if (dataDir !== undefined) mkdirSync(dataDir, { recursive: true });
      return new ZookeeperNode(server, id, loopback, dir, root, rendered, configFile, mapped.rewrites, options.runtime);
    });
    return new LocalEnsemble(nodes, options.workDir, options.runtime, options.archiveCliClasses ?? false);
  }

  node(name: string): ZookeeperNode {
    const found = this.nodes.find((n) => n.name === name);
    if (!found) throw new Error(`no node ${name}`);
    return found;
  }

  get running(): ZookeeperNode[] {
    return this.nodes.filter((n) => n.running);
  }

  startAll(): void {
    for (const node of this.nodes) if (!node.running) node.start();
  }

  async modes(nodes: readonly ZookeeperNode[] = this.nodes): Promise<Map<ZookeeperNode, Mode>> {
    const modes = await Promise.all(nodes.map((n) => n.mode()));
    return new Map(nodes.map((n, i) => [n, modes[i]]));
  }

  /**
   * Polls `srvr` on `members` (default: every running node) until exactly one is the leader and
   * all the others follow it. Bounded by `timeoutMs`; throws with the last modes seen.
   */
  async waitForQuorum(options: { members?: readonly ZookeeperNode[]; timeoutMs?: number } = {}): Promise<{ leader: ZookeeperNode; followers: ZookeeperNode[]; elapsedMs: number }> {
    const members = options.members ?? this.running;
    const started = Date.now();
    const modes = await poll(`one leader and ${members.length - 1} followers among ${members.map((n) => n.name).join(', ')}`, options.timeoutMs ?? 120_000, 250, async () => {
      const exited = members.filter((n) => !n.running);
      if (exited.length > 0) throw new Error(`${exited.map((n) => `${n.name} ${n.exitStatus}`).join(', ')} while waiting for a quorum; see the server log`);
      const seen = await this.modes(members);
      const values = [...seen.values()];
      if (values.includes('not whitelisted')) throw new Error(`srvr is not in 4lw.commands.whitelist: ${describeModes(seen)}`);
      const leaders = values.filter((m) => m === 'leader').length;
      const followers = values.filter((m) => m === 'follower').length;
      return { done: leaders === 1 && followers === members.length - 1, value: seen, describe: describeModes(seen) };
    });
    const leader = members.find((n) => modes.get(n) === 'leader') as ZookeeperNode;
    return { leader, followers: members.filter((n) => n !== leader), elapsedMs: Date.now() - started };
  }

  /**
   * Runs the ZooKeeper CLI (org.apache.zookeeper.ZooKeeperMain, what zkCli.sh runs) against one
   * node: one command as arguments, or with `session`, several lines in one session on stdin
   * (e.g. `addauth digest user:password` before the command that needs it).
   */
  async cli(node: ZookeeperNode, command: readonly string[], timeoutMs = 120_000, session?: readonly string[]): Promise<RunResult> {
    const args = [
      ...jvmFlags('64m'),
      ...(this.archiveCliClasses ? await cliClassData(this.runtime) : []),
      '-Dorg.slf4j.simpleLogger.defaultLogLevel=error',
      `-Dzookeeper.log.dir=${this.workDir}`,
      '-cp',
      this.runtime.classpath,
      'org.apache.zookeeper.ZooKeeperMain',
      '-server',
      `${node.loopback}:${PORTS.zookeeperClient}`,
      ...command,
    ];
    const result = await run(this.runtime.java, args, timeoutMs, session && `${session.join('\n')}\nquit\n`);
    this.cliRuns += 1;
    // Passwords stay out of the log.
    const shown = session ? session.map((l) => l.replace(/^(addauth digest [^:]+:).*/, '$1***')).join('; ') : command.join(' ');
    writeFileSync(
      join(this.workDir, 'cli.log'),
      `\n===== #${this.cliRuns} ${node.name}: ${shown} → code ${result.code}${result.timedOut ? ' (timed out)' : ''}\n--- stdout\n${result.stdout}--- stderr\n${result.stderr}`,
      { flag: 'a' },
    );
    return result;
  }

  /** Creates `path` with `data` through `node` (or sets it, when a retried create already made it). */
  async write(node: ZookeeperNode, path: string, data: string): Promise<void> {
    await poll(`write ${path} through ${node.name}`, 120_000, 500, async () => {
      const created = await this.cli(node, ['create', path, data]);
      if (created.code === 0) return { done: true, value: undefined, describe: 'created' };
      if (/already exists/i.test(created.stderr + created.stdout)) {
        const set = await this.cli(node, ['set', path, data]);
        return { done: set.code === 0, value: undefined, describe: lastLines(set.stderr + set.stdout) };
      }
      return { done: false, value: undefined, describe: lastLines(created.stderr + created.stdout) };
    }, 5);
  }

  /**
   * `get path` through `node`: the data (the CLI prints it as its last stdout line), or an error.
   * The CLI's own connection notice (`WatchedEvent state:SyncConnected ...`) is printed from its
   * event thread and, on a loaded machine, can land after the data: it is never data, so it is dropped.
   */
  async read(node: ZookeeperNode, path: string): Promise<{ ok: true; data: string } | { ok: false; error: string }> {
    const result = await this.cli(node, ['get', path]);
    if (result.code !== 0) return { ok: false, error: lastLines(result.stderr + result.stdout) || `exit ${result.code}` };
    const lines = result.stdout.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('WatchedEvent '));
    return { ok: true, data: lines[lines.length - 1] ?? '' };
  }

  /**
   * Reads `path` through `node` until it returns `expected` (a follower may lag the leader by a
   * moment: ZooKeeper reads are not linearizable). Bounded; throws with the last answer.
   */
  async readUntil(node: ZookeeperNode, path: string, expected: string, timeoutMs = 120_000): Promise<string> {
    return poll(`${path} = ${JSON.stringify(expected)} through ${node.name}`, timeoutMs, 300, async () => {
      const got = await this.read(node, path);
      return { done: got.ok && got.data === expected, value: got.ok ? got.data : '', describe: got.ok ? JSON.stringify(got.data) : got.error };
    }, 10);
  }

  /** Rewrites, modes and the tail of every log: printed when a step fails. */
  async report(lines = 40): Promise<string> {
    const out: string[] = [`ZooKeeper ensemble work dir: ${this.workDir}`];
    const modes = await this.modes().catch(() => new Map<ZookeeperNode, Mode>());
    for (const node of this.nodes) {
      out.push(`--- ${node.name} (myid ${node.id}, ${node.server.privateIp} → ${node.loopback}, ${node.exitStatus}, ${modes.get(node) ?? '?'})`);
      out.push(`    rewrites: ${node.rewrites.join('; ') || 'none'}`);
      out.push(tail(node.logFile, lines));
    }
    out.push(`--- cli.log`, tail(join(this.workDir, 'cli.log'), lines));
    return out.join('\n');
  }

  /** Kills every node (process groups, SIGKILL fallback); removes the work dir unless `keep`. */
  async dispose(keep = false): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.stop()));
    if (!keep) rmSync(this.workDir, { recursive: true, force: true });
  }
}

function zookeeperIdOf(server: QuorumServer): number {
  if (server.zookeeperId === undefined) throw new Error(`${server.name} runs ZooKeeper but has no zookeeperId`);
  return server.zookeeperId;
}

/** The zoo.cfg and myid entries of a rendered cloud-config, with zoo.cfg parsed. */
export function findZookeeperFiles(userData: string): RenderedZookeeper {
  const files = readWriteFiles(userData);
  const paths = files.map((f) => f.path);
  const zooCfgs = files.filter((f) => posix.basename(f.path) === 'zoo.cfg');
  const myids = files.filter((f) => posix.basename(f.path) === 'myid');
  if (zooCfgs.length !== 1) throw new Error(`expected one write_files entry ending in zoo.cfg, found ${zooCfgs.length} among ${JSON.stringify(paths)}`);
  if (myids.length !== 1) throw new Error(`expected one write_files entry ending in /myid, found ${myids.length} among ${JSON.stringify(paths)}`);
  return { userData, files, zooCfg: zooCfgs[0], myid: myids[0], properties: parseZooCfg(zooCfgs[0].content.toString('utf8')) };
}

/** Sends a four-letter word and collects the answer until the server closes; '' on any error. */
export function fourLetterWord(host: string, port: number, word: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve) => {
    let answer = '';
    let settled = false;
    const socket = connect({ host, port });
    const finish = (value: string) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(value);
    };
    socket.setTimeout(timeoutMs, () => finish(answer));
    socket.on('connect', () => socket.end(word));
    socket.on('data', (chunk) => (answer += chunk.toString('utf8')));
    socket.on('error', () => finish(''));
    socket.on('close', () => finish(answer));
  });
}

/**
 * Polls `check` every `intervalMs` until it reports done; bounded both in time and in count.
 * Throws `timed out waiting for <what>` with the last state seen.
 */
export async function poll<T>(
  what: string,
  timeoutMs: number,
  intervalMs: number,
  check: () => Promise<{ done: boolean; value: T; describe: string }>,
  maxAttempts = Math.ceil(timeoutMs / intervalMs) + 1,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = '(not checked)';
  for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
    const result = await check();
    if (result.done) return result.value;
    last = result.describe;
    if (Date.now() >= deadline) break;
    await sleep(Math.min(intervalMs, Math.max(0, deadline - Date.now())));
  }
  throw new Error(`timed out waiting for ${what} (${timeoutMs} ms); last seen: ${last}`);
}

export function describeModes(modes: ReadonlyMap<ZookeeperNode, Mode>): string {
  return [...modes].map(([n, m]) => `${n.name}=${m}`).join(', ');
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * A loopback /24 (`127.0.k.`) where 127.0.k.11.. have ports 2181, 2888, 3888 and 8181 free, so a
 * run does not collide with another one on the same machine. Bounded tries.
 */
async function pickLoopbackPrefix(count: number): Promise<string> {
  const ports = [PORTS.zookeeperClient, PORTS.zookeeperPeer, PORTS.zookeeperElection];
  for (let attempt = 0; attempt < 8; attempt += 1) {
    const prefix = `127.0.${1 + Math.floor(Math.random() * 250)}.`;
    const hosts = Array.from({ length: count }, (_, i) => `${prefix}${11 + i}`);
    const free = await Promise.all(hosts.flatMap((host) => ports.map((port) => canListen(host, port))));
    if (free.every(Boolean)) return prefix;
  }
  throw new Error('no free loopback range with ports 2181/2888/3888/8181 after 8 tries');
}

function canListen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

function tail(file: string, lines: number): string {
  if (!existsSync(file)) return '    (no log)';
  // Our own polling (srvr, ruok, ...) and Java stack frames would fill the tail.
  const all = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => !/Processing \w{4} command from/.test(l) && !/^\s+at /.test(l));
  return all.slice(-lines).map((l) => `    ${l}`).join('\n');
}

function lastLines(text: string, n = 3): string {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '' && !/Exiting JVM with code/.test(l) && !/^\s+at /.test(l))
    .slice(-n)
    .join(' | ');
}
