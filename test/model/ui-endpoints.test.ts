import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { firewallRules, PLAIN_UIS, PORTS, uiEndpoints } from '../../lib/model';

describe('uiEndpoints and the firewall under tls', () => {
  it('without tls fronts the Mesos UI over HTTP to 5050 and Marathon over HTTP to 8080', () => {
    assert.deepEqual(uiEndpoints(PLAIN_UIS).map((ui) => [ui.name, ui.targetProtocol, ui.targetPort]), [['mesos', 'HTTP', PORTS.mesosMaster], ['marathon', 'HTTP', PORTS.marathonHttp]]);
  });

  it('with tls.mesos fronts no Mesos UI; with tls.marathon too, Marathon over HTTPS to 8443', () => {
    assert.deepEqual(uiEndpoints({ mesos: true, marathon: false }).map((ui) => ui.name), ['marathon']);
    assert.deepEqual(uiEndpoints({ mesos: true, marathon: true }).map((ui) => [ui.name, ui.targetProtocol, ui.targetPort]), [['marathon', 'HTTPS', PORTS.marathonHttps]]);
  });

  it('with tls.mesos no rule admits the load balancer to the masters or the admin CIDRs to its 5050; the edge and the bastion keep 5050', () => {
    const onMesosPort = (tls: { mesos: boolean; marathon: boolean }) =>
      firewallRules(tls).filter((r) => r.fromPort === PORTS.mesosMaster && (r.from === 'load-balancer' || r.to === 'load-balancer')).map((r) => `${r.from}>${r.to}`);
    assert.deepEqual(onMesosPort(PLAIN_UIS), ['admin>load-balancer', 'load-balancer>mesos-master']);
    assert.deepEqual(onMesosPort({ mesos: true, marathon: true }), []);
    const intoMasters = firewallRules({ mesos: true, marathon: true }).filter((r) => r.to === 'mesos-master' && r.fromPort === PORTS.mesosMaster).map((r) => r.from);
    assert.ok(intoMasters.includes('edge') && intoMasters.includes('bastion'), intoMasters.join(','));
  });
});
