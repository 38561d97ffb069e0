import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../lib/handlers/record-lineage';
import { ConfigError } from '../../../lib/handlers/shared/env';
import { ENV } from '../../../lib/handlers/record-lineage/contract';

describe('record-lineage config', () => {
  it('reads the group name the construct sets', () => {
    expect(parseConfig({ [ENV.groupName]: 'churn-model' })).toMatchObject({
      groupName: 'churn-model',
      maxAttempts: 8,
    });
  });

  it('refuses a missing or malformed group name, naming the variable', () => {
    expect(() => parseConfig({})).toThrow(ConfigError);
    expect(() => parseConfig({ [ENV.groupName]: 'churn/model' })).toThrow(
      /^RECORD_LINEAGE_GROUP_NAME: is not a model package group name/,
    );
  });
});
