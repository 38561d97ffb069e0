import { z } from 'zod';

/**
 * The reference platform's configuration. The embedded default lets `npx cdk synth` work on a
 * fresh clone with no AWS account and no flags; pass `-c config=<file.json>` to use another.
 */
export const platformConfigSchema = z.strictObject({
  /** Account and region the stacks are synthesized for (no lookups are made). */
  account: z.string().regex(/^\d{12}$/),
  region: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/),
  /** Prefix of stack names and key aliases. */
  prefix: z.string().regex(/^[a-z][a-z0-9-]{1,20}$/),
  environment: z.enum(['dev', 'staging', 'prod']),
  /** Cost-allocation tags applied to every resource; must include the required keys. */
  tags: z.record(z.string(), z.string().min(1)),
  /** Required cost-allocation tag keys, enforced at synth. */
  requiredTags: z.array(z.string().min(1)).min(1),
  /** The models the platform serves, one stack each (lowercase names). */
  servedModels: z
    .array(z.string().regex(/^[a-z][a-z0-9-]{1,30}$/))
    .min(0)
    .max(100),
  /** Cost guardrails: monthly budgets (USD) per team and per served model, and the instance policy. */
  costs: z.strictObject({
    teamBudgetsUsd: z.record(z.string().regex(/^[a-z][a-z0-9-]{1,40}$/), z.number().positive()),
    modelBudgetUsd: z.number().positive(),
    allowGpu: z.boolean(),
    maxInstanceCount: z.number().int().min(1).max(1000),
  }),
  /** Dataset retention and tiering, in days. */
  datasets: z.strictObject({
    intelligentTieringAfterDays: z.number().int().min(0),
    glacierInstantRetrievalAfterDays: z.number().int().min(1),
    deepArchiveAfterDays: z.number().int().min(1),
    expireAfterDays: z.number().int().min(1),
  }),
});

export type PlatformConfig = z.infer<typeof platformConfigSchema>;

/** The embedded default configuration of the reference platform. */
export const DEFAULT_CONFIG: PlatformConfig = {
  account: '123456789012',
  region: 'eu-west-1',
  prefix: 'mlops',
  environment: 'prod',
  tags: {
    owner: 'ml-platform-team',
    'cost-center': 'cc-4200',
    environment: 'prod',
    'data-classification': 'confidential',
  },
  requiredTags: ['owner', 'cost-center', 'environment', 'data-classification'],
  servedModels: ['churn'],
  costs: {
    teamBudgetsUsd: { 'ml-platform-team': 20000 },
    modelBudgetUsd: 3000,
    allowGpu: true,
    maxInstanceCount: 8,
  },
  datasets: {
    intelligentTieringAfterDays: 0,
    glacierInstantRetrievalAfterDays: 90,
    deepArchiveAfterDays: 365,
    expireAfterDays: 2555,
  },
};

/** Parses a configuration, reporting every problem as `config: <field>: <problem>`. */
export function parseConfig(input: unknown): PlatformConfig {
  const result = platformConfigSchema.safeParse(input);
  if (result.success) return result.data;
  throw new Error(
    result.error.issues.map((i) => `config: ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n'),
  );
}
