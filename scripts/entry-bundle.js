'use strict';
/**
 * A TypeScript entry (a command of lib/cli/, a script) bundled with esbuild into one JavaScript
 * file, kept in dist/entries/ and built again whenever the hash of the sources it was built from
 * changes. Tests that run a command run its bundle: one file loads in about a third of the CPU
 * that tsx needs to find, transform and load the hundreds of files behind a command (docs/test-lanes.md).
 *
 * - The key: a SHA-256 of the checkout's path and of every project file the last build read
 *   (from esbuild's metafile), plus package-lock.json (the packages) and this file (how it is
 *   built). An edit to any of them changes the key, so a stale bundle is never run; a file newly
 *   imported changes the file that imports it.
 * - Own sources keep their own `__dirname` and `__filename` (a command finds its templates,
 *   schemas and helper scripts beside its source, not beside the bundle).
 * - Nothing is type-checked or minified: the bundle runs the entry's own code, only loaded faster.
 *
 * `node scripts/entry-bundle.js <entry.ts>` builds the entry's bundle if it is stale and prints its
 * path. Plain JavaScript, so that it runs before anything is compiled.
 */
const { createHash } = require('node:crypto');
const { spawnSync } = require('node:child_process');
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { readFile } = require('node:fs/promises');
const { dirname, extname, isAbsolute, join, relative, sep } = require('node:path');

const ROOT = join(__dirname, '..');
const CACHE_DIR = join(ROOT, 'dist', 'entries');
/**
 * Entries whose packages stay outside the bundle, loaded from node_modules as usual: the binding
 * generator's packages resolve files of other packages at run time, which a bundle cannot hold.
 */
const PACKAGES_OUTSIDE = new Set(['scripts/generate-openstack-bindings.ts']);
/** Always part of the key, whatever the entry imports. */
const ALWAYS_KEYED = ['package-lock.json', relative(ROOT, __filename)];

/** The entry as a path inside the checkout (`lib/cli/render.ts`), or an error naming it. */
function entryPath(entry) {
  const path = relative(ROOT, isAbsolute(entry) ? entry : join(ROOT, entry));
  if (path.startsWith('..') || !path.endsWith('.ts')) throw new Error(`entry-bundle: ${entry}: expected a .ts file inside ${ROOT}`);
  return path;
}

function bundlePaths(entry) {
  const base = join(CACHE_DIR, entryPath(entry).replace(/\.ts$/, ''));
  return { bundle: `${base}.js`, inputs: `${base}.inputs.json` };
}

/** The key of the sources: each file's path and contents (undefined: missing, which counts too). */
function sourcesHash(contents) {
  const hash = createHash('sha256').update(`${ROOT}\0`);
  for (const file of Object.keys(contents).sort()) hash.update(`${file}\0`).update(contents[file] ?? '(missing)').update('\0');
  return hash.digest('hex');
}

function readNow(files) {
  return Object.fromEntries(
    files.map((file) => {
      try {
        return [file, readFileSync(join(ROOT, file))];
      } catch {
        return [file, undefined];
      }
    }),
  );
}

/** Whether the entry's bundle was built from the sources as they are now. */
function isFresh(entry) {
  try {
    const { files, hash } = JSON.parse(readFileSync(bundlePaths(entry).inputs, 'utf8'));
    return sourcesHash(readNow(files)) === hash;
  } catch {
    return false;
  }
}

/** Written aside and renamed: a process reading at the same moment never sees half a file. */
function writeAtomically(file, contents) {
  mkdirSync(dirname(file), { recursive: true });
  const aside = `${file}.${process.pid}.tmp`;
  writeFileSync(aside, contents);
  renameSync(aside, file);
}

const LOADERS = { '.ts': 'ts', '.js': 'js', '.cjs': 'js', '.json': 'json' };

/**
 * Loads the project's own sources, keeping what was read for the key (so an edit made while the
 * bundle is built leaves it stale), and gives each the `__dirname`/`__filename` of its own file
 * where it uses them.
 */
function ownSources(read) {
  return {
    name: 'own-sources',
    setup(build) {
      build.onLoad({ filter: /\.(ts|js|cjs|json)$/ }, async (args) => {
        if (args.path.split(sep).includes('node_modules')) return undefined;
        const bytes = await readFile(args.path);
        read[relative(ROOT, args.path)] = bytes;
        const source = bytes.toString('utf8');
        const loader = LOADERS[extname(args.path)];
        const location = { __dirname: dirname(args.path), __filename: args.path };
        const used = loader === 'json' ? [] : Object.keys(location).filter((name) => new RegExp(`\\b${name}\\b`).test(source));
        if (used.length === 0) return { contents: bytes, loader };
        return { contents: `const ${used.map((name) => `${name} = ${JSON.stringify(location[name])}`).join(', ')};\n${source}`, loader };
      });
    },
  };
}

