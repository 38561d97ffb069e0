import { describe, expect, it } from 'vitest';
import { App, Stack, Tags } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { DEFAULT_REQUIRED_TAGS, missingTags, RequiredTags } from '../../constructs/core/tags';

describe('RequiredTags', () => {
  it('defaults to owner, cost-center, environment and data-classification', () => {
    expect(DEFAULT_REQUIRED_TAGS).toEqual(['owner', 'cost-center', 'environment', 'data-classification']);
  });

  it('fails synth naming each resource and the keys it lacks', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    new sqs.Queue(stack, 'Q');
    Tags.of(stack).add('owner', 'team');
    RequiredTags.enforce(app);
    expect(() => app.synth()).toThrow(
      /S\/Q\/Resource: tags: missing required cost-allocation tags \(got no cost-center, environment, data-classification; expected owner, cost-center, environment, data-classification\)/,
    );
  });

  it('passes when tags applied with Tags.of cover every key', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    new sqs.Queue(stack, 'Q');
    RequiredTags.apply(app, { owner: 'o', 'cost-center': 'c', environment: 'dev', 'data-classification': 'internal' });
    RequiredTags.enforce(app);
    expect(() => app.synth()).not.toThrow();
  });

  it('honours a configured key set', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    new sqs.Queue(stack, 'Q');
    Tags.of(stack).add('team', 't');
    RequiredTags.enforce(app, { keys: ['team', 'model-id'] });
    expect(() => app.synth()).toThrow(/got no model-id; expected team, model-id/);
  });

  it('refuses an empty key set', () => {
    expect(() => RequiredTags.enforce(new App(), { keys: [] })).toThrow(/keys: required tag keys must be non-empty/);
  });

  it('treats an empty tag value as missing', () => {
    const stack = new Stack(new App(), 'S');
    const queue = new sqs.Queue(stack, 'Q', {});
    (queue.node.defaultChild as sqs.CfnQueue).tags.setTag('owner', '');
    expect(missingTags(stack, ['owner'])).toEqual([{ path: 'S/Q/Resource', missing: ['owner'] }]);
    (queue.node.defaultChild as sqs.CfnQueue).tags.setTag('owner', 'team');
    expect(missingTags(stack, ['owner'])).toEqual([]);
  });
});
