/**
 * Test harness: the project's moto emulator (lib/emulator/moto-server.ts: loopback, a port the
 * kernel picks, the launcher that corrects moto's one quirk) plus the environment an AWS client
 * (the AWS CLI, a script under test) needs to talk to it and to nothing else.
 */
import { motoUnavailable, MotoServer as Emulator, startMoto as startEmulator } from '../../lib/emulator/moto-server';
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
