/**
 * Test harness: the project's moto emulator (lib/emulator/moto-server.ts: loopback, a port the
 * kernel picks, the launcher that corrects moto's one quirk) plus the environment an AWS client
 * (the AWS CLI, a script under test) needs to talk to it and to nothing else.
 */
import { after } from 'node:test';
import { motoUnavailable, MotoServer as Emulator, resetMoto, startMoto as startEmulator } from '../../lib/emulator/moto-server';
import { pathWithResolvedPython } from './resolved-python-path';

export const motoMissing = motoUnavailable;

export interface MotoServer extends Emulator {
  /** Environment for an AWS client pointed at it: dummy credentials, no shared config; PATH's `aws` without a wrapper. */
  readonly env: NodeJS.ProcessEnv;
}

export async function startMoto(): Promise<MotoServer> {
  const emulator = await startEmulator();
  const env = {
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_ENDPOINT_URL: emulator.endpoint,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    PATH: pathWithResolvedPython(),
  };
  return { endpoint: emulator.endpoint, stop: () => emulator.stop(), env };
}

/**
 * One moto for a whole test file: started when a suite first asks for it, stopped after the
 * file's tests. A suite that must not see what the ones before it made asks for a `clean` one:
 * moto's reset (reference/moto/FACTS.md) costs a fraction of a new server's start.
 */
export function motoForFile(): (options?: { clean?: boolean }) => Promise<MotoServer> {
  let started: Promise<MotoServer> | undefined;
  after(async () => {
    await (await started?.catch(() => undefined))?.stop();
  });
  return async ({ clean = false } = {}) => {
    const earlier = started !== undefined;
    const moto = await (started ??= startMoto());
    if (clean && earlier) await resetMoto(moto);
    return moto;
  };
}
