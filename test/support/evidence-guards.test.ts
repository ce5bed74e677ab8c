/**
 * Guards against tests that claim more than they show (issue #21):
 * - every hand-written response (a file under test/fixtures, a *-responses.ts module) has a
 *   validator in fixture-validators.ts, and every validator passes against reference/;
 * - no test title calls a response "recorded" (none was captured from a running server: they are
 *   reference-shaped), and no title claims "real" in a file that stands something in, unless the
 *   title names the stand-in.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { FIXTURE_VALIDATORS } from './fixture-validators';

const ROOT = join(__dirname, '..', '..');
const TEST = join(ROOT, 'test');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [relative(ROOT, path)];
  });
}

/** Support modules that stand in for a server or a tool: a title next to them must not say "real" alone. */
/**
 * What makes a file's servers stand-ins: the stand-in servers and canned answers the support
 * modules export. Their plain helpers (freePort, testMesosSecret, fixture readers) do not count.
 */
const STAND_IN_NAMES = ['KeystoneBarbicanStandIn', 'ReferenceShapedMesosMaster', 'ReferenceShapedMarathon', 'startStandInMasters', 'startStub', 'COMMAND_STUBS', 'BASE_IMAGE_FILES'];
const STAND_IN_IMPORT = new RegExp(`import \\{[^}]*\\b(?:${STAND_IN_NAMES.join('|')})\\b[^}]*\\} from '`);
const TITLE = /\b(?:it|describe|test|step|suite)\(\s*(['"`])((?:\\.|(?!\1)[^\\])*)\1/g;

/** Titles of the tests in `text` (string literals only; a template keeps its ${...} text). */
export function titlesIn(text: string): string[] {
  return [...text.matchAll(TITLE)].map((m) => m[2]);
}

/** What is wrong with `title` in a file that does (or does not) use a stand-in. */
export function titleProblem(title: string, usesStandIn: boolean): string | undefined {
  // "recorded as such" (noted down) is not a claim about where a response came from.
  if (/\brecorded\b(?! as\b)/i.test(title)) return 'says "recorded": no response here was captured from a running server; say reference-shaped or stand-in';
  if (usesStandIn && /\breal\b/i.test(title) && !/stand-in|reference-shaped|stub/i.test(title)) return 'says "real" in a file that uses a stand-in; name the stand-in or drop "real"';
  return undefined;
}

describe('evidence guards', () => {
  it('every hand-written response has a validator, and each holds to reference/', () => {
    const fixtures = filesUnder(join(TEST, 'fixtures')).filter((f) => !f.endsWith('.md'));
    const cannedModules = filesUnder(join(TEST, 'support')).filter((f) => f.endsWith('-responses.ts'));
    const unvalidated = [...fixtures, ...cannedModules].filter((f) => !(f in FIXTURE_VALIDATORS));
    assert.deepEqual(unvalidated, [], 'add a validator to test/support/fixture-validators.ts');
    for (const [file, validate] of Object.entries(FIXTURE_VALIDATORS)) assert.deepEqual(validate(), [], file);
  });

  it('no test title claims captured server responses, or says real beside a stand-in it does not name', () => {
    const problems = filesUnder(TEST)
      .filter((f) => f.endsWith('.test.ts') || f.endsWith('-suite.ts'))
      .flatMap((file) => {
        const text = readFileSync(join(ROOT, file), 'utf8');
        const usesStandIn = STAND_IN_IMPORT.test(text);
        return titlesIn(text).flatMap((title) => {
          const problem = titleProblem(title, usesStandIn);
          return problem ? [`${file}: "${title}" ${problem}`] : [];
        });
      });
    assert.deepEqual(problems, []);
  });

  it('the title check finds what it should', () => {
    assert.deepEqual(titlesIn("it('a b', () => {}); describe(`c ${d}`, () => {}); step(\"e\", x)"), ['a b', 'c ${d}', 'e']);
    assert.ok(titleProblem('against recorded master responses', false));
    assert.equal(titleProblem('the stand-ins are recorded as such', false), undefined);
    assert.ok(titleProblem('a real master answers', true));
    assert.equal(titleProblem('a real master answers', false), undefined);
    assert.equal(titleProblem('a stand-in for the real master', true), undefined);
  });
});
