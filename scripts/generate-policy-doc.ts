/**
 * `npm run docs:policy`: rewrites the rule table of docs/policy-rules.md from the rules' own
 * metadata (lib/policy/rules/*: id, clouds, summary, mirrors). test/policy/rules/index.test.ts
 * fails while the file is stale.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_RULES } from '../lib/policy';
import { withRuleTable } from '../lib/policy/rules-doc';
import { writeFileAtomically } from '../lib/write-atomically';

const doc = join(__dirname, '..', 'docs', 'policy-rules.md');
const before = readFileSync(doc, 'utf8');
const after = withRuleTable(before, ALL_RULES);
if (after === before) {
  console.log('docs/policy-rules.md is up to date');
} else {
  writeFileAtomically(doc, after);
  console.log('docs/policy-rules.md: rule table rewritten');
}
