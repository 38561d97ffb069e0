/**
 * Model documentation (issue 18), CDK-free: from one {@link ModelDocumentationInput}, the SageMaker
 * Model Card content and the Markdown operations hand-off, and the SDK reads that gather the input
 * from a registered model package.
 */
export * from './card';
export * from './card-schema';
export * from './input';
export * from './keys';
export * from './markdown';
export * from './reports';
export * from './gather';
