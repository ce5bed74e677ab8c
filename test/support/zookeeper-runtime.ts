/**
 * Test harness: the Debian ZooKeeper install (package `zookeeper`, Java 17) and the child
 * processes started from it. Every process is spawned in its own process group and tracked,
 * so a test can always SIGKILL everything it started, even on failure or an early exit.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ZookeeperRuntime {
  readonly java: string;
  /** `-cp` value: zookeeper.jar (whose manifest Class-Path names its Debian deps) and friends. */
  readonly classpath: string;
  readonly version: string;
}

export type RuntimeProbe = { readonly ok: true; readonly runtime: ZookeeperRuntime } | { readonly ok: false; readonly reason: string };

const JAVA = process.env.JAVA ?? '/usr/bin/java';
const SHARE = '/usr/share/java';

/**
 * zookeeper.jar and zookeeper-jute.jar; the rest (netty, jetty, slf4j-api, commons-*,
 * metrics, snappy) comes from zookeeper.jar's manifest Class-Path as Debian ships it.
 * slf4j-simple, when installed, gives the servers readable logs on stderr (otherwise slf4j
 * falls back to a no-op logger and a failing test has nothing to show).
 */
const JARS = ['zookeeper.jar', 'zookeeper-jute.jar'];
const OPTIONAL_JARS = ['slf4j-simple.jar'];

/** Finds java and the ZooKeeper jars and checks that they run together (about 0.3 s). */
export function probeZookeeperRuntime(): RuntimeProbe {
  if (!existsSync(JAVA)) return { ok: false, reason: `no java at ${JAVA} (apt-get install default-jre-headless)` };
  const missing = JARS.filter((jar) => !existsSync(`${SHARE}/${jar}`));
  if (missing.length > 0) return { ok: false, reason: `no ${missing.join(', ')} in ${SHARE} (apt-get install zookeeper)` };
  const jars = [...JARS, ...OPTIONAL_JARS.filter((jar) => existsSync(`${SHARE}/${jar}`))];
  const classpath = jars.map((jar) => `${SHARE}/${jar}`).join(':');
  const probe = spawnSync(JAVA, ['-cp', classpath, 'org.apache.zookeeper.version.VersionInfoMain'], { encoding: 'utf8', timeout: 30_000 });
  const version = (probe.stdout ?? '').trim();
  if (probe.status !== 0 || !/ZooKeeper/.test(version)) {
    return { ok: false, reason: `ZooKeeper does not run with ${JAVA}: ${probe.error?.message ?? (probe.stderr || version).trim().slice(0, 500)}` };
  }
  return { ok: true, runtime: { java: JAVA, classpath, version } };
}

/** JVM flags for every server and CLI: small heap (five servers must fit), quick start-up. */
export function jvmFlags(heap: string): string[] {
  return [`-Xmx${heap}`, '-Xms16m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Xss512k', '-Djava.net.preferIPv4Stack=true'];
}

let cliArchive: Promise<string[]> | undefined;

/**
 * Flags that map an archive of the ZooKeeper CLI's classes (JDK application class-data sharing),
 * so each later CLI start reads them pre-parsed: about a fifth less CPU a start, and a file runs
 * dozens. Written once per test process, by a CLI run against a closed loopback port (it loads
 * the client's classes and exits); [] when the JVM cannot write it. CDS messages are off, so a
 * stale archive never adds a line to the CLI's output.
 */
export function cliClassData(runtime: ZookeeperRuntime): Promise<string[]> {
  cliArchive ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zookeeper-cli-cds-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    const archive = join(dir, 'cli.jsa');
    const quiet = '-Xlog:cds*=off';
    await run(runtime.java, [...jvmFlags('64m'), `-XX:ArchiveClassesAtExit=${archive}`, quiet, '-cp', runtime.classpath, 'org.apache.zookeeper.ZooKeeperMain', '-server', '127.0.0.1:1', 'ls', '/'], 60_000);
    return existsSync(archive) ? [`-XX:SharedArchiveFile=${archive}`, quiet] : [];
  })();
  return cliArchive;
}

const live = new Set<ChildProcess>();

/** SIGKILLs the process group of every child still running (last resort when node exits). */
export function killAllChildren(): void {
  for (const child of live) killGroup(child, 'SIGKILL');
}
process.once('exit', killAllChildren);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAllChildren();
    process.kill(process.pid, signal);
  });
}

/**
 * Servers run under coreutils `timeout`, so even a JVM whose test process was SIGKILLed (and so
 * could not clean up) stops by itself. Far above the test's own bounds.
 */
const TIMEOUT = '/usr/bin/timeout';
export const MAX_SERVER_LIFETIME_S = 600;

/**
 * Spawns `command` as the leader of a new process group, under `timeout` (see above) when the
 * machine has it; stdout and stderr go to `logFile` (appended).
 */
export function spawnLogged(command: string, args: readonly string[], logFile: string): ChildProcess {
  const fd = openSync(logFile, 'a');
  const [file, argv] = existsSync(TIMEOUT) ? [TIMEOUT, ['-s', 'KILL', `${MAX_SERVER_LIFETIME_S}s`, command, ...args]] : [command, [...args]];
  try {
    const child = spawn(file, argv, { detached: true, stdio: ['ignore', fd, fd] });
    track(child);
    return child;
  } finally {
    closeSync(fd);
  }
}

export interface RunResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

/** Runs a command to completion, killing its process group after `timeoutMs`; `input` goes to its stdin. */
export function run(command: string, args: readonly string[], timeoutMs: number, input?: string): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { detached: true, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    child.stdin?.end(input);
    track(child);
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child, 'SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      stderr += `\n${error.message}`;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}

/** Signals the child's whole process group; ignores a group that is already gone. */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

/**
 * Stops a child: `signal` to its group, then SIGKILL if it has not exited after `graceMs`.
 * Resolves once it has exited (or after a bounded wait past the SIGKILL).
 */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 3_000): Promise<void> {
  if (!isRunning(child)) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  killGroup(child, signal);
  if (await within(exited, graceMs)) return;
  killGroup(child, 'SIGKILL');
  await within(exited, 5_000);
}

export function isRunning(child: ChildProcess | undefined): child is ChildProcess {
  return child !== undefined && child.exitCode === null && child.signalCode === null;
}

/** `exited with code 1`, `killed by SIGKILL`, `running` or `never started`. */
export function exitStatusOf(child: ChildProcess | undefined): string {
  if (!child) return 'never started';
  if (child.signalCode !== null) return `killed by ${child.signalCode}`;
  if (child.exitCode !== null) return `exited with code ${child.exitCode}`;
  return 'running';
}

function track(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
  child.once('error', () => live.delete(child));
}

async function within(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
