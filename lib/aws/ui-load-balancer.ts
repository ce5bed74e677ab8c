import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { LbTargetGroupAttachment } from '@cdktf/provider-aws/lib/lb-target-group-attachment';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { ClusterLabels, PLAIN_UIS, PORTS, UiEndpoint, uiEndpoints, UiTls } from '../model';
import { resourceTags } from './tags';

export interface UiLoadBalancerProps {
  /** The cluster's name and tags, for the names and tags of its resources. */
  readonly cluster: ClusterLabels;
  readonly vpcId: string;
  readonly subnetIds: string[];
  readonly securityGroupId: string;
  /** The group that admits the admin CIDRs to the port-80 redirect listener. */
  readonly redirectSecurityGroupId: string;
  /** The HTTPS port plain HTTP is redirected to (the edge's 443, or a UI's port without an edge). */
  readonly httpsRedirectPort: number;
  /** The listeners' TLS certificate (the cluster file's `aws.certificateArn`). */
  readonly certificateArn: string;
  /** Bucket (name) for access logs, and what must exist before the load balancer writes there. */
  readonly accessLogs: { readonly bucket: string; readonly prefix: string; readonly dependsOn: ITerraformDependable[] };
  /** More groups on the load balancer (the edge listener's). @default [] */
  readonly extraSecurityGroupIds?: string[];
  /** Instance ids by server name, for each service a UI runs on. */
  readonly targets: (service: UiEndpoint['service']) => ReadonlyMap<string, string>;
  /** The cluster's `tls`: with `marathon`, Marathon's targets speak HTTPS (the ALB checks no target certificate); with `mesos`, no Mesos listener (the masters require a client certificate). @default none */
  readonly tls?: UiTls;
}

/**
 * TLS 1.3 and 1.2 with AEAD (GCM, ChaCha20) suites only: the `-Res-` ("restricted") member of
 * AWS's TLS13-1-2 family drops the CBC suites the plain one still offers for TLS 1.2.
 * Policies with TLS 1.0/1.1 or CBC suites fail the policy rules.
 */
export const UI_TLS_POLICY = 'ELBSecurityPolicy-TLS13-1-2-Res-2021-06';

/**
 * An application load balancer in front of the Marathon UI and, without `tls.mesos`, the Mesos UI
 * (ui-endpoints.ts), for the admin CIDRs:
 * HTTPS on each UI's port, plain HTTP on 80 only redirected to HTTPS, access logs to the
 * cluster's log bucket.
 */
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
      securityGroups: [props.securityGroupId, props.redirectSecurityGroupId, ...(props.extraSecurityGroupIds ?? [])],
      dropInvalidHeaderFields: true,
      // The UIs' and the edge's only front door: a destroy or a stray apply must not remove it.
      // To remove a cluster, set it false and apply first (docs/aws.md).
      enableDeletionProtection: true,
      accessLogs: { bucket: props.accessLogs.bucket, prefix: props.accessLogs.prefix, enabled: true },
      dependsOn: props.accessLogs.dependsOn,
      tags: resourceTags(cluster, 'ui'),
    });
    for (const ui of uiEndpoints(props.tls ?? PLAIN_UIS)) {
      const targetGroup = new LbTargetGroup(this, `${ui.name}-targets`, {
        port: ui.targetPort,
        protocol: ui.targetProtocol,
        vpcId: props.vpcId,
        targetType: 'instance',
        healthCheck: { path: ui.healthPath, port: 'traffic-port', protocol: ui.targetProtocol, matcher: ui.healthyCodes },
        tags: resourceTags(cluster, `${ui.name}-ui`),
      });
      for (const [server, instanceId] of props.targets(ui.service)) {
        new LbTargetGroupAttachment(this, `${ui.name}-${server}`, {
          targetGroupArn: targetGroup.arn,
          targetId: instanceId,
          port: ui.targetPort,
        });
      }
      new LbListener(this, `${ui.name}-listener`, {
        loadBalancerArn: this.loadBalancer.arn,
        port: ui.port,
        protocol: 'HTTPS',
        sslPolicy: UI_TLS_POLICY,
        certificateArn: props.certificateArn,
        defaultAction: [{ type: 'forward', targetGroupArn: targetGroup.arn }],
        tags: resourceTags(cluster, `${ui.name}-ui`),
      });
    }
    // Nothing is served over plain HTTP: a permanent redirect keeps host, path and query (#{host},
    // /#{path}, #{query} are the listener's defaults) and changes only the scheme and port.
    new LbListener(this, 'http-redirect-listener', {
      loadBalancerArn: this.loadBalancer.arn,
      port: PORTS.loadBalancerHttp,
      protocol: 'HTTP',
      defaultAction: [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: String(props.httpsRedirectPort), statusCode: 'HTTP_301' } }],
      tags: resourceTags(cluster, 'ui-redirect'),
    });
  }

  url(port: number): string {
    return `https://${this.loadBalancer.dnsName}:${port}`;
  }
}
