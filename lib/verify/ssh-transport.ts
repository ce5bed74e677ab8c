import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpAnswer, HttpCredentials, Transport } from './transport';

export interface SshTransportOptions {
  /** The bastion's public address (output `bastion_address`). */
  readonly bastion: string;
  /** Login user on the bastion and the nodes. @default "admin" (Debian's cloud images) */
  readonly user?: string;
  /** Private key of the cluster's key pair. @default - ssh's own defaults and agent */
  readonly identityFile?: string;
  /** Per probe, on the node. @default 5 */
  readonly timeoutSeconds?: number;
  /** Runs `ssh` with these arguments; tests swap it. @default - the real ssh */
  readonly runSsh?: SshRunner;
}

/** Runs ssh with `args`, writing `stdin` (e.g. a curl config with credentials) to its standard input. */
export type SshRunner = (args: readonly string[], stdin?: string) => Promise<{ code: number; stdout: string }>;

/** Quotes a word for the remote POSIX shell. */
const quote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

/**
 * The probes as shell commands run on the node itself: the security groups let the bastion
 * reach nodes on SSH only, and each service answers on its own node.
 */
export function remoteFourLetterWord(host: string, port: number, word: string, timeoutSeconds: number): string {
  const script = `exec 3<>/dev/tcp/${host}/${port} && printf %s ${word} >&3 && timeout ${timeoutSeconds} cat <&3`;
  return `bash -c ${quote(script)} 2>/dev/null || true`;
}

/**
 * Prints the body, a newline and the status code; exits non-zero when nothing answers. With
 * `withCredentials`, curl reads its config (the basic credentials) from standard input (-K -),
 * which ssh forwards: the secret is on no command line, here or on the node.
 */
export function remoteHttpGet(host: string, port: number, path: string, timeoutSeconds: number, withCredentials = false): string {
  const config = withCredentials ? ' -K -' : '';
  return `curl -sS --max-time ${timeoutSeconds}${config} -o - -w '\\n%{http_code}' ${quote(`http://${host}:${port}${path}`)}`;
}

/** A curl config line with the credentials (a double-quoted curl config string). */
export function curlCredentialsConfig({ user, password }: HttpCredentials): string {
  const escape = (text: string) => text.replace(/[\\"]/g, (c) => `\\${c}`);
  return `user = "${escape(`${user}:${password}`)}"\n`;
}

/** Splits remoteHttpGet's output into body and status. */
export function parseHttpOutput(stdout: string): HttpAnswer | undefined {
  const cut = stdout.lastIndexOf('\n');
  const status = Number(stdout.slice(cut + 1).trim());
  if (cut < 0 || !Number.isInteger(status) || status === 0) return undefined;
  return { status, body: stdout.slice(0, cut) };
}

/**
 * Every probe over `ssh -J <user>@<bastion> <user>@<node>`, with the cluster's key. One master
 * connection per node is kept open for the run (ControlMaster), so a check costs one handshake.
 */
export class SshTransport implements Transport {
  private readonly controlDir = mkdtempSync(join(tmpdir(), 'verify-ssh-'));
  private readonly runSsh: SshRunner;
  private readonly timeoutSeconds: number;
  private readonly user: string;

  constructor(private readonly options: SshTransportOptions) {
    this.user = options.user ?? 'admin';
    this.timeoutSeconds = options.timeoutSeconds ?? 5;
    this.runSsh = options.runSsh ?? runSsh;
  }

  /** The ssh arguments that run `command` on `host` through the bastion. */
  sshArgs(host: string, command: string): string[] {
    const identity = this.options.identityFile ? ['-i', this.options.identityFile] : [];
    return [
      '-o', 'BatchMode=yes',
      '-o', 'ConnectTimeout=10',
      '-o', 'StrictHostKeyChecking=accept-new',
      '-o', 'ControlMaster=auto',
      '-o', `ControlPath=${this.controlDir}/%C`,
      '-o', 'ControlPersist=15',
      ...identity,
      '-J', `${this.user}@${this.options.bastion}`,
      `${this.user}@${host}`,
      '--',
      command,
    ];
  }

  async fourLetterWord(host: string, port: number, word: string): Promise<string> {
    const { stdout } = await this.runSsh(this.sshArgs(host, remoteFourLetterWord(host, port, word, this.timeoutSeconds)));
    return stdout;
  }

  async httpGet(host: string, port: number, path: string, credentials?: HttpCredentials): Promise<HttpAnswer | undefined> {
    const command = remoteHttpGet(host, port, path, this.timeoutSeconds, credentials !== undefined);
    const { code, stdout } = await this.runSsh(this.sshArgs(host, command), credentials && curlCredentialsConfig(credentials));
    return code === 0 ? parseHttpOutput(stdout) : undefined;
  }

  async close(): Promise<void> {
    rmSync(this.controlDir, { recursive: true, force: true });
  }
}

function runSsh(args: readonly string[], stdin?: string): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    const child = execFile('ssh', [...args], { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 255) : 0, stdout });
    });
    // Without credentials stdin is closed at once, so nothing on the node waits for input.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(stdin ?? '');
  });
}
