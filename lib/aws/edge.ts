import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { Construct } from 'constructs';
import { ClusterLabels, EDGE_ROOT_GIB, PORTS, ResolvedEdge } from '../model';
import { IMDS_V2_ONLY, launchTemplateRootAndTags } from './instance-defaults';
import { nodeTags, resourceTags } from './tags';
import { UI_TLS_POLICY } from './ui-load-balancer';
import { encodeUserData } from './user-data';

export interface EdgeProps {
  /** The cluster's name and tags, for the names and tags of its resources. */
  readonly cluster: ClusterLabels;
  /** The base image (AMI id) and its root device (`aws.rootDeviceName`). */
  readonly image: string;
  readonly rootDeviceName: string;
  /** The cluster's edge: its count and size. */
  readonly edge: ResolvedEdge;
  readonly vpcId: string;
  /** Private subnets the edge servers run in (the agent subnets). */
  readonly subnetIds: string[];
  readonly securityGroupIds: string[];
  readonly keyName: string;
  /** The edge's cloud-config document, plain text. */
  readonly userData: string;
  /** Lets the edge read Marathon's HTTP password from the secret store (its node identity). */
  readonly instanceProfileName: string;
  /** The UI load balancer, which gets the edge's listener. */
  readonly loadBalancerArn: string;
  readonly loadBalancerDnsName: string;
  /** The listener's TLS certificate (the cluster file's `aws.certificateArn`, as the UIs'). */
  readonly certificateArn: string;
}

/**
 * The edge: an Auto Scaling group of nginx servers (cloud-init role `edge`) in a target group
 * behind the UI load balancer's port-443 listener. Every request on it goes to the edge, which
 * routes by host name and path itself (from Marathon's labels), so the listener needs no rules
 * and a new Jenkins master needs no Terraform change.
 */
export class Edge extends Construct {
  readonly group: AutoscalingGroup;
  readonly listener: LbListener;
  /** The edge's address on the load balancer. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: EdgeProps) {
    super(scope, id);
    const { cluster } = props;
    const tags = nodeTags(cluster, 'edge', 'edge');
    const template = new LaunchTemplate(this, 'launch-template', {
      namePrefix: `${cluster.name}-edge-`,
      imageId: props.image,
      instanceType: props.edge.size,
      keyName: props.keyName,
      vpcSecurityGroupIds: props.securityGroupIds,
      userData: encodeUserData(props.userData),
      metadataOptions: IMDS_V2_ONLY,
      iamInstanceProfile: { name: props.instanceProfileName },
      ...launchTemplateRootAndTags(props.rootDeviceName, EDGE_ROOT_GIB, tags),
      updateDefaultVersion: true,
      tags,
    });
    const targets = new LbTargetGroup(this, 'targets', {
      port: PORTS.edgeHttp,
      protocol: 'HTTP',
      vpcId: props.vpcId,
      targetType: 'instance',
      // Answered by the generated configuration only: an edge without routes takes no traffic.
      healthCheck: { path: '/edge-health', port: 'traffic-port', protocol: 'HTTP', matcher: '200' },
      tags: resourceTags(cluster, 'edge'),
    });
    this.group = new AutoscalingGroup(this, 'group', {
      name: `${cluster.name}-edge`,
      minSize: props.edge.count,
      maxSize: props.edge.count,
      desiredCapacity: props.edge.count,
      vpcZoneIdentifier: props.subnetIds,
      launchTemplate: { id: template.id, version: '$Latest' },
      targetGroupArns: [targets.arn],
      // Stateless: an edge that fails the load balancer's check is replaced.
      healthCheckType: 'ELB',
      healthCheckGracePeriod: 300,
      tag: Object.entries(tags).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
    });
    this.url = `https://${props.loadBalancerDnsName}`;
    this.listener = new LbListener(this, 'listener', {
      loadBalancerArn: props.loadBalancerArn,
      port: PORTS.edgeHttps,
      protocol: 'HTTPS',
      sslPolicy: UI_TLS_POLICY,
      certificateArn: props.certificateArn,
      defaultAction: [{ type: 'forward', targetGroupArn: targets.arn }],
      tags: resourceTags(cluster, 'edge'),
    });
  }
}
