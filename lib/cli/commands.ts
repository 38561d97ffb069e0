import { LazyCommand } from './command';

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
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      (require('./commands/check') as typeof import('./commands/check')).checkCommand,
  },
  {
    name: 'rules',
    summary: 'list the MLOps pack rules with their levels and NIST 800-53 r5 controls',
    load: async () =>
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      (require('./commands/rules') as typeof import('./commands/rules')).rulesCommand,
  },
  {
    name: 'audit',
    summary: 'read-only audit of the SageMaker resources and KMS keys of a deployed account and region',
    load: async () =>
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      (require('./commands/audit') as typeof import('./commands/audit')).auditCommand,
  },
  {
    name: 'baseline',
    summary: 'build a drift baseline (bins, moments, samples, frequencies) from training data',
    load: async () =>
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      (require('./commands/baseline') as typeof import('./commands/baseline')).baselineCommand,
  },
  {
    name: 'drift',
    summary: 'compare SageMaker data capture with a baseline (PSI, KS, chi-square per feature)',
    load: async () =>
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      (require('./commands/drift') as typeof import('./commands/drift')).driftCommand,
  },
  {
    name: 'bias',
    summary:
      'measure data and model bias (Clarify metrics CI, DPL, DI, DPPL…) and facet proxies in CSV or JSON lines',
    load: async () =>
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      (require('./commands/bias') as typeof import('./commands/bias')).biasCommand,
  },
  {
    name: 'cost',
    summary:
      'SageMaker cost per model from Cost Explorer (model-id tag), trend and Savings Plans recommendation',
    load: async () =>
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      (require('./commands/cost') as typeof import('./commands/cost')).costCommand,
  },
  {
    name: 'lineage',
    summary:
      'read-only lineage of an endpoint: model, package approval, training job, dataset manifest, captured inference',
    load: async () =>
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      (require('./commands/lineage') as typeof import('./commands/lineage')).lineageCommand,
  },
  {
    name: 'rollback',
    summary:
      'read-only plan to serve an earlier approved model package again, with its image, artifact and feature contract',
    load: async () =>
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      (require('./commands/rollback') as typeof import('./commands/rollback')).rollbackCommand,
  },
  {
    name: 'rightsize',
    summary:
      'right-sizing and retirement candidates of SageMaker endpoints and training jobs, priced from the AWS Price List',
    load: async () =>
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      (require('./commands/rightsize') as typeof import('./commands/rightsize')).rightsizeCommand,
  },
  {
    name: 'model-doc',
    summary:
      'read-only documentation of a model version: Markdown hand-off or model card JSON from the package and its reports',
    load: async () =>
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      (require('./commands/model-doc') as typeof import('./commands/model-doc')).modelDocCommand,
  },
];
