import { execFile } from 'node:child_process';
import { SshRunner } from '../../lib/verify/ssh-transport';

/**
 * An SshRunner that runs the node's command (ssh's last argument) in a local bash with ssh's
 * standard input, curl connecting to loopback `to` for the private address and port `from` the
 * URL names (no sshd here). Each run is recorded, to show what crossed on the command line and stdin.
 */
export function nodeShellFor(from: { host: string; port: number }, to: { address: string; port: number }, ran: { command: string; stdin?: string }[] = []): SshRunner {
  return (args, stdin) => {
    const command = args[args.length - 1];
    ran.push({ command, stdin });
    const script = command.replace(/^bash -c /, 'curl() { command curl --connect-to "$FROM:$TO" "$@"; }; eval ');
    const env = { ...process.env, FROM: `${from.host}:${from.port}`, TO: `${to.address}:${to.port}` };
    return new Promise((resolve) => {
      const child = execFile('bash', ['-c', script], { env }, (error, stdout) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout }));
      child.stdin!.end(stdin ?? '');
    });
  };
}
