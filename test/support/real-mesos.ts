/**
 * Test harness: a real Mesos 1.11.0 cluster on loopback, from the documents this project renders.
 *
 * - ZooKeeper: the rendered zookeeper role on the real ZooKeeper (zookeeper-ensemble.ts), 1 or 3
 *   servers on 127.0.k.11...
 * - Masters (127.0.k.21...) and agents (127.0.k.31...): each node's rendered cloud-config is laid
 *   out under its own root, its secret templates filled as fetch-secrets would (test secrets, see
 *   {@link testSecretValues}), and the binary started with the flags mesos-init-wrapper would pass
 *   (mesos-wrapper-args.ts) on those files. The rendered ports (5050, 5051) are kept.
 *
 * Every change to a rendered flag is in {@link masterFlags} or {@link agentFlags} with its reason,
 * and recorded per node (`rewrites`). Anything else the project renders reaches the real binary as
 * it is, so a flag or file the real Mesos rejects fails the test.
 *
 * API: probeRealMesos() (gate it with tool-gate.ts) → RealMesosCluster.start({ runtime, masters: 1 | 3,
 * agents: ['builds', ...], awaitAgents }) → cluster.leader(), cluster.waitForAgents(agents),
 * cluster.http(path, { principal, body }) (to the leader), cluster.loopbackOf(privateIp),
 * cluster.topology / .masters / .agents / .zookeeper (LocalEnsemble); per node: url, pid, root,
 * flags, rewrites, start(), kill(), stop(), log(), runScript('drain-agent' | 'await-ready', ...);
 * mesosHttp(url, path, options) and subscribe(url, { principal, roles, keepOpen }) for any
 * master or proxy; cluster.report() for a failure, cluster.dispose(keep). The build itself:
 * mesos-build.ts (probeMesosBuild, helpFlags). ACL outcomes: real-mesos-outcomes.ts. Processes run in their own process groups under `timeout` (ZooKeeper's
 * runtime helpers), so even an aborted test run leaves nothing behind for long.
 */
