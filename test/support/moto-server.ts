/**
 * Test harness: moto's AWS emulator (`moto_server`) on a free loopback port, in its own process
 * group so that a failed test still stops it.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { AddressInfo, createServer } from 'node:net';
import { missingTool } from './tool-gate';
import { killGroup, stopChild } from './zookeeper-runtime';

export const motoMissing = (): string | undefined => missingTool('moto_server', 'moto (pip install "moto[server]")');

export interface MotoServer {
  readonly endpoint: string;
  /** Environment for an AWS client pointed at it: dummy credentials, no shared config. */
  readonly env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function answers(endpoint: string): Promise<boolean> {
  try {
    await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1_000) });
    return true;
  } catch {
    return false;
  }
}

export async function startMoto(): Promise<MotoServer> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { detached: true, stdio: 'ignore' });
  const stop = async () => stopChild(child);
  process.once('exit', () => killGroup(child, 'SIGKILL'));
  // Bounded: moto starts in a second or two, slower when the machine is busy.
  for (let i = 0; i < 120 && child.exitCode === null; i += 1) {
    if (await answers(endpoint)) {
      const env = {
        AWS_ACCESS_KEY_ID: 'testing',
        AWS_SECRET_ACCESS_KEY: 'testing',
        AWS_ENDPOINT_URL: endpoint,
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        AWS_EC2_METADATA_DISABLED: 'true',
      };
      return { endpoint, env, stop };
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new Error(`moto_server did not answer on ${endpoint}`);
}
