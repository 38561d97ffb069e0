import { describe, expect, it } from 'vitest';
import { App, Stack, Tags } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import {
  DEFAULT_REQUIRED_TAGS,
  markTaggedAtCreationOnly,
  missingTags,
  RequiredTags,
} from '../../constructs/core/tags';

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
    RequiredTags.apply(app, {
      owner: 'o',
      'cost-center': 'c',
      environment: 'dev',
      'data-classification': 'internal',
    });
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
    expect(() => RequiredTags.enforce(new App(), { keys: [] })).toThrow(
      /keys: required tag keys must be non-empty/,
    );
  });

  it('treats an empty tag value as missing', () => {
    const stack = new Stack(new App(), 'S');
    const queue = new sqs.Queue(stack, 'Q', {});
    (queue.node.defaultChild as sqs.CfnQueue).tags.setTag('owner', '');
    expect(missingTags(stack, ['owner'])).toEqual([{ path: 'S/Q/Resource', missing: ['owner'] }]);
    (queue.node.defaultChild as sqs.CfnQueue).tags.setTag('owner', 'team');
    expect(missingTags(stack, ['owner'])).toEqual([]);
  });

  // CloudFormation applies stack-level tags to the resources it creates, outside the template:
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-resource-tags.html
  describe('resources tagged at creation only', () => {
    const group = (stack: Stack, id: string) =>
      new sagemaker.CfnFeatureGroup(stack, id, {
        featureGroupName: id.toLowerCase(),
        recordIdentifierFeatureName: 'id',
        eventTimeFeatureName: 't',
        featureDefinitions: [{ featureName: 'id', featureType: 'String' }],
      });

    it('count the stack tags for a marked resource, and only its own tags for others', () => {
      const app = new App();
      const stack = new Stack(app, 'S');
      const marked = group(stack, 'Marked');
      const plain = group(stack, 'Plain');
      markTaggedAtCreationOnly(marked);
      Tags.of(stack).add('owner', 'team', { excludeResourceTypes: ['AWS::SageMaker::FeatureGroup'] });
      app.synth();
      expect(missingTags(stack, ['owner'])).toEqual([{ path: 'S/Plain', missing: ['owner'] }]);
      expect(plain.tags.tagValues()).toEqual({});
      expect(marked.tags.tagValues()).toEqual({});
    });

    it('still report a key that neither the resource nor its stack carries', () => {
      const app = new App();
      const stack = new Stack(app, 'S');
      markTaggedAtCreationOnly(group(stack, 'Marked'));
      Tags.of(stack).add('owner', 'team');
      app.synth();
      expect(missingTags(stack, ['owner', 'cost-center'])).toEqual([
        { path: 'S/Marked', missing: ['cost-center'] },
      ]);
    });
  });
});