import { ChildProcess, execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { renderPoolUserData, renderServerUserData } from '../../lib/cloud-init';
import { MESOS, NODE, SECRETS } from '../../lib/cloud-init/layout';
import { placeholdersOf } from '../../lib/cloud-init/secret-files';
import {
  AgentPoolTopology,
  buildTopology,
  clusterSecrets,
  ClusterTopology,
  MASTER_CREDENTIALS_SECRET,
  masterCredentialsDocument,
  mesosPrincipals,
  PORTS,
  ZK_DIGEST_USERS,
} from '../../lib/model';
import { exampleCluster } from './aws-synth';
import { MesosBuild, probeMesosBuild } from './mesos-build';
import { GivenFlag, mesosWrapperFlags } from './mesos-wrapper-args';
import { testMesosSecret } from './reference-shaped-mesos';
import { layOut, readWriteFiles } from './zookeeper-cloud-config';
import { missingTool } from './tool-gate';
import { LocalEnsemble, poll } from './zookeeper-ensemble';
import { exitStatusOf, isRunning, probeZookeeperRuntime, spawnLogged, stopChild, ZookeeperRuntime } from './zookeeper-runtime';

export interface RealMesosRuntime {
  readonly build: MesosBuild;
  readonly zookeeper: ZookeeperRuntime;
}

/** The Mesos build and the ZooKeeper runtime, or why they cannot run here (for tool-gate.ts). */
export function probeRealMesos(): { ok: true; runtime: RealMesosRuntime } | { ok: false; reason: string } {
  const build = probeMesosBuild();
  if (!build.ok) return { ok: false, reason: `real Mesos is not runnable here: ${build.reason}` };
  // The agents' logrotate container logger (rendered --modules) runs `logrotate --help` at start.
  if (!['/usr/sbin/logrotate', '/sbin/logrotate'].some(existsSync) && missingTool('logrotate', 'logrotate') !== undefined) {
    return { ok: false, reason: 'logrotate is not installed (apt-get install logrotate, or npm run setup): the agents\' rendered container logger module needs it' };
  }
  const zookeeper = probeZookeeperRuntime();
  if (!zookeeper.ok) return { ok: false, reason: `ZooKeeper is not runnable here: ${zookeeper.reason}` };
  return { ok: true, runtime: { build: build.build, zookeeper: zookeeper.runtime } };
}

/** ZooKeeper digest password of user mesos in the test clusters (letters and digits, as npm run secrets makes them). */
export const TEST_ZK_MESOS_PASSWORD = 'testZkMesosPassword';

/**
 * The value of every cluster secret a master or agent template names: each principal's secret is
 * testMesosSecret(principal), the same the recorded masters use; the credentials document is built
 * by the project's own masterCredentialsDocument.
 */
export function testSecretValues(topology: ClusterTopology): Map<string, string> {
  const values = new Map<string, string>();
  for (const p of mesosPrincipals(topology)) values.set(p.secret, testMesosSecret(p.principal));
  values.set(ZK_DIGEST_USERS.mesos.secret, TEST_ZK_MESOS_PASSWORD);
  values.set(MASTER_CREDENTIALS_SECRET, masterCredentialsDocument(topology, (name) => secretValue(values, name)));
  // Any other token (e.g. the agents' executor JWT keys): letters and digits, as npm run secrets makes them.
  for (const secret of clusterSecrets(topology)) {
    if (secret.kind === 'token' && !values.has(secret.name)) values.set(secret.name, `test${secret.name.replace(/[^A-Za-z0-9]/g, '')}Value`);
  }
  return values;
}

function secretValue(values: ReadonlyMap<string, string>, name: string): string {
  const value = values.get(name);
  if (value === undefined) throw new Error(`no test value for cluster secret ${name}`);
  return value;
}

/** Resources an agent offers here (not rendered: the real agents auto-detect the instance's). */
export const TEST_AGENT_RESOURCES = 'cpus:2;mem:1024;disk:2048;ports:[31000-31099]';

export type MesosKind = 'master' | 'agent';

/** One Mesos master or agent process on its loopback address, started on its rendered files. */
export class MesosNode {
  private child?: ChildProcess;
  private starts = 0;

  constructor(
    readonly kind: MesosKind,
    /** The server's name (master-2) or `<pool>-agent-<n>`. */
    readonly name: string,
    readonly address: string,
    readonly port: number,
    /** The node's folder: `root/` (its laid-out files), `mesos.log` (stdout and stderr). */
    readonly dir: string,
    /** The flags it is started with, after the mapping in masterFlags/agentFlags. */
    readonly flags: readonly GivenFlag[],
    /** What was changed from the rendered flags, and why. */
    readonly rewrites: readonly string[],
    private readonly build: MesosBuild,
    /** The pool, for agents. */
    readonly pool?: string,
  ) {}

  get root(): string {
    return join(this.dir, 'root');
  }

  get url(): string {
    return `http://${this.address}:${this.port}`;
  }

  /** libprocess's id of the process, as /master/state names the leader: `master@127.0.k.21:5050`. */
  get pid(): string {
    return `${this.kind === 'master' ? 'master' : 'slave(1)'}@${this.address}:${this.port}`;
  }

  get logFile(): string {
    return join(this.dir, 'mesos.log');
  }

  get running(): boolean {
    return isRunning(this.child);
  }

  /** `exited with code 1`, `killed by SIGKILL`, `running` or `never started`. */
  get exitStatus(): string {
    return exitStatusOf(this.child);
  }

  /** `--name=value` (or `--name` for a switched-on bool), as mesos-init-wrapper passes them. */
  get args(): string[] {
    return this.flags.map((f) => (f.value === undefined ? `--${f.name}` : `--${f.name}=${f.value}`));
  }

  /** Starts the binary (again, after a kill: same files, same work dir). */
  start(): void {
    if (this.running) throw new Error(`${this.name} is already running`);
    this.starts += 1;
    writeFileSync(this.logFile, `\n===== start #${this.starts} at ${new Date().toISOString()} =====\n`, { flag: 'a' });
    const binary = this.kind === 'master' ? this.build.masterBinary : this.build.agentBinary;
    // /usr/sbin as under systemd: the logrotate module finds logrotate there.
    const path = `PATH=${process.env.PATH ?? '/usr/bin:/bin'}:/usr/sbin:/sbin`;
    this.child = spawnLogged('env', [`LD_LIBRARY_PATH=${this.build.env.LD_LIBRARY_PATH}`, path, binary, ...this.args], this.logFile);
  }

  /** SIGKILL to its process group (a crash), waiting until it has exited. */
  async kill(): Promise<void> {
    if (this.child) await stopChild(this.child, 'SIGKILL');
  }

  /** SIGTERM, SIGKILL after a grace period. */
  async stop(): Promise<void> {
    if (this.child) await stopChild(this.child, 'SIGTERM', 3_000);
  }

  /**
   * Runs one of the node's delivered helper scripts (drain-agent, await-ready, ...) on its laid-out
   * files (MESOS_CLUSTER_ROOT), with `env` added; never rejects.
   */
  runScript(script: string, args: readonly string[], env: Record<string, string> = {}, timeoutMs = 120_000): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(
        join(this.root, NODE.scriptDir, script),
        args,
        { env: { PATH: process.env.PATH, HOME: this.root, MESOS_CLUSTER_ROOT: this.root, ...env }, timeout: timeoutMs },
        (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
      );
    });
  }

  /** The log since the last start. */
  log(): string {
    if (!existsSync(this.logFile)) return '';
    const text = readFileSync(this.logFile, 'utf8');
    return text.slice(text.lastIndexOf('\n===== start #'));
  }
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The body parsed as JSON; throws with the body when it is not. */
  json(): any;
}

