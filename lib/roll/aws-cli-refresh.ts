import { execFile } from 'node:child_process';
import { InstanceRefresh, InstanceRefreshApi } from './instance-refresh';

/**
 * The instance refresh calls through the AWS CLI, with the operator's usual credentials and
 * region. (The project's other AWS calls use the SDK v3; @aws-sdk/client-auto-scaling is not a
 * dependency yet - swapping this adapter for it changes nothing else.)
 */
export class AwsCliRefreshApi implements InstanceRefreshApi {
  constructor(
    private readonly region: string,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  private call(args: string[]): Promise<any> {
    return new Promise((resolve, reject) =>
      execFile('aws', ['--region', this.region, '--output', 'json', 'autoscaling', ...args], { env: this.env }, (error, stdout, stderr) =>
        error ? reject(new Error(`aws autoscaling ${args[0]}: ${(stderr || error.message).trim().split('\n')[0]}`)) : resolve(stdout.trim() === '' ? {} : JSON.parse(stdout)),
      ),
    );
  }

  async start(groupName: string, minHealthyPercentage: number): Promise<string> {
    const preferences = JSON.stringify({ MinHealthyPercentage: minHealthyPercentage, SkipMatching: true });
    const answer = await this.call(['start-instance-refresh', '--auto-scaling-group-name', groupName, '--preferences', preferences]);
    return String(answer.InstanceRefreshId);
  }

  async describe(groupName: string): Promise<InstanceRefresh[]> {
    const answer = await this.call(['describe-instance-refreshes', '--auto-scaling-group-name', groupName]);
    return ((answer.InstanceRefreshes ?? []) as any[]).map((r) => ({
      id: String(r.InstanceRefreshId),
      status: String(r.Status),
      statusReason: r.StatusReason,
      percentageComplete: r.PercentageComplete,
    }));
  }
}
