import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, DEMO_IMAGE_DIGEST, parseConfig } from '../../examples/reference-app/config';

describe('platform config', () => {
  it('accepts the default config, whose demo digests let synth run offline', () => {
    expect(parseConfig(DEFAULT_CONFIG)).toEqual(DEFAULT_CONFIG);
    expect(DEFAULT_CONFIG.servedModels[0].imageDigest).toBe(DEMO_IMAGE_DIGEST);
  });

  it('names each served model with its image digest and model version', () => {
    const config = parseConfig({
      ...DEFAULT_CONFIG,
      servedModels: [
        { name: 'churn', imageDigest: `sha256:${'ab'.repeat(32)}`, modelVersion: '2025-11-30.1' },
      ],
    });
    expect(config.servedModels[0].modelVersion).toBe('2025-11-30.1');
  });

  it('refuses a tag for a digest, a bad model version and a model served twice, naming each field', () => {
    const message = (() => {
      try {
        parseConfig({
          ...DEFAULT_CONFIG,
          servedModels: [
            { name: 'churn', imageDigest: 'latest', modelVersion: '1' },
            { name: 'churn', imageDigest: DEMO_IMAGE_DIGEST, modelVersion: '../2' },
          ],
        });
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    })();
    expect(message).toContain('config: servedModels.0.imageDigest: ');
    expect(message).toContain('config: servedModels.1.modelVersion: ');
    expect(message).toContain('config: servedModels.1.name: is served twice');
  });

  it('refuses a training image digest that is not one', () => {
    expect(() => parseConfig({ ...DEFAULT_CONFIG, trainingImageDigest: 'sha256:abc' })).toThrow(
      /config: trainingImageDigest: /,
    );
  });
});
