/** The cost-allocation tags every taggable resource must carry unless configured otherwise. */
export const DEFAULT_REQUIRED_TAGS: readonly string[] = [
  'owner',
  'cost-center',
  'environment',
  'data-classification',
];