export interface HttpOptions {
  readonly method?: string;
  /** HTTP basic as this principal, with its test secret (or `secret`). */
  readonly principal?: string;
  readonly secret?: string;
  /** Sent as JSON (with Content-Type and Accept application/json); a string as a form (`a=b&c=d`). */
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  /** @default 10000 */
  readonly timeoutMs?: number;
}

/** One HTTP request to a Mesos process; never follows redirects (their Location is the point). */
export async function mesosHttp(url: string, path: string, options: HttpOptions = {}): Promise<HttpAnswer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.principal !== undefined) {
    const secret = options.secret ?? testMesosSecret(options.principal);
    headers.Authorization = `Basic ${Buffer.from(`${options.principal}:${secret}`).toString('base64')}`;
  }
  const form = typeof options.body === 'string';
  if (options.body !== undefined) {
    Object.assign(headers, form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : { 'Content-Type': 'application/json', Accept: 'application/json' });
  }
  const response = await fetch(`${url}${path}`, {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers,
    body: options.body === undefined ? undefined : form ? (options.body as string) : JSON.stringify(options.body),
    redirect: 'manual',
    signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    json: () => {
      try {
        return JSON.parse(text);
      } catch {
        throw new Error(`${path}: ${response.status} with a body that is not JSON: ${text.slice(0, 300)}`);
      }
    },
  };
}

export interface RealClusterOptions {
  readonly runtime: RealMesosRuntime;
  /** Masters, and as many ZooKeeper servers (quorum 1 of 1, or 2 of 3, as rendered). */
  readonly masters: 1 | 3;
  /**
   * One agent per entry, of that pool of the example cluster (clusters/ci-aws.yaml); the pool's
   * count becomes the number of its entries. @default []
   */
  readonly agents?: readonly string[];
  /** Start ZooKeeper and the masters (and agents) before returning. @default true */
  readonly start?: boolean;
  /** Wait until every agent is registered (false: only started). @default true */
  readonly awaitAgents?: boolean;
}

/** Bounds: a master elects itself within seconds of ZooKeeper, agents register a few seconds later. */
const LEADER_TIMEOUT_MS = 60_000;
const AGENT_TIMEOUT_MS = 60_000;

