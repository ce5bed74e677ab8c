import { describe, it } from 'node:test';
import { renderAllUserData } from '../../../lib/cloud-init';
import { buildTopology } from '../../../lib/model';
import { agentMetadataGuard } from '../../../lib/policy/rules/agent-metadata-guard';
import { exampleCluster } from '../../support/aws-synth';
import { assertFails, assertPasses, cloudConfig } from '../../support/policy-fixtures';

const base64 = (text: string) => Buffer.from(text).toString('base64');
const documents = renderAllUserData(buildTopology(exampleCluster()));
const rendered = (name: string) => documents.find((d) => d.name === name)!.text;

describe('rule agent-metadata-guard', () => {
  it("passes the example's agent pools, and leaves servers alone", () => {
    assertPasses(agentMetadataGuard, {
      resource: {
        aws_launch_template: { builds: { user_data: base64(rendered('builds')) } },
        aws_instance: { 'jenkins-masters-1': { user_data: rendered('jenkins-masters') }, 'master-1': { user_data: rendered('master-1') } },
      },
    });
  });

  it('fails an agent without the guard, and one whose guard lets every user through', () => {
    const open = rendered('builds').replace(/-m owner ! --uid-owner 0 /, '');
    assertFails(
      agentMetadataGuard,
      {
        resource: {
          aws_instance: { bare: { user_data: cloudConfig({ CLUSTER_NODE_ROLE: 'mesos-agent', CLUSTER_SERVICES: 'mesos-agent' }) } },
          aws_launch_template: { open: { user_data: base64(open) } },
        },
      },
      { 'aws_instance.bare': /writes no \/etc\/systemd\/system\/mesos-cluster-metadata-guard\.service/, 'aws_launch_template.open': /does not refuse the metadata service to non-root users/ },
    );
  });
});
