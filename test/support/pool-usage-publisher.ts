/**
 * Test harness for the masters' pool-usage publisher (cloud-init/scripts/pool-usage.sh): a
 * master's rendered files under a scratch root, pointed at any master (a stand-in or a real one),
 * instance metadata on loopback, and CloudWatch read back from moto (its API, test/support/moto-cloudwatch.ts).
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderServerUserData } from '../../lib/cloud-init';
import { POOL_USAGE_METRIC } from '../../lib/cloud-init/pool-usage-files';
import { buildTopology, ClusterTopology } from '../../lib/model';
import { exampleCluster } from './aws-synth';
import { LoopbackServer, startLoopbackServer } from './loopback-http';
import { listMetrics, metricDataValues } from './moto-cloudwatch';
import { MotoServer } from './moto-server';
import { layOut, readWriteFiles } from './zookeeper-cloud-config';

export const POOL_USAGE_SCRIPT = '/usr/local/lib/mesos-cluster/pool-usage';

/** The example with `builds` elastic and a second elastic pool `spare`, which no agent joins. */
export function elasticTopology(): ClusterTopology {
  return buildTopology(
    exampleCluster({
      pools: {
        builds: { count: 6, autoscale: { min: 2, max: 12 } },
        spare: { count: 1, size: 'c5.large', autoscale: { min: 1, max: 3 } },
      },
    }),
  );
}

/** Instance metadata (IMDSv2: a token first): the region is all pool-usage asks for. */
export function instanceMetadata(): Promise<LoopbackServer> {
  return startLoopbackServer((request) => {
    if (request.method === 'PUT' && request.url === '/latest/api/token') return { status: 200, body: 'token-1' };
    if (request.headers['x-aws-ec2-metadata-token'] !== 'token-1') return { status: 401 };
    return request.url === '/latest/meta-data/placement/region' ? { status: 200, body: 'us-east-1' } : { status: 404 };
  });
}

export interface PublisherRoot {
  readonly root: string;
  /** Runs pool-usage once; never rejects. */
  publish(endpoint?: string): Promise<{ code: number; stderr: string }>;
  dispose(): void;
}

/**
 * master-1's rendered files of {@link elasticTopology} under a fresh root, as if it ran at
 * `address` (`ip:port` of its own Mesos master), publishing into `namespace` on moto.
 */
export function publisherRoot(address: string, namespace: string, moto: MotoServer, imds: LoopbackServer): PublisherRoot {
  const root = mkdtempSync(join(tmpdir(), 'pool-usage-'));
  const files = readWriteFiles(renderServerUserData(elasticTopology(), 'master-1'));
  layOut(root, files);
  for (const file of files) if (file.permissions === '0755') chmodSync(join(root, file.path), 0o755);
  const [ip, port] = address.split(':');
  const overrides = `\n# test overrides\nCLUSTER_NODE_IP=${ip}\nCLUSTER_MESOS_MASTER_PORT=${port}\nCLUSTER_USAGE_NAMESPACE=${namespace}\n`;
  writeFileSync(join(root, 'etc/mesos-cluster/facts.env'), overrides, { flag: 'a' });
  return {
    root,
    publish: (endpoint = moto.endpoint) => {
      const env = {
        PATH: process.env.PATH!,
        ...(moto.env as Record<string, string>),
        HOME: root,
        MESOS_CLUSTER_ROOT: root,
        MESOS_CLUSTER_IMDS_URL: `http://${imds.address}`,
        MESOS_CLUSTER_AWS_ENDPOINT: endpoint,
        AWS_MAX_ATTEMPTS: '1',
      };
      return new Promise((resolve) =>
        execFile(join(root, POOL_USAGE_SCRIPT), [], { env, timeout: 120_000 }, (error, _stdout, stderr) =>
          resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stderr }),
        ),
      );
    },
    dispose: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** The metrics moto holds in `namespace` (ListMetrics), as sorted `name dimension=value` lines. */
export function metricsIn(moto: MotoServer, namespace: string): Promise<string[]> {
  return listMetrics(moto, namespace);
}

/** The values of a pool's usage metric in `namespace` (GetMetricData, the policy's statistic). */
export function usageValues(moto: MotoServer, namespace: string, pool: string): Promise<number[]> {
  const metric = { namespace, name: POOL_USAGE_METRIC.name, dimension: { name: POOL_USAGE_METRIC.dimension, value: pool } };
  return metricDataValues(moto, metric, POOL_USAGE_METRIC.periodSeconds, 'Average');
}
