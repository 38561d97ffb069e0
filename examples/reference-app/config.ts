import { z } from 'zod';
import { IMAGE_DIGEST_PATTERN } from '../../constructs/training/model-image-repository';

/**
 * The digest the default config serves and trains with, so `cdk synth` works offline on a fresh
 * clone. It names no real image: before the first serving deployment, push the image and put
 * the digest `docker push` (or `aws ecr describe-images`) prints into the config (docs/DEPLOY.md).
 */
export const DEMO_IMAGE_DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

/** The training digest of the default config, equally a placeholder until the first training image is pushed. */
export const DEMO_TRAINING_IMAGE_DIGEST = `sha256:${'0'.repeat(64)}`;

/** One served model: its serving stack runs this image on this artifact version. */
export const servedModelSchema = z.strictObject({
  /** Lowercase name: names the serving stack, the image repository and the artifact prefix. */
  name: z.string().regex(/^[a-z][a-z0-9-]{1,30}$/),
  /** Digest of the serving image in the model's platform repository (`sha256:<64 hex>`); tags are refused. */
  imageDigest: z
    .string()
    .regex(IMAGE_DIGEST_PATTERN, 'is not an image digest (sha256:<64 lowercase hex digits>)'),
  /** The artifact served: `models/<name>/<modelVersion>/model.tar.gz` in the platform's model artifact bucket. */
  modelVersion: z
    .string()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/,
      'is not a model version (letters, digits, ".", "_", "-"; no "/")',
    ),
});

/** A served model of the config. */
export type ServedModelConfig = z.infer<typeof servedModelSchema>;

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
  /** The models the platform serves, one stack each, with the image digest and model version each serves. */
  servedModels: z
    .array(servedModelSchema)
    .max(100)
    .superRefine((models, ctx) => {
      models.forEach((m, i) => {
        if (models.findIndex((o) => o.name === m.name) < i) {
          ctx.addIssue({
            code: 'custom',
            path: [i, 'name'],
            message: `is served twice (${JSON.stringify(m.name)})`,
          });
        }
      });
    }),
  /** Digest of the training (and evaluation) image in the platform's training repository. */
  trainingImageDigest: z
    .string()
    .regex(IMAGE_DIGEST_PATTERN, 'is not an image digest (sha256:<64 lowercase hex digits>)'),
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
    /**
     * The churn training data was acquired from a third party: training then requires a
     * provenance record with each dataset version (`<version prefix>/provenance.json`).
     * Absent: first-party data.
     */
    thirdParty: z.boolean().optional(),
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
  servedModels: [{ name: 'churn', imageDigest: DEMO_IMAGE_DIGEST, modelVersion: '1' }],
  trainingImageDigest: DEMO_TRAINING_IMAGE_DIGEST,
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
