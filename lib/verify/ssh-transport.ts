import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_ANSWER_BYTES } from './direct-transport';
import { HttpAnswer, HttpCredentials, HttpsTrust, Transport } from './transport';

export interface SshTransportOptions {
  /** The bastion's public address (output `bastion_address`). */
  readonly bastion: string;
  /** Login user on the bastion and the nodes. @default "admin" (Debian's cloud images) */
  readonly user?: string;
  /** Private key of the cluster's key pair. @default - ssh's own defaults and agent */
  readonly identityFile?: string;
  /** Per probe, on the node. @default 5 */
  readonly timeoutSeconds?: number;
  /**
   * An answer longer than this is no answer, as on the direct path; the node itself stops
   * sending just past it, so a huge body never crosses the bastion. @default MAX_ANSWER_BYTES
   */
  readonly maxAnswerBytes?: number;
  /** Where the one line about an answer cut at the cap goes. @default - standard error */
  readonly notice?: (line: string) => void;
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
export function remoteFourLetterWord(host: string, port: number, word: string, timeoutSeconds: number, maxBytes = MAX_ANSWER_BYTES): string {
  // One byte past the cap is enough to tell a huge answer from one that fits.
  const script = `exec 3<>/dev/tcp/${host}/${port} && printf %s ${word} >&3 && timeout ${timeoutSeconds} cat <&3 | head -c ${maxBytes + 1}`;
  return `bash -c ${quote(script)} 2>/dev/null || true`;
}

/** What remoteHttpGet adds after the body: a newline and a three-digit status code. */
const STATUS_TRAILER_BYTES = 4;

/**
 * Prints the body, a newline and the status code; exits non-zero when nothing answers. With
 * `withCredentials`, curl reads its config (the basic credentials) from standard input (-K -),
 * which ssh forwards: the secret is on no command line, here or on the node. With a client
 * certificate (`https.client`), standard input carries the config, the certificate and its key
 * (remoteHttpInput), read into shell variables and handed to curl through process substitutions:
 * the key is on no command line and on no disk, the bastion's or the node's. Output stops one
 * byte past a body of `maxBytes` (curl then fails on the closed pipe, and pipefail says so).
 */
export function remoteHttpGet(host: string, port: number, path: string, timeoutSeconds: number, withCredentials = false, maxBytes = MAX_ANSWER_BYTES, https?: HttpsTrust): string {
  const client = https?.client !== undefined;
  const read = client ? `IFS= read -r -d '' config; IFS= read -r -d '' cert; IFS= read -r -d '' key; ` : '';
  const config = withCredentials ? (client ? ` -K <(printf '%s' "$config")` : ' -K -') : '';
  // The CA's certificate is public: it travels in the command, read by curl from a process substitution.
  const trust = https ? ` --cacert <(printf '%s' ${quote(https.caPem)})` : '';
  const identity = client ? ` --cert <(printf '%s' "$cert") --key <(printf '%s' "$key")` : '';
  const curl = `curl -sS --max-time ${timeoutSeconds}${config}${trust}${identity} -o - -w '\\n%{http_code}' ${quote(`${https ? 'https' : 'http'}://${host}:${port}${path}`)}`;
  return `bash -c ${quote(`set -o pipefail; ${read}${curl} | head -c ${maxBytes + STATUS_TRAILER_BYTES + 1}`)}`;
}

/** What remoteHttpGet reads on standard input: the curl config alone, or with a client certificate config, certificate and key, each ended by a NUL. */
export function remoteHttpInput(credentials: HttpCredentials | undefined, https?: HttpsTrust): string | undefined {
  const config = credentials && curlCredentialsConfig(credentials);
  if (https?.client === undefined) return config;
  return `${config ?? ''}\0${https.client.certificatePem}\0${https.client.keyPem}\0`;
}

/** A byte count as the notice says it. */
function mebibytes(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 100) / 100} MiB`;
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
  private readonly maxAnswerBytes: number;
  private readonly notice: (line: string) => void;

  constructor(private readonly options: SshTransportOptions) {
    this.user = options.user ?? 'admin';
    this.timeoutSeconds = options.timeoutSeconds ?? 5;
    this.maxAnswerBytes = options.maxAnswerBytes ?? MAX_ANSWER_BYTES;
    this.notice = options.notice ?? ((line) => process.stderr.write(`${line}\n`));
    // Room for the status trailer: the node already cut the output, this only bounds a node that did not.
    this.runSsh = options.runSsh ?? ((args, stdin) => runSsh(args, stdin, this.maxAnswerBytes + 64));
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
    const { stdout } = await this.runSsh(this.sshArgs(host, remoteFourLetterWord(host, port, word, this.timeoutSeconds, this.maxAnswerBytes)));
    if (Buffer.byteLength(stdout) <= this.maxAnswerBytes) return stdout;
    this.cut(`${host}:${port} (${word})`);
    return '';
  }

  async httpGet(host: string, port: number, path: string, credentials?: HttpCredentials, https?: HttpsTrust): Promise<HttpAnswer | undefined> {
    const command = remoteHttpGet(host, port, path, this.timeoutSeconds, credentials !== undefined, this.maxAnswerBytes, https);
    const { code, stdout } = await this.runSsh(this.sshArgs(host, command), remoteHttpInput(credentials, https));
    if (Buffer.byteLength(stdout) > this.maxAnswerBytes + STATUS_TRAILER_BYTES) {
      this.cut(`${https ? 'https' : 'http'}://${host}:${port}${path}`);
      return undefined;
    }
    return code === 0 ? parseHttpOutput(stdout) : undefined;
  }

  /** The one line about an answer over the cap, which the check then reports as no answer. */
  private cut(what: string): void {
    this.notice(`verify: ${what} answered more than ${mebibytes(this.maxAnswerBytes)} through SSH; cut there and taken as no answer`);
  }

  async close(): Promise<void> {
    rmSync(this.controlDir, { recursive: true, force: true });
  }
}

function runSsh(args: readonly string[], stdin: string | undefined, maxBuffer: number): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    // Past maxBuffer ssh is ended and stdout holds what came: more than the cap, so it is cut above.
    const child = execFile('ssh', [...args], { timeout: 60_000, maxBuffer }, (error, stdout) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 255) : 0, stdout });
    });
    // Without credentials or a client certificate stdin is closed at once, so nothing on the node waits for input.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(stdin ?? '');
  });
}
