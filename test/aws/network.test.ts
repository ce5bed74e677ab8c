import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exampleCluster, Resources, synthAws } from '../support/aws-synth';

const zones = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
const ref = (type: string, name: string) => `\${${type}.network_${name}.id}`;

/** The NAT gateway each zone's private route table sends 0.0.0.0/0 to, by zone. */
function natOfZone(resources: Resources): Record<string, string> {
  return Object.fromEntries(
    zones.map((zone) => {
      const table = resources.aws_route_table[`network_private-routes-${zone}`];
      const routes = table.route.filter((r: any) => r.cidr_block === '0.0.0.0/0');
      assert.equal(routes.length, 1, zone);
      return [zone, routes[0].nat_gateway_id];
    }),
  );
}

/** The route table each private subnet (control and agents) is associated with. */
function tableOfSubnet(resources: Resources): Record<string, string> {
  const associations = Object.values(resources.aws_route_table_association);
  return Object.fromEntries(
    zones.flatMap((zone) =>
      ['control', 'agents'].map((tier) => {
        const subnet = ref('aws_subnet', `${tier}-${zone}`);
        const found = associations.filter((a) => a.subnet_id === subnet);
        assert.equal(found.length, 1, subnet);
        return [`${tier}-${zone}`, found[0].route_table_id];
      }),
    ),
  );
}

describe('AWS network: NAT gateways, private routes and the S3 endpoint', () => {
  const single = synthAws(exampleCluster()).json.resource;
  const perZone = synthAws(exampleCluster({ aws: { natGateways: 'per-zone' } })).json.resource;

  it('by default: one NAT gateway in the first zone, used by every zone\'s own route table', () => {
    assert.deepEqual(Object.keys(single.aws_nat_gateway), ['network_nat-gateway-us-east-1a']);
    assert.equal(single.aws_nat_gateway['network_nat-gateway-us-east-1a'].subnet_id, ref('aws_subnet', 'public-us-east-1a'));
    const nat = ref('aws_nat_gateway', 'nat-gateway-us-east-1a');
    assert.deepEqual(natOfZone(single), Object.fromEntries(zones.map((z) => [z, nat])));
  });

  it('per-zone: each zone has its own NAT gateway in its public subnet and routes through it', () => {
    assert.deepEqual(Object.keys(perZone.aws_nat_gateway).sort(), zones.map((z) => `network_nat-gateway-${z}`));
    assert.equal(Object.keys(perZone.aws_eip).length, 3);
    for (const zone of zones) {
      assert.equal(perZone.aws_nat_gateway[`network_nat-gateway-${zone}`].subnet_id, ref('aws_subnet', `public-${zone}`));
    }
    assert.deepEqual(natOfZone(perZone), Object.fromEntries(zones.map((z) => [z, ref('aws_nat_gateway', `nat-gateway-${z}`)])));
  });

  it('associates a zone\'s control and agent subnets with that zone\'s route table, in both modes', () => {
    const expected = Object.fromEntries(
      zones.flatMap((z) => ['control', 'agents'].map((tier) => [`${tier}-${z}`, ref('aws_route_table', `private-routes-${z}`)])),
    );
    assert.deepEqual(tableOfSubnet(single), expected);
    assert.deepEqual(tableOfSubnet(perZone), expected);
  });

  it('switching to per-zone adds gateways and changes only routes: no subnet or association moves', () => {
    const same = (type: string) => assert.deepEqual(perZone[type], single[type], type);
    for (const type of ['aws_subnet', 'aws_route_table_association', 'aws_vpc', 'aws_vpc_endpoint']) same(type);
  });

  it('reaches S3 through a gateway endpoint on every private route table', () => {
    const endpoints = Object.values(single.aws_vpc_endpoint);
    assert.equal(endpoints.length, 1);
    assert.equal(endpoints[0].service_name, 'com.amazonaws.us-east-1.s3');
    assert.equal(endpoints[0].vpc_endpoint_type, 'Gateway');
    assert.deepEqual(endpoints[0].route_table_ids, zones.map((z) => ref('aws_route_table', `private-routes-${z}`)));
  });
});
