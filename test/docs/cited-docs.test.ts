import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { headingAnchors } from './markdown-links';

const ROOT = join(__dirname, '..', '..');

/** Where messages users see and comments operators read cite the documentation. */
const CITING_PLACES = ['main.ts', 'lib', 'cloud-init', 'image', 'scripts', 'bench', '.github'];

/** A project path under docs/ with an extension, and an optional `#anchor`; not part of a longer path or URL. */
const DOCS_PATH = /(?<![\w./-])(docs\/[\w-]+(?:\/[\w-]+)*\.[a-z]+)(?:#([\w-]+))?/g;

/** Upstream's own docs/ (`apache/mesos@1.11.0 docs/roles.md`): a line naming `<owner>/<repo>@<ref>` cites another repository. */
const UPSTREAM_REPOSITORY = /[\w-]+\/[\w.-]+@[\w.-]+/;

/** A README section cited by name (`README "X"`, `README, "X"`) or README cited for what now lives in docs/ (`(README)`). */
const README_SECTION = /\bREADME,?\s*\\?"|\(README\)/;

interface Citation {
  readonly where: string;
  readonly path: string;
  readonly anchor?: string;
}

/** A file as itself, a folder as every file below it; generated bindings left out. */
function filesAt(place: string): string[] {
  const full = join(ROOT, place);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [place];
  return readdirSync(full, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)))
    .filter((file) => !file.includes('/generated/'));
}

function citingFiles(): string[] {
  return CITING_PLACES.flatMap(filesAt);
}

function linesOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return text.includes('\0') ? [] : text.split('\n');
}

function citationsIn(file: string, lines: readonly string[]): Citation[] {
  return lines.flatMap((line, index) =>
    UPSTREAM_REPOSITORY.test(line) ? [] : [...line.matchAll(DOCS_PATH)].map((m) => ({ where: `${file}:${index + 1}`, path: m[1], anchor: m[2] })),
  );
}

describe('docs/ paths cited in the code, scripts and templates', () => {
  const citations = citingFiles().flatMap((file) => citationsIn(file, linesOf(file)));

  it('finds the citations (the check has something to hold), and skips an upstream repository\'s docs/', () => {
    assert.ok(citations.some((c) => c.where.startsWith('lib/plan/messages.ts:') && c.path === 'docs/pull-request-checks.md'));
    assert.ok(citations.some((c) => c.where.startsWith('cloud-init/') && c.anchor !== undefined));
    assert.deepEqual(citationsIn('x.ts', ['from apache/mesos@1.11.0 docs/roles.md and docs/attributes-resources.md', 'see docs/a.md#b.']), [
      { where: 'x.ts:2', path: 'docs/a.md', anchor: 'b' },
    ]);
  });

  it('name files that exist, and headings that exist in them', () => {
    const broken = citations.flatMap(({ where, path, anchor }) => {
      if (!existsSync(join(ROOT, path))) return [`${where}: ${path}: no such file`];
      if (anchor !== undefined && !headingAnchors(readFileSync(join(ROOT, path), 'utf8')).has(anchor)) return [`${where}: ${path}#${anchor}: no such heading`];
      return [];
    });
    assert.deepEqual(broken, []);
  });

  it('cite no README section by name: the sections live in docs/, cite the docs file and its heading', () => {
    const stale = citingFiles().flatMap((file) =>
      linesOf(file).flatMap((line, index) => (README_SECTION.test(line) ? [`${file}:${index + 1}: ${line.trim()}`] : [])),
    );
    assert.deepEqual(stale, []);
  });
});
