import { join } from 'node:path';
import { describe } from 'node:test';
import { EXAMPLE_FILE } from '../support/aws-synth';
import { outputDirCases } from '../support/output-dir-cases';

describe('npm run render refuses an output folder it cannot fill, all or nothing', () => {
  outputDirCases('render', join(__dirname, '..', '..', 'lib', 'cli', 'render.ts'), [EXAMPLE_FILE], 'bastion.yaml');
});