export class RealMesosCluster {
  private constructor(
    readonly topology: ClusterTopology,
    readonly zookeeper: LocalEnsemble,
    readonly masters: readonly MesosNode[],
    readonly agents: readonly MesosNode[],
    readonly workDir: string,
    /** Each rendered private address and the loopback address that stands for it. */
    readonly addresses: ReadonlyMap<string, string>,
  ) {}

  /** Lays out every node's files and (unless `start: false`) starts ZooKeeper, the masters and the agents. */
  static async start(options: RealClusterOptions): Promise<RealMesosCluster> {
    const { build, zookeeper: zkRuntime } = options.runtime;
    const count = options.masters;
    // Each started pool's count is the number of its agents here, so `verify` can count them.
    const started = options.agents ?? [];
    const pools = Object.fromEntries([...new Set(started)].map((name) => [name, { count: started.filter((a) => a === name).length }]));
    const topology = buildTopology(exampleCluster({ masters: { count }, zookeeper: { count }, pools }));
    const workDir = mkdtempSync(join(tmpdir(), `real-mesos-${count}-`));
    const ensemble = await LocalEnsemble.prepare({ runtime: zkRuntime, topology, render: renderServerUserData, workDir: join(workDir, 'zookeeper') });
    // The ensemble picked a free 127.0.k.0/24; masters and agents take other addresses in it.
    const prefix = ensemble.nodes[0].loopback.replace(/\d+$/, '');
    const addresses = new Map<string, string>(ensemble.nodes.map((n) => [n.server.privateIp, n.loopback]));
    topology.mesos.masters.forEach((m, i) => addresses.set(m.privateIp, `${prefix}${21 + i}`));
    const values = testSecretValues(topology);

    const masters = topology.mesos.masters.map((server) => {
      const address = addresses.get(server.privateIp) as string;
      const dir = join(workDir, server.name);
      layOutNode(dir, renderServerUserData(topology, server.name), values, addresses);
      const mapped = masterFlags(mesosWrapperFlags(join(dir, 'root'), 'master'), { root: join(dir, 'root'), address, addresses });
      return new MesosNode('master', server.name, address, PORTS.mesosMaster, dir, mapped.flags, mapped.rewrites, build);
    });
    const agents = (options.agents ?? []).map((poolName, i) => {
      const pool = poolOf(topology, poolName);
      const address = `${prefix}${31 + i}`;
      const dir = join(workDir, `${poolName}-agent-${i + 1}`);
      layOutNode(dir, renderPoolUserData(topology, poolName), values, addresses);
      // What agent-identity writes at boot.
      writeFileSync(join(dir, 'root', NODE.runtimeFacts), `CLUSTER_NODE_NAME=${poolName}-agent-${i + 1}\nCLUSTER_NODE_IP=${address}\n`);
      const mapped = agentFlags(mesosWrapperFlags(join(dir, 'root'), 'agent'), { root: join(dir, 'root'), dir, address, addresses, build });
      return new MesosNode('agent', `${poolName}-agent-${i + 1}`, address, PORTS.mesosAgent, dir, mapped.flags, mapped.rewrites, build, pool.name);
    });
    const busy = await occupied([...masters, ...agents]);
    if (busy.length > 0) throw new Error(`loopback ports already taken: ${busy.join(', ')}`);

    const cluster = new RealMesosCluster(topology, ensemble, masters, agents, workDir, addresses);
    if (options.start === false) return cluster;
    try {
      ensemble.startAll();
      await waitForZookeeper(ensemble);
      for (const master of masters) master.start();
      await cluster.leader();
      for (const agent of agents) agent.start();
      if (options.awaitAgents !== false) await cluster.waitForAgents();
    } catch (error) {
      console.error(await cluster.report());
      await cluster.dispose(true);
      throw error;
    }
    return cluster;
  }

  /** The loopback address that stands for a rendered private address. */
  loopbackOf(privateIp: string): string {
    const address = this.addresses.get(privateIp);
    if (address === undefined) throw new Error(`no loopback address for ${privateIp}`);
    return address;
  }

