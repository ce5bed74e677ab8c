import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO } from '../support/cloud-init-fixtures';
import { assertToolAvailable, gateOn, missingTool } from '../support/tool-gate';

const SCRIPT = join(REPO, 'image/mesos-package/build-mesos.sh');
const PATCH = join(REPO, 'image/mesos-package/debian12.patch');
const UNBUNDLED = ['grpc-1.10.0', 'protobuf-3.5.0', 'zookeeper-3.4.8', 'libarchive-3.3.2', 'gperftools-2.5'];

/** Each patched file as the patch says it looked before: its hunks' context and removed lines. */
function preImages(patch: string): Map<string, string> {
  const files = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of patch.split('\n')) {
    const target = /^--- a\/(.+)$/.exec(line);
    if (target) {
      current = [];
      files.set(target[1], current);
    } else if (current && line.startsWith('@@')) {
      current.push('/* another hunk follows */');
    } else if (current && (line.startsWith(' ') || line.startsWith('-')) && !line.startsWith('---')) {
      current.push(line.slice(1));
    }
  }
  return new Map([...files].map(([path, lines]) => [path, `${lines.join('\n')}\n`]));
}

/**
 * A stand-in for the Mesos 1.11.0 source: only the files the recipe reads or patches, each made
 * of the patch's own pre-images, with the five bundled tarballs the recipe leaves out.
 */
function sourceTree(version = '1.11.0'): string {
  const dir = mkdtempSync(join(tmpdir(), 'mesos-source-'));
  for (const [path, text] of preImages(readFileSync(PATCH, 'utf8'))) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), path === 'configure.ac' ? `AC_INIT([mesos], [${version}])\n${text}` : text);
  }
  mkdirSync(join(dir, 'support/packaging/common'), { recursive: true });
  writeFileSync(join(dir, 'support/packaging/common/mesos-init-wrapper'), '#!/bin/bash\n# stand-in: agent spelling, /etc/mesos-agent\n');
  for (const name of UNBUNDLED) writeFileSync(join(dir, `3rdparty/${name}.tar.gz`), 'bundled\n');
  return dir;
}

function build(args: string[]) {
  return spawnSync('bash', [SCRIPT, ...args], { encoding: 'utf8' });
}

/** Every file of a tree with its content, to show a run left it as it was. */
function snapshot(dir: string): string {
  const listed = spawnSync('sh', ['-c', 'cd "$1" && find . -type f | sort | xargs sha256sum', 'sh', dir], { encoding: 'utf8' });
  return listed.stdout;
}

describe('image/mesos-package/build-mesos.sh', () => {
  const noShellcheck = missingTool('shellcheck', 'shellcheck');

  it('is valid bash, and shellcheck finds nothing at every severity', gateOn(noShellcheck), () => {
    assertToolAvailable(noShellcheck);
    const syntax = spawnSync('bash', ['-n', SCRIPT], { encoding: 'utf8' });
    assert.equal(syntax.status, 0, syntax.stderr);
    const lint = spawnSync('shellcheck', ['--severity=style', '--format=gcc', SCRIPT], { encoding: 'utf8' });
    assert.equal(lint.status, 0, lint.stdout + lint.stderr);
  });

  it('--dry-run checks that the patch applies, then prints the build with system gRPC, protobuf, ZooKeeper, libarchive, libevent and SSL, changing nothing', () => {
    const source = sourceTree();
    const out = join(mkdtempSync(join(tmpdir(), 'mesos-out-')), 'out');
    const before = snapshot(source);
    const run = build(['--dry-run', source, out]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /build-mesos: source .* is Mesos 1\.11\.0; debian12\.patch applies/);
    const configure = run.stdout.split('\n').find((line) => line.includes('../configure'));
    assert.ok(configure, run.stdout);
    for (const flag of ['--prefix=/usr', '--enable-ssl', '--enable-libevent', '--disable-java', '--disable-python', '--with-grpc=/usr', '--with-protobuf=/usr', '--with-zookeeper=/usr', '--with-libarchive=/usr', '--with-libevent=/usr']) {
      assert.ok(configure.split(' ').includes(flag), `${flag} in ${configure}`);
    }
    for (const name of UNBUNDLED) assert.match(run.stdout, new RegExp(`^\\+ rm -f \\S+/3rdparty/${name.replace(/\./g, '\\.')}\\.tar\\.gz$`, 'm'));
    assert.match(run.stdout, /^\+ patch --batch --forward --fuzz=0 -p1 -d \S+ -i \S+\/debian12\.patch$/m);
    assert.match(run.stdout, /^\+ dpkg-deb --root-owner-group -Zxz --build \S+\/root \S+\/mesos_1\.11\.0-1\.debian12_amd64\.deb$/m);
    assert.match(run.stdout, /dry run: nothing was built/);
    assert.equal(snapshot(source), before, 'the source folder is untouched');
    assert.equal(existsSync(out), false, 'a dry run creates no output folder');
  });

  it('--java builds the JNI part with a JDK, Maven and Debian\'s protobuf jar', () => {
    const run = build(['--dry-run', '--java', sourceTree(), join(tmpdir(), 'unused')]);
    assert.equal(run.status, 0, run.stderr);
    const configure = run.stdout.split('\n').find((line) => line.includes('../configure')) ?? '';
    assert.match(configure, / --enable-java JAVA_HOME=\/usr\/lib\/jvm\/java-17-openjdk-amd64 PROTOBUF_JAR=\/usr\/share\/java\/protobuf\.jar /);
    assert.doesNotMatch(configure, /--disable-java/);
  });

  it('refuses a source the patch was already applied to, and a source of another Mesos version', () => {
    const patched = sourceTree();
    const applied = spawnSync('patch', ['-p1', '--fuzz=0', '-d', patched, '-i', PATCH], { encoding: 'utf8' });
    assert.equal(applied.status, 0, applied.stdout + applied.stderr);
    const again = build(['--dry-run', patched, join(tmpdir(), 'unused')]);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /build-mesos: debian12\.patch does not apply cleanly to '.+' \(already patched, or not the 1\.11\.0 source\)/);

    const older = build(['--dry-run', sourceTree('1.10.0'), join(tmpdir(), 'unused')]);
    assert.equal(older.status, 1);
    assert.match(older.stderr, /build-mesos: '.+' is not Mesos 1\.11\.0 \(configure\.ac: AC_INIT\(\[mesos\], \[1\.10\.0\]\)\)/);
  });

  it('names a bad argument in one line, and prints its usage without the two folders', () => {
    const unknown = build(['--fast', sourceTree(), join(tmpdir(), 'unused')]);
    assert.equal(unknown.status, 1);
    assert.equal(unknown.stderr.trim(), "build-mesos: unknown option '--fast' (allowed: --dry-run, --configure-only, --java, --skip-deps)");
    const noFolder = build(['--dry-run', join(tmpdir(), 'no-such-mesos-source'), join(tmpdir(), 'unused')]);
    assert.equal(noFolder.status, 1);
    assert.match(noFolder.stderr, /build-mesos: source '.*no-such-mesos-source' is not a folder/);
    const usage = build([]);
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /^Usage: build-mesos\.sh /);
  });
});
