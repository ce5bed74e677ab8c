import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isCi } from './tool-gate';

test('any non-empty CI other than false or 0 counts as CI, so CI=1 cannot skip tool-backed tests', () => {
  for (const value of ['true', '1', 'yes', 'TRUE', 'github-actions', 'woodpecker']) {
    assert.equal(isCi(value), true, `CI=${value}`);
  }
  for (const value of [undefined, '', '  ', 'false', 'FALSE', '0']) {
    assert.equal(isCi(value), false, `CI=${String(value)}`);
  }
});