  /** The master whose /master/state says it leads (and has recovered: it answers 200). Polls. */
  async leader(timeoutMs = LEADER_TIMEOUT_MS): Promise<MesosNode> {
    return poll('a leading Mesos master', timeoutMs, 500, async () => {
      const seen: string[] = [];
      for (const master of this.masters) {
        if (!master.running) {
          seen.push(`${master.name} ${master.exitStatus}`);
          continue;
        }
        const state = await mesosHttp(master.url, '/master/state', { timeoutMs: 3_000 }).catch((e: Error) => e);
        if (state instanceof Error) {
          seen.push(`${master.name}: ${state.message}`);
          continue;
        }
        if (state.status === 200 && state.json().leader === master.pid) return { done: true, value: master, describe: master.name };
        seen.push(`${master.name}: ${state.status} leader ${state.status === 200 ? state.json().leader ?? 'none' : state.text.slice(0, 80)}`);
      }
      if (this.masters.every((m) => !m.running)) throw new Error(`every master has exited: ${seen.join('; ')}`);
      return { done: false, value: this.masters[0], describe: seen.join('; ') };
    });
  }

  /** Polls the leader's /master/slaves until each of `agents` is registered and active; their agent ids. */
  async waitForAgents(agents: readonly MesosNode[] = this.agents, timeoutMs = AGENT_TIMEOUT_MS): Promise<Map<MesosNode, string>> {
    if (agents.length === 0) return new Map();
    return poll(`${agents.map((a) => a.name).join(', ')} registered`, timeoutMs, 500, async () => {
      const exited = agents.filter((a) => !a.running);
      if (exited.length > 0) throw new Error(`${exited.map((a) => `${a.name} ${a.exitStatus}`).join(', ')} while waiting for registration: ${lastLines(exited[0].log())}`);
      const leader = await this.leader();
      const slaves: any[] = (await mesosHttp(leader.url, '/master/slaves')).json().slaves;
      const ids = new Map<MesosNode, string>();
      for (const agent of agents) {
        const entry = slaves.find((s) => s.hostname === agent.address && s.active === true);
        if (entry) ids.set(agent, entry.id);
      }
      return { done: ids.size === agents.length, value: ids, describe: `registered: ${slaves.map((s) => `${s.hostname} active=${s.active}`).join(', ') || 'none'}` };
    });
  }

  /** A request to the leading master. */
  async http(path: string, options: HttpOptions = {}): Promise<HttpAnswer> {
    return mesosHttp((await this.leader()).url, path, options);
  }

  /** Every node's exit status, rewrites and log tail: for a failed test. */
  async report(lines = 30): Promise<string> {
    const out = [`real Mesos work dir: ${this.workDir}`, await this.zookeeper.report(10)];
    for (const node of [...this.masters, ...this.agents]) {
      out.push(`--- ${node.kind} ${node.name} ${node.address}:${node.port} (${node.exitStatus})`);
      out.push(`    flags changed for the test: ${node.rewrites.map((r) => r.slice(0, r.indexOf(':') > 0 ? r.indexOf(':') : r.indexOf('='))).join(' ')}`);
      out.push(lastLines(node.log(), lines).replace(/^/gm, '    '));
    }
    return out.join('\n');
  }

  /** Stops agents, masters and ZooKeeper; removes the work dir unless `keep`. */
  async dispose(keep = false): Promise<void> {
    await Promise.all(this.agents.map((a) => a.stop()));
    await Promise.all(this.masters.map((m) => m.stop()));
    await this.zookeeper.dispose(keep);
    if (!keep) rmSync(this.workDir, { recursive: true, force: true });
  }
}

/** A quorum of 3, or one standalone server (a one-server zoo.cfg has no peers to elect). */
async function waitForZookeeper(ensemble: LocalEnsemble): Promise<void> {
  if (ensemble.nodes.length > 1) {
    await ensemble.waitForQuorum({ members: ensemble.nodes, timeoutMs: 45_000 });
    return;
  }
  await poll('a standalone ZooKeeper server', 45_000, 250, async () => {
    const mode = await ensemble.nodes[0].mode();
    return { done: mode === 'standalone', value: undefined, describe: mode };
  });
}

