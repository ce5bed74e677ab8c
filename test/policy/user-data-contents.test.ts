import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { cloudConfigFiles, undoEncodingLayers } from '../../lib/policy/user-data-contents';

const b64 = (data: string | Buffer) => Buffer.from(data).toString('base64');

describe('user-data decoding', () => {
  it('undoes base64, gzip and base64-of-base64 layers', () => {
    const text = '#cloud-config\nhostname: a\n';
    assert.equal(undoEncodingLayers(b64(text)), text);
    assert.equal(undoEncodingLayers(b64(gzipSync(text))), text);
    assert.equal(undoEncodingLayers(b64(b64(gzipSync(text)))), text);
  });

  it('leaves plain text, and text that only looks like base64, as it is', () => {
    assert.equal(undoEncodingLayers('#!/bin/sh\necho hi\n'), '#!/bin/sh\necho hi\n');
    assert.equal(undoEncodingLayers('abcdefgh'), 'abcdefgh', 'decodes to binary noise');
  });

  it('reads cloud-config write_files by path, decoding b64 and gzip+b64 contents', () => {
    const doc = [
      '#cloud-config',
      'write_files:',
      '  - {path: /plain, content: "one\\n"}',
      `  - {path: /b64, encoding: b64, content: ${b64('two\n')}}`,
      `  - {path: /gz, encoding: gzip+base64, content: ${b64(gzipSync('three\n'))}}`,
    ].join('\n');
    assert.deepEqual(Object.fromEntries(cloudConfigFiles(doc)), { '/plain': 'one\n', '/b64': 'two\n', '/gz': 'three\n' });
  });
});
