import { describe, it } from 'node:test';
import { imdsV2HopLimit } from '../../../lib/policy/rules/imds-v2-hop-limit';
import { assertFails, assertPasses } from '../../support/policy-fixtures';

const required = { http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: 1 };

describe('rule imds-v2-hop-limit', () => {
  it('passes instances and launch templates that require tokens with hop limit 1', () => {
    assertPasses(imdsV2HopLimit, { resource: { aws_instance: { a: { metadata_options: required } }, aws_launch_template: { t: { metadata_options: required } } } });
  });

  it('fails optional tokens, a hop limit of 2 and a missing block', () => {
    assertFails(
      imdsV2HopLimit,
      {
        resource: {
          aws_instance: { optional: { metadata_options: { ...required, http_tokens: 'optional' } }, bare: {} },
          aws_launch_template: { twohops: { metadata_options: { ...required, http_put_response_hop_limit: 2 } } },
        },
      },
      {
        'aws_instance.optional': /http_tokens is "optional"/,
        'aws_instance.bare': /no metadata_options/,
        'aws_launch_template.twohops': /hop_limit is 2/,
      },
    );
  });
});
