/**
 * lib/emulator/python-interpreter.ts: through a wrapper that picks the interpreter at each start
 * (as pyenv's shims do), one start reports the interpreter itself and the AWS CLI beside it, so
 * later starts skip the wrapper.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { askPython } from '../../lib/emulator/python-interpreter';
import { assertToolAvailable, gateOn, missingTool } from '../support/tool-gate';

const missing = missingTool('python3', 'python3') ?? missingTool('aws', 'awscli');

describe('the Python the emulator and the AWS CLI run on, asked once through a wrapper', gateOn(missing), () => {
  const dir = mkdtempSync(join(tmpdir(), 'python-wrapper-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** A bash wrapper named `name` in `dir` that runs `target` (the interpreter or CLI PATH holds now). */
  function wrapper(name: string, target: string): string {
    const path = join(dir, name);
    writeFileSync(path, `#!/usr/bin/env bash\nexec ${JSON.stringify(target)} "$@"\n`);
    chmodSync(path, 0o755);
    return path;
  }

  it('names the interpreter, not the wrapper; the AWS CLI beside it, not its wrapper; and moto as the interpreter has it', () => {
    assertToolAvailable(missing);
    const real = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
    const realAws = execFileSync(real, ['-c', 'import os, shutil, sys; beside = os.path.join(os.path.dirname(sys.executable), "aws"); print(beside if os.access(beside, os.X_OK) else shutil.which("aws"))'], { encoding: 'utf8' }).trim();
    const python = wrapper('python3', real);
    const aws = wrapper('aws', realAws);
    const facts = askPython('python3', { ...process.env, PATH: `${dir}:${process.env.PATH}` });
    assert.equal(facts.executable, real);
    assert.notEqual(facts.executable, python);
    assert.ok(facts.awsCli !== undefined && facts.awsCli !== aws, `the AWS CLI's own entry, not the wrapper: ${facts.awsCli}`);
    const moto = execFileSync(real, ['-c', 'import importlib.util; print("yes" if importlib.util.find_spec("moto") else "no")'], { encoding: 'utf8' }).trim();
    assert.equal(facts.missingMotoModules.includes('moto'), moto === 'no');
  });

  it('falls back to the command as given when it does not start', () => {
    const facts = askPython(join(dir, 'no-such-python'), process.env);
    assert.equal(facts.executable, join(dir, 'no-such-python'));
    assert.equal(facts.awsCli, undefined);
    assert.ok(facts.missingMotoModules.includes('moto'));
  });
});