/** What every bundle of this project is: one CommonJS file for Node, nothing minified. */
function esbuildBuild(entry, options) {
  return require('esbuild').build({
    absWorkingDir: ROOT,
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    metafile: true,
    logLevel: 'warning',
    ...options,
  });
}

/**
 * An esbuild plugin that stands in Ajv's standalone code for lib/model/schema-validator.ts: the
 * same validator, compiled ahead of time by that file's own compileClusterSchema (same schema,
 * same options), so a run neither loads Ajv's compiler nor compiles the schema.
 * test/app.test.ts holds it to the same problems as the compiled-at-run-time one.
 * `inputs`: the project files it was made from; `used()`: whether a build has taken it in.
 */
async function precompiledSchemaValidator(scratchDir) {
  const source = join(scratchDir, 'schema-validator-source.js');
  const built = await esbuildBuild('lib/model/schema-validator.ts', { outfile: source, packages: 'external' });
  const compiler = new Module(source);
  compiler.paths = Module._nodeModulePaths(ROOT);
  compiler._compile(built.outputFiles[0].text, source);
  const { ajv, validate } = compiler.exports.compileClusterSchema({ source: true });
  const standalone = require(require.resolve('ajv/dist/standalone', { paths: [ROOT] })).default;
  const code = `${standalone(ajv, validate)}\nmodule.exports.clusterSchemaValidator = () => module.exports;\n`;
  let taken = false;
  const plugin = {
    name: 'precompiled-schema-validator',
    setup(build) {
      // Only lib/model/schema-validator.ts, wherever it is imported from.
      build.onResolve({ filter: /\/schema-validator$/ }, (args) => {
        if (join(args.resolveDir, args.path) !== join(ROOT, 'lib', 'model', 'schema-validator')) return undefined;
        taken = true;
        return { path: 'schema-validator', namespace: 'precompiled' };
      });
      build.onLoad({ filter: /.*/, namespace: 'precompiled' }, () => ({ contents: code, loader: 'js', resolveDir: ROOT }));
    },
  };
  return { plugin, used: () => taken, inputs: Object.keys(built.metafile.inputs).filter((file) => !file.includes('node_modules/') && !file.includes(':')) };
}

/** Builds the entry's bundle and records the key of what it was built from. */
async function build(entry) {
  const path = entryPath(entry);
  const { bundle, inputs } = bundlePaths(path);
  const read = readNow(ALWAYS_KEYED);
  const schema = await precompiledSchemaValidator(dirname(bundle));
  const schemaInputs = readNow(schema.inputs);
  const result = await esbuildBuild(path, {
    plugins: [ownSources(read), schema.plugin],
    ...(PACKAGES_OUTSIDE.has(path) ? { packages: 'external' } : {}),
  });
  if (schema.used()) Object.assign(read, schemaInputs);
  // Packages are covered by the lock file; hashing their sources on every run would cost more.
  const own = Object.keys(result.metafile.inputs).filter((file) => !file.includes('node_modules/') && !file.includes(':'));
  // A project file esbuild read itself (none today) is keyed as it is now.
  Object.assign(read, readNow(own.filter((file) => !(file in read))));
  writeAtomically(bundle, result.outputFiles[0].contents);
  writeAtomically(inputs, JSON.stringify({ entry: path, files: Object.keys(read).sort(), hash: sourcesHash(read) }, null, 1));
  return bundle;
}

/**
 * The path of the entry's bundle, built first (in a child process: esbuild's plugins need its
 * asynchronous API) when the sources changed since the last build.
 */
function freshEntryBundle(entry) {
  if (isFresh(entry)) return bundlePaths(entry).bundle;
  const run = spawnSync(process.execPath, [__filename, entryPath(entry)], { cwd: ROOT, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`entry-bundle: could not bundle ${entry}:\n${run.stderr}`);
  return run.stdout.trim();
}

module.exports = { esbuildBuild, freshEntryBundle, precompiledSchemaValidator };

if (require.main === module) {
  const entry = process.argv[2];
  if (process.argv.length !== 3) {
    console.error('usage: node scripts/entry-bundle.js <entry.ts>');
    process.exitCode = 2;
  } else {
    (isFresh(entry) ? Promise.resolve(bundlePaths(entry).bundle) : build(entry)).then(
      (bundle) => console.log(bundle),
      (error) => {
        console.error(error.message);
        process.exitCode = 1;
      },
    );
  }
}
