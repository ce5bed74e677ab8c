import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PORTS } from '../../lib/model';
import { checkStack, formatFinding } from '../../lib/policy';
import { exampleCluster, Resources, synthAws, synthAwsToDisk } from '../support/aws-synth';
import { offlineTerraformUnavailable, prepareOfflineWorkspace, terraformValidate } from '../support/offline-terraform';
import { assertToolAvailable, gateOn } from '../support/tool-gate';
import { exampleOpenstackCluster, synthOpenstack } from '../support/openstack-synth';

const TLS = { tls: { mesos: true, marathon: true } };
const aws = synthAws(exampleCluster(TLS)).json.resource;
const awsPlain = synthAws(exampleCluster()).json.resource;
const openstack = synthOpenstack(exampleOpenstackCluster(TLS)).resource;

/** Ports opened into the group named `${cluster}-marathon`, by rule resource name. */
function awsPortsIntoMarathon(resource: Resources): number[] {
  const group = Object.entries(resource.aws_security_group).find(([, g]) => String(g.name).endsWith('-marathon'))![0];
  return Object.values(resource.aws_vpc_security_group_ingress_rule)
    .filter((r) => r.security_group_id === `\${aws_security_group.${group}.id}`)
    .flatMap((r) => (r.from_port === r.to_port ? [r.from_port as number] : []));
}

describe('Marathon over HTTPS in the synthesized networks (tls.marathon)', () => {
  it('AWS: the Marathon group admits HTTPS from the load balancer, the edge, the bastion and the other Marathons, and no plain HTTP', () => {
    const ports = awsPortsIntoMarathon(aws);
    assert.equal(ports.filter((p) => p === PORTS.marathonHttps).length, 4, ports.join(','));
    assert.ok(!ports.includes(PORTS.marathonHttp), ports.join(','));
    assert.ok(awsPortsIntoMarathon(awsPlain).includes(PORTS.marathonHttp), 'without tls.marathon the HTTP port stays open');
    const egress = Object.values(aws.aws_vpc_security_group_egress_rule).filter((r) => String(r.description).includes('Marathon UI'));
    assert.deepEqual(egress.map((r) => [r.from_port, r.to_port]), [[PORTS.marathonHttps, PORTS.marathonHttps]]);
  });

  it('AWS: the UI load balancer keeps its Marathon listener port and speaks HTTPS to Marathon\'s HTTPS port, health check too', () => {
    const group = Object.values(aws.aws_lb_target_group).find((g) => g.port === PORTS.marathonHttps)!;
    assert.ok(group, 'a target group on the HTTPS port');
    assert.equal(group.protocol, 'HTTPS');
    assert.equal(group.health_check.protocol, 'HTTPS');
    const attachments = Object.values(aws.aws_lb_target_group_attachment).map((a) => a.port);
    assert.ok(attachments.includes(PORTS.marathonHttps) && !attachments.includes(PORTS.marathonHttp), attachments.join(','));
    const listeners = Object.values(aws.aws_lb_listener).map((l) => l.port);
    assert.ok(listeners.includes(PORTS.marathonHttp), 'the operators\' URL does not change');
  });

  it('OpenStack: the Marathon group admits HTTPS and no plain HTTP; its load balancer pool re-encrypts to the HTTPS port', () => {
    const group = Object.entries(openstack.openstack_networking_secgroup_v2).find(([, g]) => String(g.name).endsWith('-marathon'))![0];
    const ports = Object.values(openstack.openstack_networking_secgroup_rule_v2)
      .filter((r) => r.direction === 'ingress' && r.security_group_id === `\${openstack_networking_secgroup_v2.${group}.id}`)
      .map((r) => r.port_range_min);
    assert.ok(ports.includes(PORTS.marathonHttps) && !ports.includes(PORTS.marathonHttp), ports.join(','));
    const pools = Object.values(openstack.openstack_lb_pool_v2 ?? {}).filter((p) => p.tls_enabled === true);
    assert.equal(pools.length, 1);
    const members = Object.values(openstack.openstack_lb_member_v2 ?? {}).map((m) => m.protocol_port);
    assert.ok(members.includes(PORTS.marathonHttps) && !members.includes(PORTS.marathonHttp), members.join(','));
    assert.equal(Object.values(openstack.openstack_lb_monitor_v2 ?? {}).filter((m) => m.type === 'HTTPS').length, 1, 'Marathon\'s monitor checks over TLS');
  });

  it("the edge's identity may read the CA certificate and its own client certificate (tls/edge) alone: AWS, those two parameters; OpenStack, an application credential in the edge's metadata; neither without TLS", () => {
    const edgePolicy = (resource: Resources) => JSON.parse(resource.aws_iam_role_policy['identity-edge_policy']?.policy ?? '{"Statement":[]}');
    const reads = edgePolicy(aws).Statement.filter((s: { Action: string[] }) => s.Action.some((a) => a.startsWith('ssm:')));
    assert.deepEqual(reads.flatMap((s: { Resource: string[] }) => s.Resource).map((arn: string) => arn.replace(/^.*:parameter/, '')), ['/mesos-cluster/ci-aws/tls/ca-cert', '/mesos-cluster/ci-aws/tls/edge']);
    assert.deepEqual(edgePolicy(awsPlain).Statement.filter((s: { Action: string[] }) => s.Action.some((a) => a.startsWith('ssm:'))), []);
    const edgeMetadata = (resource: Resources) => Object.entries(resource.openstack_compute_instance_v2).find(([name]) => name.startsWith('edge'))![1].metadata;
    assert.match(edgeMetadata(openstack)['secrets-credential-id'], /secret-credentials_edge\.id/);
    assert.equal(edgeMetadata(synthOpenstack(exampleOpenstackCluster()).resource)['secrets-credential-id'], undefined);
  });

  it('both stacks with tls.mesos and tls.marathon pass every policy rule (the edge fetching the CA certificate included)', () => {
    const awsCluster = exampleCluster(TLS);
    const openstackCluster = exampleOpenstackCluster(TLS);
    const findings = [
      ...checkStack({ name: awsCluster.name, cloud: 'aws', json: synthAws(awsCluster).json }).findings,
      ...checkStack({ name: openstackCluster.name, cloud: 'openstack', json: synthOpenstack(openstackCluster) }).findings,
    ];
    assert.deepEqual(findings.map(formatFinding), []);
  });

  it('AWS: the stack with tls.marathon passes terraform validate (AWS provider, offline)', gateOn(offlineTerraformUnavailable()), () => {
    assertToolAvailable(offlineTerraformUnavailable());
    const validation = terraformValidate(prepareOfflineWorkspace(synthAwsToDisk(exampleCluster(TLS))));
    assert.equal(validation.valid, true, JSON.stringify(validation.diagnostics, null, 2));
    assert.deepEqual(validation.diagnostics, []);
  });
});
