import { ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { CommandResult } from './debian-root';
import { poll } from './zookeeper-ensemble';

const run = promisify(execFile);
const BOOT_SCRIPT = join(__dirname, 'systemd-container.sh');

/**
 * A Debian root booted with its own systemd as PID 1 in new pid, mount, uts, ipc, network and
 * cgroup namespaces (test/support/systemd-container.sh), the way a container manager boots one.
 * Commands run inside it through nsenter; the console (systemd's log) is kept for messages.
 */
export class BootedRoot {
  private console = '';

  private constructor(
    readonly dir: string,
    private readonly unshare: ChildProcess,
    /** systemd's pid as this machine sees it. */
    readonly pid: number,
  ) {
    unshare.stdout?.on('data', (chunk: Buffer) => (this.console += chunk.toString()));
    unshare.stderr?.on('data', (chunk: Buffer) => (this.console += chunk.toString()));
  }

  /** Boots `dir`; `addresses` go on the new network namespace's loopback device. */
  static async boot(dir: string, addresses: readonly string[]): Promise<BootedRoot> {
    const unshare = spawn('unshare', ['--pid', '--fork', '--mount', '--uts', '--ipc', '--net', '--cgroup', '--kill-child', '--', 'bash', BOOT_SCRIPT, dir, ...addresses], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const pid = await childOf(unshare.pid!, 20_000);
    const booted = new BootedRoot(dir, unshare, pid);
    // PID 1 is systemd once bash has replaced itself with the root's /lib/systemd/systemd.
    await poll('systemd as PID 1', 20_000, 100, async () => {
      const comm = existsSync(`/proc/${pid}/comm`) ? readFileSync(`/proc/${pid}/comm`, 'utf8').trim() : 'gone';
      return { done: comm === 'systemd', value: undefined, describe: `${comm}; console: ${booted.console.slice(-2000)}` };
    });
    return booted;
  }

  /** Runs a command inside the booted root (all its namespaces, its root and /). */
  async exec(args: readonly string[], timeoutMs = 120_000): Promise<CommandResult> {
    const nsenter = ['--target', String(this.pid), '--mount', '--uts', '--ipc', '--net', '--pid', '--cgroup', '--root', '--wd', '--', 'env', '-i', 'PATH=/usr/sbin:/usr/bin:/sbin:/bin', 'LANG=C.UTF-8', ...args];
    try {
      const { stdout, stderr } = await run('nsenter', nsenter, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof failed.code === 'number' ? failed.code : -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? String(error) };
    }
  }

  /** Starts a process of this machine in the booted root's network namespace only. */
  spawnInNetwork(command: string, args: readonly string[]): ChildProcess {
    return spawn('nsenter', [`--net=/proc/${this.pid}/ns/net`, '--', command, ...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  }

  /** The last part of systemd's console log, for failure messages. */
  consoleTail(chars = 3000): string {
    return this.console.slice(-chars);
  }

  /** Stops systemd (SIGRTMIN+4, 38 on Linux, is its "poweroff"), then the namespaces' last process. */
  async shutdown(): Promise<void> {
    if (this.unshare.exitCode !== null) return;
    const exited = new Promise((resolve) => this.unshare.once('exit', resolve));
    try {
      process.kill(this.pid, 38);
    } catch {
      // already gone
    }
    const timer = setTimeout(() => this.unshare.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  }
}

/** The pid of the one child that `unshare --fork` starts. */
function childOf(parent: number, timeoutMs: number): Promise<number> {
  return poll(`the process unshare (${parent}) starts`, timeoutMs, 100, async () => {
    const file = `/proc/${parent}/task/${parent}/children`;
    const child = existsSync(file) ? Number(readFileSync(file, 'utf8').trim().split(/\s+/)[0] || 0) : 0;
    return { done: child > 0, value: child, describe: 'none yet' };
  });
}
