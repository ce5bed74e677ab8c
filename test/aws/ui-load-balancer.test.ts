import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UI_TLS_POLICY } from '../../lib/aws/ui-load-balancer';
import { TLS_12_OR_NEWER } from '../../lib/policy/rules/load-balancer-https';
import { exampleCluster, synthAws } from '../support/aws-synth';

describe('AWS stack: UI load balancer over HTTPS', () => {
  it('serves every UI listener over HTTPS with a TLS 1.2+ policy and the cluster file\'s certificate', () => {
    const cluster = exampleCluster();
    const listeners = Object.values(synthAws(cluster).json.resource.aws_lb_listener);
    assert.equal(listeners.length, 3, 'Mesos, Marathon and the edge');
    for (const l of listeners) {
      assert.deepEqual([l.protocol, l.ssl_policy, l.certificate_arn], ['HTTPS', UI_TLS_POLICY, cluster.aws!.certificateArn]);
    }
    assert.match(UI_TLS_POLICY, TLS_12_OR_NEWER);
  });
});
