import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeTerraformTemplate, unescapeTerraformTemplate } from '../../lib/terraform/escape';
import { allFixtureDocuments } from '../support/cloud-init-fixtures';

describe('Terraform template escaping of user data', () => {
  it('escapes interpolation and directive openers, and nothing else', () => {
    assert.equal(escapeTerraformTemplate('echo "${HOME}" %{ if x }'), 'echo "$${HOME}" %%{ if x }');
    assert.equal(escapeTerraformTemplate('$HOME 100% {a} $ {b}'), '$HOME 100% {a} $ {b}');
  });

  it('leaves no sequence that Terraform would interpolate', () => {
    const escaped = escapeTerraformTemplate('a${b}$${c}%{d}%%{e}$$${f}');
    // Every "${" and "%{" left is preceded by its escape character.
    assert.equal(/(^|[^$])\$\{/.test(escaped.replace(/\$\$\{/g, '')), false);
    assert.equal(/(^|[^%])%\{/.test(escaped.replace(/%%\{/g, '')), false);
  });

  it('round-trips every string over the characters that matter', () => {
    const alphabet = ['$', '%', '{', '}', 'x'];
    for (let n = 0; n < 5 ** 6; n++) {
      let text = '';
      for (let k = n, i = 0; i < 6; i++, k = Math.floor(k / 5)) text += alphabet[k % 5];
      assert.equal(unescapeTerraformTemplate(escapeTerraformTemplate(text)), text, JSON.stringify(text));
    }
  });

  it('round-trips every rendered document, whose shell uses ${...}', () => {
    const documents = allFixtureDocuments();
    assert.ok(documents.some((d) => d.text.includes('${MESOS_CLUSTER_ROOT:-}')), 'the documents carry shell ${...}');
    for (const document of documents) {
      const escaped = escapeTerraformTemplate(document.text);
      assert.equal(unescapeTerraformTemplate(escaped), document.text, document.id);
    }
  });
});
