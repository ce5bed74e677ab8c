import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { MARATHON_HTTP_PASSWORD_SECRET } from '../../lib/model';
import { CloudConfig, fixtureTopologies, renderAll } from '../support/cloud-init-fixtures';

const UNIT = '/etc/systemd/system/mesos-cluster-edge.service';

describe('the edge document: no credential, and the admin networks and load balancer subnets for /mesos and /marathon', () => {
  for (const { name, topology } of fixtureTopologies()) {
    const edge = renderAll(topology).find((d) => d.kind === 'edge')!;
    const config = parse(edge.text) as CloudConfig;
    const unit = config.write_files.find((f) => f.path === UNIT)!.content;
    const argument = (flag: string) => unit.match(new RegExp(`${flag} (\\S+)`))?.[1];

    it(`${name}: holds no secret of Marathon or Mesos and fetches none at boot`, () => {
      assert.deepEqual(config.write_files.map((f) => f.path).filter((p) => p.startsWith('/etc/mesos-cluster/secrets')), []);
      assert.ok(!config.runcmd.some((step) => JSON.stringify(step).includes('fetch-secrets')), 'no fetch-secrets step');
      assert.doesNotMatch(unit, /--credentials/);
      for (const secret of [MARATHON_HTTP_PASSWORD_SECRET, 'mesos-secret', 'edge-marathon-credentials']) assert.ok(!edge.text.includes(secret), secret);
    });

    it(`${name}: the route generator reads the masters, not Marathon's API, and knows Marathon's framework by its principal`, () => {
      assert.equal(argument('--masters'), topology.mesos.masters.map((m) => `${m.privateIp}:5050`).join(','));
      assert.equal(argument('--marathon-principal'), 'marathon');
      assert.equal(argument('--marathon-framework'), 'marathon');
    });

    it(`${name}: /mesos and /marathon for network.adminCidrs, the client believed only from the public subnets (the load balancer's)`, () => {
      assert.equal(argument('--admin-cidrs'), topology.cluster.network.adminCidrs.join(','));
      assert.equal(argument('--load-balancer-cidrs'), topology.zones.map((z) => z.publicCidr).join(','));
    });
  }
});
