import { KeyPair } from '@cdktf/provider-aws/lib/key-pair';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import { AwsCluster, ClusterLabels, nodeIdentities, PORTS, SERVER_NAME_PREFIX, ServiceRole } from '../model';
import { awsAccount } from './aws-account';
import { NodeIdentityRole } from './node-identity';
import { AutoScaledAgentPool } from './auto-scaled-agent-pool';
import { Bastion } from './bastion';
import { BASTION_IDENTITY, sessionManagerPolicyArn } from './session-manager';
import { Edge } from './edge';
import { AwsNetwork } from './network';
import { QuorumServerInstance } from './quorum-server';
import { ClusterSecurityGroups } from './security-groups';
import { UiLoadBalancer } from './ui-load-balancer';
import { AccessLogBucket } from './access-log-bucket';
import { closedDefaultSecurityGroup } from './default-security-group';
import { VpcFlowLog } from './vpc-flow-log';
import { VolumeBackedAgentPool } from './volume-backed-agent-pool';
import { VolumeBackups } from './volume-backups';
import { clusterStackPreamble, ClusterStackProps } from '../terraform/cluster-stack-preamble';
import { ClusterTerraformStack } from '../terraform/cluster-terraform-stack';
import { mesosUrl } from '../terraform/mesos-url';
import { addClusterOutputs, addEdgeOutput } from '../terraform/outputs';
import { AWS_PROVIDER_CONSTRAINT } from './provider-constraint';
import { defaultTags, resourceTags } from './tags';

export type AwsClusterStackProps = ClusterStackProps<AwsCluster>;

