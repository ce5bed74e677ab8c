import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mesosUrl } from '../../lib/terraform/mesos-url';

const loadBalancer = 'https://lb.example:5050';
const edge = 'https://lb.example';
const masterAddress = '10.20.1.10';

describe('mesosUrl', () => {
  it('without tls.mesos: the load balancer\'s Mesos listener, or a master over HTTP without a load balancer', () => {
    assert.deepEqual(mesosUrl({ tls: false, loadBalancer, edge, masterAddress }), { url: loadBalancer, description: 'Mesos UI (admin CIDRs only)' });
    assert.equal(mesosUrl({ tls: false, masterAddress }).url, 'http://10.20.1.10:5050');
  });

  it('with tls.mesos and an edge: the edge\'s /mesos/ route, never the load balancer\'s 5050', () => {
    const { url, description } = mesosUrl({ tls: true, loadBalancer, edge, masterAddress });
    assert.equal(url, 'https://lb.example/mesos/');
    assert.match(description, /edge/);
  });

  it('with tls.mesos and no edge: a master over HTTPS through the bastion, the description naming tls/operator', () => {
    for (const sources of [{ tls: true, loadBalancer, masterAddress }, { tls: true, masterAddress }]) {
      const { url, description } = mesosUrl(sources);
      assert.equal(url, 'https://10.20.1.10:5050');
      assert.match(description, /bastion.*tls\/operator/);
    }
  });
});
