import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { allFixtureDocuments, parseCloudConfig, REPO } from '../support/cloud-init-fixtures';
import { assertToolAvailable, gateOn, missingTool } from '../support/tool-gate';

const run = promisify(execFile);

/** The interpreter on the machine's cloud-init command's #! line: where its library is. */
function cloudInitPython(): string {
  const command = spawnSync('sh', ['-c', 'command -v cloud-init'], { encoding: 'utf8' }).stdout.trim();
  const shebang = /^#!\s*(\S+)/.exec(readFileSync(command, 'utf8').split('\n')[0]);
  if (!shebang) throw new Error(`${command}: no #! line`);
  return shebang[1];
}

/** Every rendered document, written once to a scratch folder as <cluster>-<node>.yaml. */
function writeDocuments(): { dir: string; files: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'cloud-config-'));
  const files = allFixtureDocuments().map((d) => {
    const file = join(dir, `${d.id.replace('/', '-')}.yaml`);
    writeFileSync(file, d.text);
    return file;
  });
  return { dir, files };
}

/**
 * The shell scripts of every document, deduplicated: write_files entries with a shebang (or, for
 * sourced libraries, shellcheck's shell directive), and runcmd/bootcmd string entries put together
 * as cloud-init does (one `sh` script).
 */
function writeScripts(): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'cloud-config-scripts-'));
  const scripts = new Map<string, string>();
  for (const document of allFixtureDocuments()) {
    const config = parseCloudConfig(document.text);
    // Shell scripts only: the edge's python3 generator has its own lint (edge-routes.test.ts).
    for (const file of config.write_files) if (/^(#!\/bin\/|# shellcheck shell=)(ba)?sh/.test(file.content)) scripts.set(hash(file.content), file.content);
    for (const list of [config.runcmd, config.bootcmd ?? []]) {
      const lines = list.map((entry) => (typeof entry === 'string' ? entry : entry.map(quote).join(' ')));
      if (lines.length > 0) scripts.set(hash(lines.join('\n')), `#!/bin/sh\n${lines.join('\n')}\n`);
    }
  }
  return [...scripts].map(([key, text]) => {
    const file = join(dir, `${key}.sh`);
    writeFileSync(file, text);
    return file;
  });
}

const hash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 12);
const quote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

describe('rendered cloud-config documents pass the real tools', () => {
  const noCloudInit = missingTool('cloud-init', 'cloud-init');
  it('cloud-init schema accepts every document', gateOn(noCloudInit), async () => {
    assertToolAvailable(noCloudInit);
    const { files } = writeDocuments();
    // One interpreter for every file (test/support/cloud-init-schema-batch.py makes the command's
    // own calls): a `cloud-init schema` process per file costs about a CPU-second each.
    const { stdout } = await run(cloudInitPython(), [join(__dirname, '..', 'support', 'cloud-init-schema-batch.py'), ...files], { maxBuffer: 16 * 1024 * 1024 });
    const lines = stdout.trim().split('\n');
    assert.deepEqual(lines.filter((line) => !line.startsWith('Valid cloud-config: ')), []);
    assert.deepEqual(lines.map((line) => line.replace('Valid cloud-config: ', '')).sort(), [...files].sort(), 'one verdict per document');
  });

  const noShellcheck = missingTool('shellcheck', 'shellcheck');
  it('shellcheck finds nothing in any script, at every severity', gateOn(noShellcheck), () => {
    assertToolAvailable(noShellcheck);
    const scripts = writeScripts();
    assert.ok(scripts.length >= 6, `expected the helper scripts and runcmd, found ${scripts.length}`);
    const result = spawnSync('shellcheck', ['--severity=style', '--format=gcc', ...scripts], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stdout + result.stderr);
  });

  const noYamllint = missingTool('yamllint', 'yamllint');
  it('yamllint accepts every document with the cloud-config settings', gateOn(noYamllint), () => {
    assertToolAvailable(noYamllint);
    const { dir } = writeDocuments();
    const result = spawnSync('yamllint', ['--strict', '-f', 'parsable', '-c', join(REPO, '.yamllint-cloud-init.yaml'), dir], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stdout + result.stderr);
  });
});
