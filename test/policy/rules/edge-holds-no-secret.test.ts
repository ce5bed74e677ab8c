import { describe, it } from 'node:test';
import { edgeHoldsNoSecret } from '../../../lib/policy/rules/edge-holds-no-secret';
import { assertFails, assertPasses, cloudConfig } from '../../support/policy-fixtures';

const EDGE = { CLUSTER_NODE_ROLE: 'edge', CLUSTER_SERVICES: 'edge' };
const UNIT = { '/etc/systemd/system/mesos-cluster-edge.service': 'ExecStart=/usr/bin/python3 edge-routes --masters 10.0.0.10:5050\n' };

describe('rule edge-holds-no-secret', () => {
  it("passes an edge whose user-data has no secret template or manifest; other nodes' secrets are not its business", () => {
    assertPasses(edgeHoldsNoSecret, {
      resource: {
        aws_launch_template: { edge: { user_data: cloudConfig(EDGE, UNIT) } },
        aws_instance: { marathon: { user_data: cloudConfig({ CLUSTER_NODE_ROLE: 'marathon' }, { '/etc/mesos-cluster/secret-templates/marathon.env': 'MARATHON_HTTP_CREDENTIALS=operator:{{marathon/http-password}}' }) } },
      },
    });
  });

  it('passes an edge that fetches the cluster CA\'s certificate alone, with its manifest', () => {
    const files = { ...UNIT, '/etc/mesos-cluster/secret-templates/tls-ca.pem': '{{tls/ca-cert}}', '/etc/mesos-cluster/secrets.manifest': 'tls-ca.pem' };
    assertPasses(edgeHoldsNoSecret, { resource: { aws_launch_template: { edge: { user_data: cloudConfig(EDGE, files) } } } });
  });

  it("passes an edge that fetches the CA's certificate and its own TLS certificate (tls.mesos: the masters require one)", () => {
    const files = {
      ...UNIT,
      '/etc/mesos-cluster/secret-templates/tls-ca.pem': '{{tls/ca-cert}}',
      '/etc/mesos-cluster/secret-templates/tls-edge.pem': '{{tls/edge}}',
      '/etc/mesos-cluster/secrets.manifest': 'tls-ca.pem tls-edge.pem',
    };
    assertPasses(edgeHoldsNoSecret, { resource: { aws_launch_template: { edge: { user_data: cloudConfig(EDGE, files) } } } });
  });

  it("fails an edge that fetches a master's certificate and key beside its own", () => {
    const files = { ...UNIT, '/etc/mesos-cluster/secret-templates/tls-edge.pem': '{{tls/edge}}', '/etc/mesos-cluster/secret-templates/tls-server.pem': '{{tls/master}}', '/etc/mesos-cluster/secrets.manifest': 'tls-edge.pem tls-server.pem' };
    assertFails(edgeHoldsNoSecret, { resource: { aws_launch_template: { edge: { user_data: cloudConfig(EDGE, files) } } } }, { 'aws_launch_template.edge': /templates the secrets tls\/master$/ });
  });

  it('fails an edge that fetches the CA\'s key beside its certificate', () => {
    const files = { ...UNIT, '/etc/mesos-cluster/secret-templates/tls-ca.pem': '{{tls/ca-cert}}', '/etc/mesos-cluster/secret-templates/ca': '{{tls/ca}}', '/etc/mesos-cluster/secrets.manifest': 'tls-ca.pem ca' };
    assertFails(edgeHoldsNoSecret, { resource: { aws_launch_template: { edge: { user_data: cloudConfig(EDGE, files) } } } }, { 'aws_launch_template.edge': /templates the secrets tls\/ca$/ });
  });

  it("fails an edge handed Marathon's password template, and one with a secrets manifest", () => {
    assertFails(
      edgeHoldsNoSecret,
      {
        resource: {
          aws_launch_template: {
            templated: { user_data: cloudConfig(EDGE, { ...UNIT, '/etc/mesos-cluster/secret-templates/edge-marathon-credentials': 'operator:{{marathon/http-password}}' }) },
            manifest: { user_data: cloudConfig(EDGE, { '/etc/mesos-cluster/secrets.manifest': '# nothing yet' }) },
          },
        },
      },
      { 'aws_launch_template.templated': /templates the secrets marathon\/http-password/, 'aws_launch_template.manifest': /secrets manifest/ },
    );
  });
});