/** One cluster on AWS: composes the network, security groups, servers, pools and the UI load balancer. */
export class AwsClusterStack extends ClusterTerraformStack {
  constructor(scope: Construct, id: string, props: AwsClusterStackProps) {
    super(scope, id);
    const { topology, userData } = clusterStackPreamble(this, props);
    const { cluster } = topology;
    const { region, rootDeviceName } = cluster.aws;
    // What names and tags resources; constructs get it and the few values they use, not the cluster.
    const labels: ClusterLabels = { name: cluster.name, tags: cluster.tags };

    new AwsProvider(this, 'aws', {
      region,
      defaultTags: [{ tags: defaultTags(labels) }],
    });
    this.addOverride('terraform.required_providers.aws.version', AWS_PROVIDER_CONSTRAINT);
    const account = awsAccount(this, 'account');

    const network = new AwsNetwork(this, 'network', { cluster: labels, cidr: cluster.network.cidr, zones: topology.zones, natGateways: cluster.aws.natGateways, region });
    // Hardening the policy rules demand (lib/policy): default group closed, flow logs on.
    closedDefaultSecurityGroup(this, 'default-security-group', { vpcId: network.vpc.id, tags: resourceTags(labels, 'default') });
    new VpcFlowLog(this, 'flow-log', { clusterName: cluster.name, region, account, vpcId: network.vpc.id, tags: resourceTags(labels, 'vpc-flow-logs') });
    const groups = new ClusterSecurityGroups(this, 'security-groups', {
      cluster: labels,
      adminCidrs: cluster.network.adminCidrs,
      edgeCidrs: cluster.edge?.cidrs,
      vpcId: network.vpc.id,
      pools: topology.pools,
      tls: cluster.tls,
    });
    const keyName = cluster.sshKey.publicKey
      ? new KeyPair(this, 'ssh-key', { keyName: cluster.sshKey.name, publicKey: cluster.sshKey.publicKey }).keyName
      : cluster.sshKey.name;

    // One IAM role and instance profile per quorum role and per pool, each reading only its own
    // secrets; with aws.sessionManager each also gets Session Manager, and the bastion one too.
    const sessionManager = cluster.aws.sessionManager ? sessionManagerPolicyArn(this, 'session-manager-partition') : undefined;
    const identities = new Map(
      [...nodeIdentities(topology), ...(sessionManager !== undefined ? [BASTION_IDENTITY] : [])].map((identity) => [
        identity.name,
        new NodeIdentityRole(this, `identity-${identity.name}`, { cluster: labels, pools: cluster.pools, region, identity, account, sessionManagerPolicyArn: sessionManager }).profile.name,
      ]),
    );
    const profileOf = (name: string) => identities.get(name)!;

    const firstZone = topology.zones[0].zone;
    const bastion = new Bastion(this, 'bastion', {
      cluster: labels,
      image: cluster.image,
      size: cluster.bastion.size,
      rootVolumeGiB: cluster.bastion.rootVolumeGiB,
      subnetId: network.publicSubnets.get(firstZone)!.id,
      securityGroupId: groups.group('bastion').id,
      keyName,
      userData: userData.bastion(),
      instanceProfileName: identities.get(BASTION_IDENTITY.name),
    });

    const servers = new Map<string, QuorumServerInstance>();
    for (const server of topology.servers) {
      servers.set(
        server.name,
        new QuorumServerInstance(this, server.name, {
          cluster: labels,
          image: cluster.image,
          server,
          subnetId: network.controlSubnets.get(server.zone.zone)!.id,
          securityGroupIds: groups.idsFor(...server.services),
          keyName,
          userData: userData.server(server.name),
          instanceProfileName: profileOf(SERVER_NAME_PREFIX[server.role]),
        }),
      );
    }
    const instancesRunning = (service: ServiceRole) =>
      new Map(topology.servers.filter((s) => s.services.includes(service)).map((s) => [s.name, servers.get(s.name)!.instance.id]));

    const agentSubnetIds = new Map([...network.agentSubnets].map(([zone, subnet]) => [zone, subnet.id]));
    for (const pool of topology.pools) {
      const common = { cluster: labels, image: cluster.image, pool, securityGroupIds: groups.idsForPool(pool.name), keyName, userData: userData.pool(pool.name), instanceProfileName: profileOf(pool.name) };
      if (pool.volume) {
        // Fixed addresses: volume-backed agents live in the control subnets (fixed addresses only).
        new VolumeBackedAgentPool(this, `pool-${pool.name}`, {
          ...common,
          subnetIds: new Map([...network.controlSubnets].map(([zone, subnet]) => [zone, subnet.id])),
          subnetCidrs: new Map(topology.zones.map((z) => [z.zone, z.controlCidr])),
          region,
          alarmTopicArn: cluster.aws.alarmTopicArn,
        });
      } else {
        new AutoScaledAgentPool(this, `pool-${pool.name}`, {
          ...common,
          rootDeviceName,
          subnetIds: [...agentSubnetIds.values()],
        });
      }
    }

    const volumePools = topology.pools.filter((p) => p.volume !== undefined);
    if (volumePools.length > 0) new VolumeBackups(this, 'volume-backups', { cluster: labels, account, region, pools: volumePools });

    const uiLogs = new AccessLogBucket(this, 'ui-access-logs', { clusterName: cluster.name, prefix: 'ui', tags: resourceTags(labels, 'ui-access-logs') });
    const ui = new UiLoadBalancer(this, 'ui', {
      cluster: labels,
      certificateArn: cluster.aws.certificateArn,
      accessLogs: { bucket: uiLogs.bucket.id, prefix: 'ui', dependsOn: [uiLogs.policy] },
      vpcId: network.vpc.id,
      subnetIds: [...network.publicSubnets.values()].map((s) => s.id),
      securityGroupId: groups.group('load-balancer').id,
      redirectSecurityGroupId: groups.group('ui-redirect').id,
      // Plain HTTP goes to the front door: the edge's 443 (Jenkins, /mesos, /marathon by path)
      // when there is one, else the Marathon UI, the CI platform's own UI and API.
      httpsRedirectPort: cluster.edge !== undefined ? PORTS.edgeHttps : PORTS.marathonHttp,
      extraSecurityGroupIds: cluster.edge !== undefined ? [groups.group('edge-listener').id] : [],
      targets: instancesRunning,
      tls: cluster.tls,
    });

    let edgeUrl: string | undefined;
    if (cluster.edge !== undefined) {
      const edge = new Edge(this, 'edge', {
        cluster: labels,
        image: cluster.image,
        rootDeviceName,
        edge: cluster.edge,
        vpcId: network.vpc.id,
        subnetIds: [...agentSubnetIds.values()],
        securityGroupIds: groups.idsFor('edge'),
        keyName,
        userData: userData.edge(),
        instanceProfileName: profileOf('edge'),
        loadBalancerArn: ui.loadBalancer.arn,
        loadBalancerDnsName: ui.loadBalancer.dnsName,
        certificateArn: cluster.aws.certificateArn,
      });
      addEdgeOutput(this, edge.url);
      edgeUrl = edge.url;
    }

    addClusterOutputs(this, topology, {
      mesos: mesosUrl({ tls: cluster.tls.mesos, loadBalancer: ui.url(PORTS.mesosMaster), edge: edgeUrl, masterAddress: topology.mesos.masters[0].privateIp }),
      marathonUrl: ui.url(PORTS.marathonHttp),
      bastionAddress: bastion.instance.publicIp,
    });
  }
}
