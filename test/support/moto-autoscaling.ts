/**
 * Test harness: moto's AWS emulator on a free loopback port with one Auto Scaling group, its
 * termination hook and running instances (test/support/moto-autoscaling.py), and the environment
 * for the AWS CLI (which the scripts under test call) pointed at it.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { motoQuery } from '../../lib/emulator/moto-query';
import { MOTO_IMAGE } from '../../lib/emulator/moto-quirks';
import { pythonExecutable } from '../../lib/emulator/python-interpreter';
import { pathWithResolvedPython } from './resolved-python-path';

/** Why the harness cannot run here, or undefined: moto's packages found, not imported (lib/emulator/moto-server.ts). */
export { motoUnavailable } from '../../lib/emulator/moto-server';

export interface MotoAutoScaling {
  readonly endpoint: string;
  readonly instances: readonly string[];
  /** Environment for the AWS CLI: dummy credentials, no instance metadata, no ~/.aws, PATH's `aws` without a wrapper. */
  readonly awsEnv: Record<string, string>;
  /**
   * The instance as its group holds it (DescribeAutoScalingInstances, asked of moto's query API
   * directly: no AWS CLI start), or undefined once the group let it go.
   */
  autoScalingInstance(id: string): Promise<{ HealthStatus: string; AutoScalingGroupName: string } | undefined>;
  stop(): Promise<void>;
}

export async function startMotoAutoScaling(group: string, hook: string, instances: number): Promise<MotoAutoScaling> {
  const child: ChildProcess = spawn(pythonExecutable(), [join(__dirname, 'moto-autoscaling.py'), group, hook, String(instances), MOTO_IMAGE], {
    stdio: ['pipe', 'pipe', 'ignore'],
    env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' },
  });
  const first = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error('moto did not start within 60 s')), 60_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`moto exited with ${code} before it started`)));
  });
  const { endpoint, instances: ids } = JSON.parse(first);
  const awsEnv = {
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    PATH: pathWithResolvedPython(),
  };
  return {
    endpoint,
    instances: ids,
    awsEnv,
    autoScalingInstance: async (id) => {
      const xml = await motoQuery(endpoint, 'autoscaling', '2011-01-01', 'DescribeAutoScalingInstances', { 'InstanceIds.member.1': id });
      const member = /<AutoScalingInstances>\s*<member>([\s\S]*?)<\/member>/.exec(xml)?.[1];
      if (member === undefined) return undefined;
      const field = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(member)?.[1] ?? '';
      return { HealthStatus: field('HealthStatus'), AutoScalingGroupName: field('AutoScalingGroupName') };
    },
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin!.end();
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      }),
  };
}
