import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { preProcessFile } from 'typescript';

const ROOT = join(__dirname, '..');

/**
 * The layers of lib/, top first. A file may import its own folder and any layer below its own,
 * never its own layer's other folders or a layer above: so the command layer is the only way in
 * from the top, the stacks and the day-two tools stand side by side, and the model imports
 * nothing of the project. A new folder is placed here on purpose.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['cli'], // the commands: parse arguments, load clusters, call one library, set the exit code
  ['cluster-app.ts'], // the cdktf app's stack and checks per cloud (main.ts)
  ['roll'], // replaces drifted servers one at a time, with verify's checks before and after each
  ['verify', 'sandbox'], // day-two tools over the ones below: verify (secrets' SSM store, apps' Jenkins masters), sandbox (plan's code on the emulator)
  ['aws', 'openstack', 'policy', 'plan', 'secrets', 'apps', 'state'], // each cloud's stack; checks; day-two tools
  ['terraform'], // what both stacks share: the preamble (which renders user-data), backend, outputs, ids
  ['cloud-init'], // each node's documents, rendered from the model
  ['model', 'emulator', 'memo-by-text.ts', 'write-atomically.ts'], // the ground
];

/** The place in lib/ of a path under it: its folder, or the file for one directly in lib/. */
function placeOf(file: string): string {
  return relative(join(ROOT, 'lib'), file).split('/')[0];
}

function layerOf(place: string): number {
  const layer = LAYERS.findIndex((places) => places.includes(place));
  assert.notEqual(layer, -1, `lib/${place} is in no layer: add it to LAYERS in test/import-layers.test.ts, below everything it imports`);
  return layer;
}

/** The project's own TypeScript files in lib/, generated bindings left out (they import only cdktf). */
function libFiles(dir = join(ROOT, 'lib')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' ? [] : libFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every relative import of a file (import, export from, require, import()), as TypeScript reads them, as the file it names. */
function localImports(file: string): string[] {
  const { importedFiles } = preProcessFile(readFileSync(file, 'utf8'), true, true);
  return importedFiles
    .map((i) => i.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => {
      const base = resolve(dirname(file), name);
      return [`${base}.ts`, join(base, 'index.ts')].find((candidate) => existsSync(candidate)) ?? base;
    });
}

interface Arrow {
  readonly from: string;
  readonly to: string;
}

/** Every import from one place of lib/ into another (files outside lib/, such as the schema, left out). */
function arrowsBetweenPlaces(): Arrow[] {
  return libFiles().flatMap((file) =>
    localImports(file)
      .filter((target) => !relative(join(ROOT, 'lib'), target).startsWith('..') && placeOf(target) !== placeOf(file))
      .map((target) => ({ from: relative(ROOT, file), to: relative(ROOT, target) })),
  );
}

describe('imports in lib/ run only down the layers', () => {
  const arrows = arrowsBetweenPlaces();

  it('reads the imports between places (the check has something to hold)', () => {
    assert.ok(arrows.some((a) => a.from.startsWith('lib/cli/') && a.to.startsWith('lib/model')));
    assert.ok(arrows.some((a) => a.from.startsWith('lib/aws/') && a.to.startsWith('lib/terraform/')));
  });

  it('every place of lib/ stands in one layer', () => {
    for (const file of libFiles()) layerOf(placeOf(file));
  });

  it("every import goes to a lower layer: none back up, none across to a neighbour's folder", () => {
    const wrong = arrows.filter((a) => layerOf(placeOf(join(ROOT, a.to))) <= layerOf(placeOf(join(ROOT, a.from))));
    assert.deepEqual(wrong.map((a) => `${a.from} -> ${a.to}`), []);
  });

  it('nothing in lib/ but the command layer imports lib/cli, and lib/model imports nothing of lib/ outside itself', () => {
    assert.deepEqual(arrows.filter((a) => a.to.startsWith('lib/cli/')).map((a) => a.from), []);
    assert.deepEqual(arrows.filter((a) => a.from.startsWith('lib/model/')).map((a) => a.to), []);
  });
});

/** The import circles among lib/'s files, each as the files it runs through (type-only imports count: they still tie the files). */
function importCircles(): string[][] {
  const edges = new Map(libFiles().map((file) => [file, localImports(file).filter((target) => target.endsWith('.ts') && existsSync(target))]));
  const circles: string[][] = [];
  const done = new Set<string>();
  const walk = (file: string, path: string[]): void => {
    const at = path.indexOf(file);
    if (at !== -1) {
      circles.push(path.slice(at).map((f) => relative(ROOT, f)));
      return;
    }
    if (done.has(file)) return;
    for (const next of edges.get(file) ?? []) walk(next, [...path, file]);
    done.add(file);
  };
  for (const file of edges.keys()) walk(file, []);
  return circles;
}

describe('imports in lib/ run in no circle', () => {
  it('no file reaches itself through its imports, not even inside one folder', () => {
    assert.deepEqual(importCircles(), []);
  });
});
