import { join } from 'node:path';
import { describe } from 'node:test';
import { jenkinsMasters } from '../../lib/apps/jenkins-master-app';
import { CLOUD_RULES } from '../../lib/cli/cloud-registry';
import { buildTopology, loadClusterFile } from '../../lib/model';
import { EXAMPLE_FILE } from '../support/aws-synth';
import { outputDirCases } from '../support/output-dir-cases';

const lastMaster = jenkinsMasters(buildTopology(loadClusterFile(EXAMPLE_FILE, CLOUD_RULES))).at(-1)!;

describe('npm run apps refuses an output folder it cannot fill, all or nothing', () => {
  outputDirCases('apps', join(__dirname, '..', '..', 'lib', 'cli', 'apps.ts'), [EXAMPLE_FILE], `${lastMaster.agent.name}.casc.yaml`);
});
