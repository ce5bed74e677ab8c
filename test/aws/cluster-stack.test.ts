import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TerraformStack, Testing } from 'cdktf';
import { AwsClusterStack } from '../../lib/aws';
import { renderPoolUserData, renderServerUserData } from '../../lib/cloud-init';
import { decodeUserData } from '../../lib/aws/user-data';
import { buildTopology, PORTS, TASK_PORTS } from '../../lib/model';
import { exampleCluster, synthAws } from '../support/aws-synth';

const cluster = exampleCluster();
const topology = buildTopology(cluster);
const { json } = synthAws(cluster);
const resources = json.resource;
const instances = Object.entries(resources.aws_instance);
const ingress = Object.values(resources.aws_vpc_security_group_ingress_rule);
const groupRef = (group: string) => `\${aws_security_group.security-groups_${group}.id}`;

describe('AWS stack: servers', () => {
  it('has one instance resource per quorum server and the bastion, and one for all Jenkins-master agents, counted by role tag', () => {
    const byRole = new Map<string, number>();
    for (const [, instance] of instances) byRole.set(instance.tags.role, (byRole.get(instance.tags.role) ?? 0) + 1);
    assert.deepEqual(Object.fromEntries(byRole), { bastion: 1, zookeeper: 3, 'mesos-master': 3, marathon: 3, 'mesos-agent': 1 });
  });

  it('puts each quorum server at its fixed address in its zone control subnet', () => {
    for (const server of topology.servers) {
      const instance = resources.aws_instance[`${server.name}_instance`];
      assert.equal(instance.private_ip, server.privateIp);
      assert.equal(instance.subnet_id, `\${aws_subnet.network_control-${server.zone.zone}.id}`);
    }
  });

  it('tags every instance and launch template with cluster and role, and agents with pool', () => {
    const tagged = [...instances.map(([, i]) => i.tags), ...Object.values(resources.aws_launch_template).map((t) => t.tags)];
    for (const tags of tagged) {
      assert.equal(tags.cluster, 'ci-aws');
      assert.ok(['zookeeper', 'mesos-master', 'marathon', 'mesos-agent', 'bastion', 'edge'].includes(tags.role), tags.role);
      if (tags.role === 'mesos-agent') assert.ok(['jenkins-masters', 'builds'].includes(tags.pool), JSON.stringify(tags));
      assert.equal(tags.team, 'platform', 'cluster file tags are carried');
    }
    const template = resources.aws_launch_template['pool-builds_launch-template'];
    assert.deepEqual(template.tag_specifications.map((s: any) => s.resource_type), ['instance', 'volume']);
    for (const spec of template.tag_specifications) assert.equal(spec.tags.pool, 'builds');
    const groupTags = resources.aws_autoscaling_group['pool-builds_group'].tag;
    assert.ok(groupTags.every((t: any) => t.propagate_at_launch === true));
    assert.ok(groupTags.some((t: any) => t.key === 'role' && t.value === 'mesos-agent'));
  });

  it('requires IMDSv2 with hop limit 1 everywhere; only volume-backed agents expose their tags', () => {
    const imds = { http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: 1 };
    const options = [...instances.map(([name, i]) => [name, i.metadata_options]), ...Object.entries(resources.aws_launch_template).map(([name, t]) => [name, t.metadata_options])];
    for (const [name, o] of options) {
      assert.deepEqual(o, name === 'pool-jenkins-masters_instance' ? { ...imds, instance_metadata_tags: 'enabled' } : imds, name);
    }
  });

  it('encrypts every root and data volume', () => {
    for (const [name, instance] of instances) assert.equal(instance.root_block_device.encrypted, true, name);
    for (const template of Object.values(resources.aws_launch_template)) {
      assert.equal(template.block_device_mappings[0].ebs.encrypted, 'true');
      assert.equal(template.block_device_mappings[0].device_name, '/dev/xvda');
    }
    for (const volume of Object.values(resources.aws_ebs_volume)) assert.equal(volume.encrypted, true);
  });

  it('guards servers against replacement by image or user-data drift and against stops by a new size', () => {
    for (const [name, instance] of instances) assert.deepEqual(instance.lifecycle?.ignore_changes, ['ami', 'user_data', 'user_data_base64', 'instance_type'], name);
    assert.equal(resources.aws_launch_template['pool-builds_launch-template'].update_default_version, true);
    assert.equal(resources.aws_autoscaling_group['pool-builds_group'].launch_template.version, '$Latest');
  });

  it('gives each Jenkins-master agent, by name, an instance and a data volume that Terraform refuses to destroy', () => {
    const agents = '${local.pool-jenkins-masters_agents}';
    const instance = resources.aws_instance['pool-jenkins-masters_instance'];
    const volume = resources.aws_ebs_volume['pool-jenkins-masters_data'];
    const attachment = resources.aws_volume_attachment['pool-jenkins-masters_data-attachment'];
    assert.deepEqual([Object.keys(resources.aws_ebs_volume), Object.keys(resources.aws_volume_attachment)], [['pool-jenkins-masters_data'], ['pool-jenkins-masters_data-attachment']]);
    assert.deepEqual([instance.for_each, volume.for_each, attachment.for_each], [agents, agents, agents]);
    assert.equal(instance.tags.Name, 'ci-aws-${each.key}');
    assert.equal(volume.tags.Name, 'ci-aws-${each.key}-data');
    // Instance and volume sit in the agent's zone: the map's entries (test/terraform/round-robin-map.test.ts).
    assert.equal(instance.subnet_id, '${each.value.subnet_id}');
    assert.equal(volume.availability_zone, '${each.value.zone}');
    assert.match(json.locals!['pool-jenkins-masters_agents'], /range\(0, 3, 1\)/, 'three agents');
    assert.equal(volume.size, 200);
    assert.deepEqual(volume.lifecycle, { prevent_destroy: true });
    assert.equal(attachment.instance_id, '${aws_instance.pool-jenkins-masters_instance[each.key].id}');
    assert.equal(attachment.volume_id, '${aws_ebs_volume.pool-jenkins-masters_data[each.key].id}');
    assert.equal(attachment.stop_instance_before_detaching, true, 'a mounted volume is never pulled from a running agent');
  });

  it('sizes the build pool Auto Scaling group by the pool count across the agent subnets', () => {
    const group = resources.aws_autoscaling_group['pool-builds_group'];
    assert.deepEqual([group.min_size, group.desired_capacity, group.max_size], [6, 6, 6]);
    assert.deepEqual(group.vpc_zone_identifier, topology.zones.map((z) => `\${aws_subnet.network_agents-${z.zone}.id}`));
    assert.deepEqual(group.suspended_processes, ['AZRebalance'], 'rebalancing would kill agents mid-build');
  });

  it('gives only the bastion a public address', () => {
    for (const [name, instance] of instances) {
      assert.equal(instance.associate_public_ip_address === true, name === 'bastion_instance', name);
    }
    assert.match(resources.aws_instance.bastion_instance.subnet_id, /network_public-/);
  });
});

