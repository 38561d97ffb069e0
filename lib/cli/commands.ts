import { LazyCommand } from './command';

/**
 * Compiled, commands load with `require`: a dynamic import goes through Node's ESM loader (~40 ms
 * of a one-resource check). From the TypeScript sources (vitest) only the loader's dynamic import
 * reads `.ts` files.
 */
const FROM_SOURCE = __filename.endsWith('.ts');

/**
 * Every `compliant-mlops` subcommand, in the order `--help` lists them. Each loads its module only
 * when it runs or shows its usage: `compliant-mlops --help` and `--version` then never load
 * aws-cdk-lib, cdk-nag or the AWS SDK (test/cli/lazy-start.test.ts pins it; the summaries are
 * checked against the loaded commands' own there too).
 */
export const COMMANDS: readonly LazyCommand[] = [
  {
    name: 'check',
    summary:
      'check cloud assemblies and CloudFormation templates with cdk-nag packs (text, JSON, SARIF, JUnit, Markdown)',
    load: async () =>
      (FROM_SOURCE
        ? await import('./commands/check.js')
        : // eslint-disable-next-line @typescript-eslint/no-require-imports
          (require('./commands/check.js') as typeof import('./commands/check.js'))
      ).checkCommand,
  },
  {
    name: 'rules',
    summary: 'list the MLOps pack rules with their levels and NIST 800-53 r5 controls',
    load: async () =>
      (FROM_SOURCE
        ? await import('./commands/rules.js')
        : // eslint-disable-next-line @typescript-eslint/no-require-imports
          (require('./commands/rules.js') as typeof import('./commands/rules.js'))
      ).rulesCommand,
  },
  {
    name: 'audit',
    summary: 'read-only audit of the SageMaker resources and KMS keys of a deployed account and region',
    load: async () =>
      (FROM_SOURCE
        ? await import('./commands/audit.js')
        : // eslint-disable-next-line @typescript-eslint/no-require-imports
          (require('./commands/audit.js') as typeof import('./commands/audit.js'))
      ).auditCommand,
  },
  {
    name: 'baseline',
    summary: 'build a drift baseline (bins, moments, samples, frequencies) from training data',
    load: async () =>
      (FROM_SOURCE
        ? await import('./commands/baseline.js')
        : // eslint-disable-next-line @typescript-eslint/no-require-imports
          (require('./commands/baseline.js') as typeof import('./commands/baseline.js'))
      ).baselineCommand,
  },
  {
    name: 'drift',
    summary: 'compare SageMaker data capture with a baseline (PSI, KS, chi-square per feature)',
    load: async () =>
      (FROM_SOURCE
        ? await import('./commands/drift.js')
        : // eslint-disable-next-line @typescript-eslint/no-require-imports
          (require('./commands/drift.js') as typeof import('./commands/drift.js'))
      ).driftCommand,
  },
  {
    name: 'bias',
    summary:
      'measure data and model bias (Clarify metrics CI, DPL, DI, DPPL…) and facet proxies in CSV or JSON lines',
    load: async () =>
      (FROM_SOURCE
        ? await import('./commands/bias.js')
        : // eslint-disable-next-line @typescript-eslint/no-require-imports
          (require('./commands/bias.js') as typeof import('./commands/bias.js'))
      ).biasCommand,
  },
  {
    name: 'cost',
    summary:
      'SageMaker cost per model from Cost Explorer (model-id tag), trend and Savings Plans recommendation',
    load: async () =>
      (FROM_SOURCE
        ? await import('./commands/cost.js')
        : // eslint-disable-next-line @typescript-eslint/no-require-imports
          (require('./commands/cost.js') as typeof import('./commands/cost.js'))
      ).costCommand,
  },
  {
    name: 'lineage',
    summary:
      'read-only lineage of an endpoint: model, package approval, training job, dataset manifest, captured inference',
    load: async () =>
      (FROM_SOURCE
        ? await import('./commands/lineage.js')
        : // eslint-disable-next-line @typescript-eslint/no-require-imports
          (require('./commands/lineage.js') as typeof import('./commands/lineage.js'))
      ).lineageCommand,
  },
  {
    name: 'rollback',
    summary:
      'read-only plan to serve an earlier approved model package again, with its image, artifact and feature contract',
    load: async () =>
      (FROM_SOURCE
        ? await import('./commands/rollback.js')
        : // eslint-disable-next-line @typescript-eslint/no-require-imports
          (require('./commands/rollback.js') as typeof import('./commands/rollback.js'))
      ).rollbackCommand,
  },
  {
    name: 'rightsize',
    summary:
      'right-sizing and retirement candidates of SageMaker endpoints and training jobs, priced from the AWS Price List',
    load: async () =>
      (FROM_SOURCE
        ? await import('./commands/rightsize.js')
        : // eslint-disable-next-line @typescript-eslint/no-require-imports
          (require('./commands/rightsize.js') as typeof import('./commands/rightsize.js'))
      ).rightsizeCommand,
  },
  {
    name: 'model-doc',
    summary:
      'read-only documentation of a model version: Markdown hand-off or model card JSON from the package and its reports',
    load: async () =>
      (FROM_SOURCE
        ? await import('./commands/model-doc.js')
        : // eslint-disable-next-line @typescript-eslint/no-require-imports
          (require('./commands/model-doc.js') as typeof import('./commands/model-doc.js'))
      ).modelDocCommand,
  },
];
