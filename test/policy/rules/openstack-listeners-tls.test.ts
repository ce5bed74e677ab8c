import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openstackListenersTls } from '../../../lib/policy/rules/openstack-listeners-tls';
import { assertFails, assertPasses, evaluate, ref } from '../../support/policy-fixtures';

const CERT = 'https://barbican.example.net:9311/v1/containers/x';
const https = { protocol: 'TERMINATED_HTTPS', default_tls_container_ref: CERT };
const redirect = (listener: string, prefix: string) => ({ listener_id: ref(listener), action: 'REDIRECT_PREFIX', redirect_prefix: prefix });

describe('rule openstack-listeners-tls', () => {
  it('passes TERMINATED_HTTPS listeners and an HTTP listener without pool that redirects to https://', () => {
    assertPasses(openstackListenersTls, {
      resource: {
        openstack_lb_listener_v2: { marathon: https, http: { protocol: 'HTTP' } },
        openstack_lb_pool_v2: { marathon: { listener_id: ref('openstack_lb_listener_v2.marathon') } },
        openstack_lb_l7policy_v2: { http: redirect('openstack_lb_listener_v2.http', 'https://203.0.113.7') },
      },
    });
  });

  it('fails an HTTP listener with a pool (the old UI listeners), a redirect to http:// and TLS without a certificate', () => {
    assertFails(
      openstackListenersTls,
      {
        resource: {
          openstack_lb_listener_v2: { mesos: { protocol: 'HTTP' }, plain: { protocol: 'HTTP' }, nocert: { protocol: 'TERMINATED_HTTPS' } },
          openstack_lb_pool_v2: { mesos: { listener_id: ref('openstack_lb_listener_v2.mesos') } },
          openstack_lb_l7policy_v2: { plain: redirect('openstack_lb_listener_v2.plain', 'http://203.0.113.7') },
        },
      },
      { 'openstack_lb_listener_v2.mesos': /HTTP that forwards traffic in clear/, 'openstack_lb_listener_v2.plain': /in clear/, 'openstack_lb_listener_v2.nocert': /no default_tls_container_ref/ },
    );
    assert.ok(evaluate(openstackListenersTls, { resource: { openstack_lb_listener_v2: { tcp: { protocol: 'TCP' } } } }).every((r) => r.outcome === 'non-compliant'));
  });
});