describe('AWS stack: security groups', () => {
  const rulesInto = (group: string) => ingress.filter((r) => r.security_group_id === groupRef(group));
  const sources = (group: string, port: number) =>
    rulesInto(group)
      .filter((r) => r.from_port <= port && port <= r.to_port)
      .map((r) => r.cidr_ipv4 ?? r.referenced_security_group_id)
      .sort();

  it('opens no ingress to the whole internet and describes every rule', () => {
    for (const rule of ingress) {
      assert.notEqual(rule.cidr_ipv4, '0.0.0.0/0');
      assert.ok(rule.description && rule.description.length > 10, JSON.stringify(rule));
      assert.equal(rule.ip_protocol, 'tcp');
    }
  });

  it('lets only the admin CIDRs reach SSH on the bastion, the UIs and the HTTP redirect, and them and edge.cidrs the edge listener', () => {
    const admin = ingress.filter((r) => r.cidr_ipv4 !== undefined);
    assert.deepEqual(
      admin.map((r) => `${r.security_group_id} ${r.from_port} ${r.cidr_ipv4}`).sort(),
      [
        `${groupRef('bastion')} 22 198.51.100.0/24`,
        `${groupRef('load-balancer')} 5050 198.51.100.0/24`,
        `${groupRef('load-balancer')} 8080 198.51.100.0/24`,
        `${groupRef('ui-redirect')} 80 198.51.100.0/24`,
        `${groupRef('edge-listener')} 443 198.51.100.0/24`,
        `${groupRef('edge-listener')} 443 203.0.113.0/24`,
      ].sort(),
    );
  });

  it('keeps ZooKeeper peer and election ports among ZooKeeper servers', () => {
    assert.deepEqual(sources('zookeeper', PORTS.zookeeperPeer), [groupRef('zookeeper')]);
    assert.deepEqual(sources('zookeeper', PORTS.zookeeperElection), [groupRef('zookeeper')]);
    assert.deepEqual(sources('zookeeper', PORTS.zookeeperClient), ['marathon', 'mesos-agent', 'mesos-master', 'zookeeper'].map(groupRef));
  });

  it('lets the cluster, the load balancer, the edge and the bastion (UI tunnel) reach Mesos masters; only masters and the bastion reach agents on 5051', () => {
    assert.deepEqual(sources('mesos-master', PORTS.mesosMaster), ['bastion', 'edge', 'load-balancer', 'marathon', 'mesos-agent', 'mesos-master'].map(groupRef));
    assert.deepEqual(sources('mesos-agent', PORTS.mesosAgent), ['bastion', 'mesos-master'].map(groupRef));
    assert.deepEqual(sources('marathon', PORTS.marathonHttp), ['bastion', 'edge', 'load-balancer', 'marathon'].map(groupRef));
    assert.deepEqual(sources('marathon', PORTS.marathonLibprocess), [groupRef('mesos-master')]);
  });

  it('opens task ports only on agents, from Marathon and the edge; not from the masters, which call no framework back over HTTP', () => {
    for (const group of ['zookeeper', 'mesos-master', 'marathon', 'bastion', 'load-balancer', 'edge', 'edge-listener']) {
      assert.deepEqual(sources(group, 31000), [], group);
    }
    assert.deepEqual(sources('mesos-agent', 31500), ['edge', 'marathon'].map(groupRef));
  });

  it("opens to builds only their Jenkins masters' HTTP and inbound-agent ports, and no pool's task ports to another pool", () => {
    for (const pool of ['builds', 'jenkins-masters']) {
      assert.deepEqual(sources(`tasks-${pool}`, 31500), [], pool);
      assert.deepEqual(sources(`tasks-${pool}`, TASK_PORTS.from), [], pool);
      assert.deepEqual(sources(`tasks-${pool}`, TASK_PORTS.to), [], pool);
    }
    assert.deepEqual(sources('tasks-builds', PORTS.jenkinsHttp), []);
    for (const port of [PORTS.jenkinsHttp, PORTS.jenkinsInboundAgent]) {
      assert.deepEqual(sources('tasks-jenkins-masters', port), [groupRef('tasks-builds')], String(port));
      assert.deepEqual(sources('mesos-agent', port), ['edge', 'marathon'].map(groupRef), 'the edge still reaches the masters');
    }
    assert.deepEqual(rulesInto('tasks-jenkins-masters').map((r) => [r.from_port, r.to_port]), [
      [PORTS.jenkinsHttp, PORTS.jenkinsHttp],
      [PORTS.jenkinsInboundAgent, PORTS.jenkinsInboundAgent],
    ]);
  });

  it("puts each pool's agents in the shared agent group and their pool's own", () => {
    assert.deepEqual(resources.aws_launch_template['pool-builds_launch-template'].vpc_security_group_ids, [groupRef('mesos-agent'), groupRef('tasks-builds')]);
    assert.deepEqual(resources.aws_instance['pool-jenkins-masters_instance'].vpc_security_group_ids, [groupRef('mesos-agent'), groupRef('tasks-jenkins-masters')]);
  });

  it('allows SSH into cluster servers only from the bastion', () => {
    for (const group of ['zookeeper', 'mesos-master', 'marathon', 'mesos-agent', 'edge']) {
      assert.deepEqual(sources(group, PORTS.ssh), [groupRef('bastion')], group);
    }
  });

  it('lets the load balancer send only to the UIs it fronts', () => {
    const egress = Object.values(resources.aws_vpc_security_group_egress_rule).filter((r) => r.security_group_id === groupRef('load-balancer'));
    assert.deepEqual(egress.map((r) => `${r.from_port} ${r.referenced_security_group_id}`).sort(), [`5050 ${groupRef('mesos-master')}`, `8080 ${groupRef('marathon')}`]);
  });
});