function poolOf(topology: ClusterTopology, name: string): AgentPoolTopology {
  const pool = topology.pools.find((p) => p.name === name);
  if (!pool) throw new Error(`no pool ${name} in the example cluster: ${topology.pools.map((p) => p.name).join(', ')}`);
  return pool;
}

/**
 * `dir/root`: the node's write_files, then its secret files as fetch-secrets writes them from the
 * manifest (placeholders filled with the test values; private addresses mapped to loopback, since
 * the masters' ZooKeeper URL is a secret file).
 */
function layOutNode(dir: string, userData: string, values: ReadonlyMap<string, string>, addresses: ReadonlyMap<string, string>): void {
  const root = join(dir, 'root');
  mkdirSync(root, { recursive: true });
  writeFileSync(join(dir, 'user-data.yaml'), userData);
  const files = readWriteFiles(userData);
  layOut(root, files);
  for (const file of files) if (file.permissions === '0755') chmodSync(join(root, file.path), 0o755);
  // The node's facts (its address, the masters') as they would be on it, mapped like its flags.
  const facts = join(root, NODE.facts);
  if (existsSync(facts)) writeFileSync(facts, mapAddresses(readFileSync(facts, 'utf8'), addresses));
  const manifest = join(root, SECRETS.manifest);
  if (!existsSync(manifest)) return;
  for (const line of readFileSync(manifest, 'utf8').split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const [template, target] = line.split(' ');
    let text = readFileSync(join(root, template), 'utf8');
    for (const name of placeholdersOf(text)) text = text.split(`{{${name}}}`).join(secretValue(values, name));
    const out = join(root, target);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, mapAddresses(text, addresses), { mode: 0o600 });
  }
}

function mapAddresses(text: string, addresses: ReadonlyMap<string, string>): string {
  let mapped = text;
  for (const [from, to] of addresses) mapped = mapped.split(from).join(to);
  return mapped;
}

interface FlagMapping {
  readonly root: string;
  readonly address: string;
  readonly addresses: ReadonlyMap<string, string>;
}

interface MappedFlags {
  readonly flags: GivenFlag[];
  readonly rewrites: string[];
}

/**
 * The mapping every node gets: private addresses → loopback, absolute paths (and file:// URLs)
 * → under the node's root. `override` replaces (or, with `undefined`, drops) named flags and
 * adds the ones not rendered; each with its reason.
 */
function mapFlags(given: readonly GivenFlag[], mapping: FlagMapping, override: Record<string, { value: string | undefined; why: string }>): MappedFlags {
  const rewrites: string[] = [];
  const flags: GivenFlag[] = [];
  for (const flag of given) {
    const rule = override[flag.name];
    if (rule !== undefined) {
      if (rule.value !== undefined) flags.push({ name: flag.name, value: rule.value, source: `test: ${rule.why}` });
      const shown = (v: string | undefined) => (v === undefined ? 'dropped' : JSON.stringify(v.length > 120 ? `${v.slice(0, 60)}...` : v));
      rewrites.push(`--${flag.name}: ${flag.value === undefined ? 'true' : shown(flag.value)} → ${shown(rule.value)} (${rule.why})`);
      continue;
    }
    let value = flag.value;
    if (value !== undefined) {
      value = mapAddresses(value, mapping.addresses);
      if (value.startsWith('file:///')) value = `file://${join(mapping.root, value.slice('file://'.length))}`;
      else if (value.startsWith('/')) value = join(mapping.root, value);
      if (value !== flag.value) rewrites.push(`--${flag.name}: ${flag.value} → ${value}`);
    }
    flags.push({ ...flag, value });
  }
  for (const [name, rule] of Object.entries(override)) {
    if (given.some((f) => f.name === name) || rule.value === undefined) continue;
    flags.push({ name, value: rule.value, source: `test: ${rule.why}` });
    rewrites.push(`--${name}=${rule.value} added (${rule.why})`);
  }
  for (const flag of flags) {
    if (flag.value !== undefined && flag.name !== 'modules') mkdirIfPath(flag.name, flag.value);
  }
  return { flags, rewrites };
}

