import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { LbTargetGroupAttachment } from '@cdktf/provider-aws/lib/lb-target-group-attachment';
import { Construct } from 'constructs';
import { ResolvedCluster, UI_ENDPOINTS, UiEndpoint } from '../model';
import { resourceTags } from './tags';

export interface UiLoadBalancerProps {
  readonly cluster: ResolvedCluster;
  readonly vpcId: string;
  readonly subnetIds: string[];
  readonly securityGroupId: string;
  /** Instance ids by server name, for each service a UI runs on. */
  readonly targets: (service: UiEndpoint['service']) => ReadonlyMap<string, string>;
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
    for (const ui of UI_ENDPOINTS) {
      const targetGroup = new LbTargetGroup(this, `${ui.name}-targets`, {
        port: ui.port,
        protocol: 'HTTP',
        vpcId: props.vpcId,
        targetType: 'instance',
        healthCheck: { path: ui.healthPath, port: 'traffic-port', protocol: 'HTTP', matcher: ui.healthyCodes },
        tags: resourceTags(cluster, `${ui.name}-ui`),
      });
      for (const [server, instanceId] of props.targets(ui.service)) {
        new LbTargetGroupAttachment(this, `${ui.name}-${server}`, {
          targetGroupArn: targetGroup.arn,
          targetId: instanceId,
          port: ui.port,
        });
      }
      new LbListener(this, `${ui.name}-listener`, {
        loadBalancerArn: this.loadBalancer.arn,
        port: ui.port,
        protocol: 'HTTP',
        defaultAction: [{ type: 'forward', targetGroupArn: targetGroup.arn }],
        tags: resourceTags(cluster, `${ui.name}-ui`),
      });
    }
  }

  url(port: number): string {
    return `http://${this.loadBalancer.dnsName}:${port}`;
  }
}