describe('AWS stack: load balancer, outputs, provider, user-data', () => {
  it('fronts the Mesos and Marathon UIs with health checks on every server, the edge on 443 and the HTTP redirect on 80', () => {
    const listeners = Object.values(resources.aws_lb_listener).map((l) => l.port).sort((a, b) => a - b);
    assert.deepEqual(listeners, [80, 443, 5050, 8080]);
    const checks = Object.fromEntries(
      Object.entries(resources.aws_lb_target_group)
        .filter(([name]) => name.startsWith('ui_'))
        .map(([name, g]) => [name, [g.port, g.health_check.path, g.health_check.matcher]]),
    );
    // Only the leading master answers /master/roles with 200; standbys redirect to an address the admins cannot reach.
    // Marathon answers /ping with 401 without its basic credentials, which the load balancer does not have.
    assert.deepEqual(checks, { 'ui_mesos-targets': [5050, '/master/roles', '200'], 'ui_marathon-targets': [8080, '/ping', '200,401'] });
    assert.equal(Object.keys(resources.aws_lb_target_group_attachment).length, 6);
    assert.equal(resources.aws_lb['ui_load-balancer'].security_groups[0], groupRef('load-balancer'));
  });

  it('outputs the ZooKeeper connect string, the UI URLs and the bastion address', () => {
    assert.equal(json.output.zookeeper_connect.value, topology.zookeeper.connectString);
    assert.match(json.output.mesos_url.value, /^https:\/\/\$\{aws_lb\.ui_load-balancer\.dns_name\}:5050$/);
    assert.match(json.output.marathon_url.value, /:8080$/);
    assert.equal(json.output.bastion_address.value, '${aws_instance.bastion_instance.public_ip}');
  });

  it('accepts AWS provider 5.100 through 6.x and keeps state locally by default', () => {
    assert.deepEqual(json.terraform.required_providers.aws, { source: 'aws', version: '>= 5.100, < 7' });
    assert.deepEqual(json.terraform.backend, { local: { path: 'terraform.ci-aws.tfstate' } });
  });

  it('stores state in S3 when the cluster file says so', () => {
    const s3 = synthAws(exampleCluster({ backend: { type: 's3', bucket: 'tf-state', region: 'us-east-1' } })).json;
    assert.deepEqual(s3.terraform.backend.s3, { bucket: 'tf-state', key: 'ci-aws/terraform.tfstate', region: 'us-east-1', encrypt: true });
  });

  it('hands every instance and launch template its rendered document gzip-compressed, with no ${ for Terraform to read', () => {
    for (const server of topology.servers) {
      const instance = resources.aws_instance[`${server.name}_instance`];
      assert.equal(instance.user_data, undefined);
      assert.doesNotMatch(instance.user_data_base64, /\$\{/);
      assert.equal(decodeUserData(instance.user_data_base64), renderServerUserData(topology, server.name));
    }
    const agent = resources.aws_instance['pool-jenkins-masters_instance'].user_data_base64;
    assert.equal(decodeUserData(agent), renderPoolUserData(topology, 'jenkins-masters'));
    const template = resources.aws_launch_template['pool-builds_launch-template'].user_data;
    assert.equal(decodeUserData(template), renderPoolUserData(topology, 'builds'));
  });
});

describe('AWS stack: colocated control servers', () => {
  const colocated = exampleCluster({ colocate: true, zookeeper: { size: 'm5.xlarge' }, masters: undefined, marathon: undefined });
  const synthesized = synthAws(colocated).json.resource;

  it('runs ZooKeeper, master and Marathon on three control servers with all three groups', () => {
    const names = Object.keys(synthesized.aws_instance).filter((n) => n.startsWith('control-'));
    assert.deepEqual(names.sort(), ['control-1_instance', 'control-2_instance', 'control-3_instance']);
    for (const name of names) {
      const instance = synthesized.aws_instance[name];
      assert.deepEqual(instance.vpc_security_group_ids, ['zookeeper', 'mesos-master', 'marathon'].map(groupRef));
      assert.equal(instance.tags.services, 'zookeeper,mesos-master,marathon');
      assert.equal(instance.tags.role, 'control');
    }
    assert.equal(Object.keys(synthesized.aws_lb_target_group_attachment).length, 6);
  });
});

describe('AWS stack: synthesis', () => {
  it("writes the same stack without cdktf's preparing resolve pass, which only finds references to other stacks", () => {
    const stack = () => new AwsClusterStack(Testing.app(), cluster.name, { topology });
    const withPass = stack();
    TerraformStack.prototype.prepareStack.call(withPass);
    const without = stack();
    without.prepareStack();
    assert.equal(Testing.synth(without), Testing.synth(withPass));
    assert.deepEqual(without.node.findAll().filter((c) => c.node.id === 'backend').length, 1, 'the backend is still ensured');
  });
});
