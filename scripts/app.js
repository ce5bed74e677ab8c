'use strict';
/**
 * The cdktf app (`cdktf.json`, `npm run synth`): main.ts run as prebuilt JavaScript.
 *
 * - main.ts, the project's code and the packages it imports are bundled into one file with
 *   esbuild whenever a source it was built from (or package-lock.json) has changed. One file
 *   loads faster than the hundreds Node would otherwise find, read and compile one by one.
 * - The cluster-file validator is compiled ahead of time (Ajv standalone code, made as the
 *   commands' bundles make it: scripts/entry-bundle.js), so no synth loads Ajv's compiler or
 *   compiles the schema.
 * - V8's code cache for the bundle is kept next to it, so later runs skip parsing and compiling.
 *
 * Nothing is type-checked here: `npm test` and CI do that, and it costs seconds that every synth
 * would pay. Plain JavaScript, so that it runs without a compiler. `--build-only` builds and stops.
 */
const { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { dirname, join } = require('node:path');
const vm = require('node:vm');
const { esbuildBuild, precompiledSchemaValidator } = require('./entry-bundle');

const ROOT = join(__dirname, '..');
const OUT_DIR = join(ROOT, 'dist', 'app');
const BUNDLE = join(OUT_DIR, 'main.js');
/** The project sources the bundle was built from, with their sizes and modification times. */
const INPUTS = join(OUT_DIR, 'inputs.json');
const CODE_CACHE = join(OUT_DIR, 'main.js.v8-cache');

/** Size and modification time of every input: a checkout or an edit changes them; no hashing. */
function signature(files) {
  return files.map((file) => {
    try {
      const stat = statSync(join(ROOT, file));
      return `${file} ${stat.size} ${stat.mtimeMs}`;
    } catch {
      return `${file} missing`;
    }
  });
}

function isCurrent() {
  try {
    const { files, stamps } = JSON.parse(readFileSync(INPUTS, 'utf8'));
    return signature(files).join('\n') === stamps.join('\n');
  } catch {
    return false;
  }
}

/** Written aside and renamed: a synth running at the same moment never reads half a file. */
function writeAtomically(file, contents) {
  const aside = `${file}.${process.pid}.tmp`;
  writeFileSync(aside, contents);
  renameSync(aside, file);
}

async function build() {
  const schema = await precompiledSchemaValidator(OUT_DIR);
  const result = await esbuildBuild('main.ts', { outfile: BUNDLE, plugins: [schema.plugin] });
  // Packages are covered by the lock file; hashing their sources on every run would cost more.
  const ownSources = [...Object.keys(result.metafile.inputs), ...schema.inputs].filter((f) => !f.includes('node_modules/') && !f.includes(':'));
  const files = [...new Set([...ownSources, 'scripts/app.js', 'scripts/entry-bundle.js', 'package-lock.json'])].sort();
  mkdirSync(OUT_DIR, { recursive: true });
  rmSync(CODE_CACHE, { force: true });
  writeAtomically(BUNDLE, result.outputFiles[0].contents);
  writeAtomically(INPUTS, JSON.stringify({ files, stamps: signature(files) }));
}

/** Runs the bundle as a CommonJS module, compiled from V8's code cache when it has one. */
function run() {
  let cachedData;
  try {
    cachedData = readFileSync(CODE_CACHE);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(readFileSync(BUNDLE, 'utf8')), { filename: BUNDLE, cachedData });
  const module = new Module(BUNDLE, null);
  module.filename = BUNDLE;
  module.paths = Module._nodeModulePaths(OUT_DIR);
  script.runInThisContext().call(module.exports, module.exports, Module.createRequire(BUNDLE), module, BUNDLE, dirname(BUNDLE));
  // After the run, the cache also holds the functions the run compiled.
  if (cachedData === undefined || script.cachedDataRejected) writeAtomically(CODE_CACHE, script.createCachedData());
}

async function main() {
  if (!isCurrent()) await build();
  if (process.argv[2] !== '--build-only') run();
}

// process.exitCode, never process.exit(): output still on its way down a pipe must arrive.
main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
