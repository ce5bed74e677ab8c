import { describe, it } from 'node:test';
import { renderAllUserData } from '../../../lib/cloud-init';
import { buildTopology } from '../../../lib/model';
import { buildDockerAuthz } from '../../../lib/policy/rules/build-docker-authz';
import { exampleCluster } from '../../support/aws-synth';
import { assertFails, assertPasses } from '../../support/policy-fixtures';

const base64 = (text: string) => Buffer.from(text).toString('base64');
const documents = renderAllUserData(buildTopology(exampleCluster()));
const rendered = (name: string) => documents.find((d) => d.name === name)!.text;

describe('rule build-docker-authz', () => {
  it("passes the example's build pool; the Jenkins masters' Docker (role marathon, host network) is not judged", () => {
    assertPasses(buildDockerAuthz, {
      resource: {
        aws_launch_template: { builds: { user_data: base64(rendered('builds')) } },
        aws_instance: { 'jenkins-masters-1': { user_data: rendered('jenkins-masters') } },
      },
    });
  });

  it('fails a build pool whose daemon.json names no plugin, and one without the policy', () => {
    const noPlugin = rendered('builds').replace(/"authorization-plugins": \[\n\s*"opa-docker-authz"\n\s*\],/, '');
    const noPolicy = rendered('builds').replace(/package docker\.authz/, 'package docker.other');
    assertFails(
      buildDockerAuthz,
      { resource: { aws_launch_template: { 'no-plugin': { user_data: base64(noPlugin) }, 'no-policy': { user_data: base64(noPolicy) } } } },
      { 'aws_launch_template.no-plugin': /does not name the authorization plugin opa-docker-authz/, 'aws_launch_template.no-policy': /writes no policy \/etc\/docker\/authz\.rego/ },
    );
  });
});
