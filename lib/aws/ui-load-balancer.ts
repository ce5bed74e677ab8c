import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { LbTargetGroupAttachment } from '@cdktf/provider-aws/lib/lb-target-group-attachment';
import { Construct } from 'constructs';
import { PORTS, ResolvedCluster } from '../model';
import { resourceTags } from './tags';

/** A UI behind the load balancer: its port, health check and the servers that serve it. */
export interface UiBackend {
  /** Stable id, e.g. `mesos` or `marathon`. */
  readonly name: string;
  readonly port: number;
  readonly healthPath: string;
  /** Instance ids by server name. */
  readonly targets: ReadonlyMap<string, string>;
}

export interface UiLoadBalancerProps {
  readonly cluster: ResolvedCluster;
  readonly vpcId: string;
  readonly subnetIds: string[];
  readonly securityGroupId: string;
  readonly backends: readonly UiBackend[];
}

/** An application load balancer in front of the Mesos and Marathon UIs, for the admin CIDRs. */
export class UiLoadBalancer extends Construct {
  readonly loadBalancer: Lb;

  constructor(scope: Construct, id: string, props: UiLoadBalancerProps) {
    super(scope, id);
    const { cluster } = props;
    this.loadBalancer = new Lb(this, 'load-balancer', {
      name: `${cluster.name}-ui`,
      loadBalancerType: 'application',
      internal: false,
      subnets: props.subnetIds,
      securityGroups: [props.securityGroupId],
      dropInvalidHeaderFields: true,
      tags: resourceTags(cluster, 'ui'),
    });
    for (const backend of props.backends) {
      const targetGroup = new LbTargetGroup(this, `${backend.name}-targets`, {
        port: backend.port,
        protocol: 'HTTP',
        vpcId: props.vpcId,
        targetType: 'instance',
        healthCheck: { path: backend.healthPath, port: 'traffic-port', matcher: '200' },
        tags: resourceTags(cluster, `${backend.name}-ui`),
      });
      for (const [server, instanceId] of backend.targets) {
        new LbTargetGroupAttachment(this, `${backend.name}-${server}`, {
          targetGroupArn: targetGroup.arn,
          targetId: instanceId,
          port: backend.port,
        });
      }
      new LbListener(this, `${backend.name}-listener`, {
        loadBalancerArn: this.loadBalancer.arn,
        port: backend.port,
        protocol: 'HTTP',
        defaultAction: [{ type: 'forward', targetGroupArn: targetGroup.arn }],
        tags: resourceTags(cluster, `${backend.name}-ui`),
      });
    }
  }

  url(port: number): string {
    return `http://${this.loadBalancer.dnsName}:${port}`;
  }
}

export const UI_HEALTH_PATHS = {
  mesos: { port: PORTS.mesosMaster, path: '/health' },
  marathon: { port: PORTS.marathonHttp, path: '/ping' },
} as const;