/** work_dir and log_dir must exist for a non-root process (the package makes them). */
function mkdirIfPath(name: string, value: string): void {
  if (['work_dir', 'log_dir', 'docker_store_dir', 'runtime_dir', 'fetcher_cache_dir', 'host_path_volume_force_creation'].includes(name)) mkdirSync(value, { recursive: true });
}

/** A master's rendered flags as started here: only its address is changed. */
export function masterFlags(given: readonly GivenFlag[], mapping: FlagMapping): MappedFlags {
  const loopback = { value: mapping.address, why: 'the rendered private address does not exist here' };
  return mapFlags(given, mapping, { ip: loopback, hostname: loopback });
}

/**
 * An agent's rendered flags as started here. Overridden, because this machine has no root, no
 * cgroups and no Docker daemon (Mesos' README for the build names the same set):
 * - isolation → posix/cpu,posix/mem: the rendered cgroups/*, filesystem/linux and docker/runtime
 *   isolators need root and cgroups v1;
 * - containerizers → mesos: Docker pools render `docker,mesos`;
 * - image_providers dropped: the provisioner it turns on needs filesystem/linux;
 * - launcher=posix and systemd_enable_support=false added: the defaults (linux, true) need root
 *   and systemd;
 * - resources added: the real agents detect the instance's; here a small fixed offer;
 * - launcher_dir added: the image's package uses its compile-time /usr/libexec/mesos, this build
 *   is under usr/local; the logrotate module's library and launcher_dir move the same way;
 * - runtime_dir and fetcher_cache_dir added: as non-root they default to /tmp/mesos/..., shared
 *   by every agent on the machine;
 * - executor_environment_variables added: executors start with a clean environment, and this
 *   build's libmesos is not where the loader looks (the package's is in /usr/lib);
 * - ip and hostname added: agent-identity writes them at boot (not rendered).
 */
export function agentFlags(given: readonly GivenFlag[], mapping: FlagMapping & { dir: string; build: MesosBuild }): MappedFlags {
  const { build, dir, address } = mapping;
  const modules = given.find((f) => f.name === 'modules')?.value;
  const libraryName = MESOS.containerLoggerLibrary.slice(MESOS.containerLoggerLibrary.lastIndexOf('/') + 1);
  const noRoot = 'no root, cgroups or Docker daemon in the test';
  return mapFlags(given, mapping, {
    isolation: { value: 'posix/cpu,posix/mem', why: noRoot },
    containerizers: { value: 'mesos', why: noRoot },
    image_providers: { value: undefined, why: 'needs the filesystem/linux isolator (root)' },
    launcher: { value: 'posix', why: noRoot },
    systemd_enable_support: { value: 'false', why: 'no systemd for the test' },
    resources: { value: TEST_AGENT_RESOURCES, why: 'a small fixed offer instead of the instance\'s' },
    launcher_dir: { value: build.launcherDir, why: "this build's helpers are under usr/local" },
    runtime_dir: { value: join(dir, 'runtime'), why: 'the non-root default under /tmp is shared by every agent here' },
    fetcher_cache_dir: { value: join(dir, 'fetch'), why: 'the non-root default under /tmp is shared by every agent here' },
    executor_environment_variables: {
      value: JSON.stringify({ LD_LIBRARY_PATH: build.env.LD_LIBRARY_PATH, PATH: '/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin' }),
      why: "executors get a clean environment, and this build's libmesos is not on the loader's path",
    },
    ip: { value: address, why: 'written at boot by agent-identity' },
    hostname: { value: address, why: 'written at boot by agent-identity' },
    ...(modules !== undefined && {
      modules: {
        value: modules.split(MESOS.containerLoggerLibrary).join(join(build.prefix, 'lib', libraryName)).split(MESOS.launcherDir).join(build.launcherDir),
        why: "this build's module library and helpers are under usr/local",
      },
    }),
  });
}

