/**
 * Test harness: moto's AWS emulator on a free loopback port with one Auto Scaling group, its
 * termination hook and running instances (test/support/moto-autoscaling.py), and the AWS CLI
 * pointed at it.
 */
import { ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { motoQuery } from '../../lib/emulator/moto-query';

export interface MotoAutoScaling {
  readonly endpoint: string;
  readonly instances: readonly string[];
  /** Environment for the AWS CLI: dummy credentials, no instance metadata, no ~/.aws. */
  readonly awsEnv: Record<string, string>;
  /** `aws autoscaling <args>` against moto, parsed. */
  autoscaling(...args: string[]): Promise<any>;
  /**
   * The instance as its group holds it (DescribeAutoScalingInstances, asked of moto's query API
   * directly: no AWS CLI start), or undefined once the group let it go.
   */
  autoScalingInstance(id: string): Promise<{ HealthStatus: string; AutoScalingGroupName: string } | undefined>;
  stop(): Promise<void>;
}

/** Why the harness cannot run here, or undefined. */
export function motoUnavailable(): string | undefined {
  const probe = spawnSync('python3', ['-c', 'import moto.server, boto3'], { encoding: 'utf8' });
  return probe.status === 0 ? undefined : 'python3 with moto[server] is not installed (pip install "moto[server]")';
}

export async function startMotoAutoScaling(group: string, hook: string, instances: number): Promise<MotoAutoScaling> {
  const child: ChildProcess = spawn('python3', [join(__dirname, 'moto-autoscaling.py'), group, hook, String(instances)], {
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
  };
  return {
    endpoint,
    instances: ids,
    awsEnv,
    autoscaling: (...args) =>
      new Promise((resolve, reject) =>
        execFile('aws', ['--endpoint-url', endpoint, '--region', 'us-east-1', '--output', 'json', 'autoscaling', ...args], { env: { ...process.env, ...awsEnv } }, (error, stdout, stderr) =>
          error ? reject(new Error(`aws autoscaling ${args.join(' ')}: ${stderr}`)) : resolve(stdout.trim() === '' ? {} : JSON.parse(stdout)),
        ),
      ),
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
