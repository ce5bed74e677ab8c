import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize } from 'node:path';
import { describe, it } from 'node:test';
import { documentationFiles, headingAnchors, proseLines, readText, relativeLinks } from './markdown-links';

const ROOT = join(__dirname, '..', '..');
const README_MAX_LINES = 250;

/** The `npm run X` (or `npm test`) of each row of README's command table. */
function commandTableScripts(readme: string): string[] {
  const lines = proseLines(readme).map(({ text }) => text);
  const start = lines.findIndex((text) => /^## Commands\b/.test(text));
  assert.ok(start >= 0, 'README has no "## Commands" section');
  const end = lines.findIndex((text, index) => index > start && /^## /.test(text));
  const rows = lines.slice(start, end < 0 ? undefined : end).filter((text) => /^\| `npm /.test(text));
  return rows.map((row) => {
    const match = /^\| `npm (?:run (\S+)|(test))\b/.exec(row);
    assert.ok(match, `command row names no npm script: ${row}`);
    return match[1] ?? match[2];
  });
}

describe('README', () => {
  const readme = readText(ROOT, 'README.md');

  it(`is at most ${README_MAX_LINES} lines`, () => {
    const lines = readme.replace(/\n$/, '').split('\n').length;
    assert.ok(lines <= README_MAX_LINES, `README.md has ${lines} lines; move detail into docs/`);
  });

  it('has a command-table row for exactly the scripts of package.json, each once', () => {
    const scripts = Object.keys(JSON.parse(readText(ROOT, 'package.json')).scripts).sort();
    const rows = commandTableScripts(readme);
    assert.equal(new Set(rows).size, rows.length, `a script has two rows: ${rows.join(', ')}`);
    assert.deepEqual([...rows].sort(), scripts);
  });

  it('shows a minimal cluster file that synthesizes and passes every policy rule', () => {
    const yaml = /^## A minimal cluster file\n[\s\S]*?^```yaml\n([\s\S]*?)^```$/m.exec(readme)?.[1];
    assert.ok(yaml, 'README has no yaml block under "## A minimal cluster file"');
    const name = /^name: (\S+)$/m.exec(yaml)?.[1];
    const dir = mkdtempSync(join(tmpdir(), 'readme-cluster-'));
    try {
      writeFileSync(join(dir, `${name}.yaml`), yaml);
      const outdir = join(dir, 'cdktf.out');
      const run = spawnSync(process.execPath, [join(ROOT, 'scripts', 'app.js')], {
        cwd: ROOT,
        env: { ...process.env, CLUSTERS_DIR: dir, CDKTF_OUTDIR: outdir },
        encoding: 'utf8',
      });
      assert.equal(run.status, 0, run.stdout + run.stderr);
      assert.ok(existsSync(join(outdir, 'stacks', `${name}`, 'cdk.tf.json')), run.stdout);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the documentation links', () => {
  it('point from README.md and docs/ to files and headings that exist', () => {
    const broken: string[] = [];
    for (const file of documentationFiles(ROOT)) {
      for (const { line, path, anchor } of relativeLinks(readText(ROOT, file))) {
        const target = path === '' ? file : normalize(join(dirname(file), path));
        const where = `${file}:${line}: ${path}${anchor ? `#${anchor}` : ''}`;
        if (!existsSync(join(ROOT, target))) broken.push(`${where}: no such file`);
        else if (anchor && target.endsWith('.md') && statSync(join(ROOT, target)).isFile() && !headingAnchors(readText(ROOT, target)).has(anchor)) {
          broken.push(`${where}: no such heading in ${target}`);
        }
      }
    }
    assert.deepEqual(broken, []);
  });
});

describe('scripts and units in the documentation', () => {
  it('are real files, not blocks: no fenced block in README.md or docs/ holds a shebang or a systemd section', () => {
    const inline: string[] = [];
    for (const file of documentationFiles(ROOT)) {
      const prose = new Set(proseLines(readText(ROOT, file)).map(({ line }) => line));
      readText(ROOT, file)
        .split('\n')
        .forEach((text, index) => {
          if (!prose.has(index + 1) && /^\s*(#!\/|\[(Unit|Service|Timer|Install|Socket|Path|Mount)\]\s*$)/.test(text)) inline.push(`${file}:${index + 1}: ${text.trim()}`);
        });
    }
    assert.deepEqual(inline, [], 'put the script or unit in a file of its own (shellcheck and systemd-analyze check them) and point to it');
  });
});

describe('the link checker', () => {
  it('gives headings GitHub\'s anchors and finds links outside code only', () => {
    assert.deepEqual([...headingAnchors('# OpenStack: Barbican\n## Role → files → flags\n## Backups\n## Backups\n```\n# not a heading\n```\n')], [
      'openstack-barbican',
      'role--files--flags',
      'backups',
      'backups-1',
    ]);
    const links = relativeLinks('[a](docs/x.md#y) [b](https://example.org) `[c](z.md)`\n```\n[d](w.md)\n```\n[e](#top)\n');
    assert.deepEqual(links, [
      { line: 1, path: 'docs/x.md', anchor: 'y' },
      { line: 5, path: '', anchor: 'top' },
    ]);
  });
});