/** `host:port` of the nodes whose address and port something else already listens on. */
async function occupied(nodes: readonly MesosNode[]): Promise<string[]> {
  const free = await Promise.all(nodes.map((n) => canListen(n.address, n.port)));
  return nodes.filter((_, i) => !free[i]).map((n) => `${n.address}:${n.port}`);
}

function canListen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

function lastLines(text: string, lines = 8): string {
  return text.split('\n').filter((l) => l.trim() !== '').slice(-lines).join('\n');
}

export interface Subscription {
  readonly status: number;
  /** `Mesos-Stream-Id` of a subscription the master accepted. */
  readonly streamId?: string;
  /** `Location` of a redirect (a master that does not lead). */
  readonly location?: string;
  /** The first RecordIO event of the stream (SUBSCRIBED or ERROR), or the body of a refusal. */
  readonly event?: any;
  readonly body: string;
  /** Closes the connection (with `keepOpen`; otherwise it is closed already). */
  close(): void;
  /** Resolves when the response has ended or broken off (with `keepOpen`: the master or a proxy closed it). */
  readonly ended: Promise<void>;
}

/**
 * A v1 scheduler SUBSCRIBE to `url` (a master or a proxy), as `principal` with HTTP basic (none
 * when undefined) for `roles` (FrameworkInfo's principal unset unless `frameworkInfo` claims one): reads the response until its first event, then closes it (the
 * master then removes the framework: its failover timeout is 0), unless `keepOpen`. Bounded by
 * `timeoutMs`.
 */
export function subscribe(
  url: string,
  options: {
    principal?: string;
    secret?: string;
    roles: readonly string[];
    name?: string;
    /** Further FrameworkInfo fields, e.g. a `principal` to claim or a `webui_url`. */
    frameworkInfo?: Readonly<Record<string, unknown>>;
    timeoutMs?: number;
    keepOpen?: boolean;
  },
): Promise<Subscription> {
  const { hostname, port } = new URL(url);
  const frameworkInfo = {
    user: 'nobody',
    name: options.name ?? `real-mesos-test-${options.principal ?? 'anonymous'}`,
    roles: options.roles,
    capabilities: [{ type: 'MULTI_ROLE' }],
    ...options.frameworkInfo,
  };
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' };
  if (options.principal !== undefined) {
    headers.Authorization = `Basic ${Buffer.from(`${options.principal}:${options.secret ?? testMesosSecret(options.principal)}`).toString('base64')}`;
  }
  let markEnded: () => void = () => undefined;
  const ended = new Promise<void>((resolve) => (markEnded = resolve));
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port: Number(port), method: 'POST', path: '/api/v1/scheduler', headers, timeout: options.timeoutMs ?? 15_000 }, (response) => {
      response.on('close', () => markEnded());
      let body = '';
      let settled = false;
      const done = () => {
        if (settled) return;
        settled = true;
        if (!options.keepOpen) req.destroy();
        else req.setTimeout(0);
        const close = () => req.destroy();
        const streamId = response.headers['mesos-stream-id'];
        const location = response.headers.location;
        resolve({ status: response.statusCode ?? 0, streamId: typeof streamId === 'string' ? streamId : undefined, location, event: firstRecord(body), body, close, ended });
      };
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
        if (response.statusCode === 200 && firstRecord(body) !== undefined) done();
      });
      response.on('end', done);
      response.on('close', done);
    });
    req.on('timeout', () => req.destroy(new Error(`SUBSCRIBE to ${url} as ${options.principal}: no event within the timeout`)));
    req.on('error', (error) => {
      markEnded();
      reject(error);
    });
    req.end(JSON.stringify({ type: 'SUBSCRIBE', subscribe: { framework_info: frameworkInfo } }));
  });
}

/** The first record of a RecordIO stream (`<length>\n<json>`), or of a plain JSON body; undefined until complete. */
function firstRecord(body: string): any {
  const match = /^(\d+)\n/.exec(body);
  if (match) {
    const bytes = Buffer.from(body.slice(match[0].length), 'utf8');
    const length = Number(match[1]);
    return bytes.length >= length ? JSON.parse(bytes.subarray(0, length).toString('utf8')) : undefined;
  }
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}
