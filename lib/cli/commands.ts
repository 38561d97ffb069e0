import { LazyCommand } from './command';

/**
 * Compiled, commands load with `require`: a dynamic import goes through Node's ESM loader (~40 ms
 * of a one-resource check). From the TypeScript sources (vitest) only the loader's dynamic import
 * reads `.ts` files.
 */
const FROM_SOURCE = __filename.endsWith('.ts');

/** A command's module, by its path relative to this file: `require` compiled, `import()` from source. */
async function load<T>(specifier: string): Promise<T> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return FROM_SOURCE ? ((await import(specifier)) as T) : (require(specifier) as T);
}

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
    load: async () => (await load<typeof import('./commands/check.js')>('./commands/check.js')).checkCommand,
  },
  {
    name: 'rules',
    summary: 'list the MLOps pack rules with their levels and NIST 800-53 r5 controls',
    load: async () => (await load<typeof import('./commands/rules.js')>('./commands/rules.js')).rulesCommand,
  },
  {
    name: 'audit',
    summary: 'read-only audit of the SageMaker resources and KMS keys of a deployed account and region',
    load: async () => (await load<typeof import('./commands/audit.js')>('./commands/audit.js')).auditCommand,
  },
  {
    name: 'baseline',
    summary: 'build a drift baseline (bins, moments, samples, frequencies) from training data',
    load: async () =>
      (await load<typeof import('./commands/baseline.js')>('./commands/baseline.js')).baselineCommand,
  },
  {
    name: 'drift',
    summary: 'compare SageMaker data capture with a baseline (PSI, KS, chi-square per feature)',
    load: async () => (await load<typeof import('./commands/drift.js')>('./commands/drift.js')).driftCommand,
  },
  {
    name: 'bias',
    summary:
      'measure data and model bias (Clarify metrics CI, DPL, DI, DPPL…) and facet proxies in CSV or JSON lines',
    load: async () => (await load<typeof import('./commands/bias.js')>('./commands/bias.js')).biasCommand,
  },
  {
    name: 'cost',
    summary:
      'SageMaker cost per model from Cost Explorer (model-id tag), trend and Savings Plans recommendation',
    load: async () => (await load<typeof import('./commands/cost.js')>('./commands/cost.js')).costCommand,
  },
  {
    name: 'lineage',
    summary:
      'read-only lineage of an endpoint: model, package approval, training job, dataset manifest, captured inference',
    load: async () =>
      (await load<typeof import('./commands/lineage.js')>('./commands/lineage.js')).lineageCommand,
  },
  {
    name: 'rollback',
    summary:
      'read-only plan to serve an earlier approved model package again, with its image, artifact and feature contract',
    load: async () =>
      (await load<typeof import('./commands/rollback.js')>('./commands/rollback.js')).rollbackCommand,
  },
  {
    name: 'rightsize',
    summary:
      'right-sizing and retirement candidates of SageMaker endpoints and training jobs, priced from the AWS Price List',
    load: async () =>
      (await load<typeof import('./commands/rightsize.js')>('./commands/rightsize.js')).rightsizeCommand,
  },
  {
    name: 'model-doc',
    summary:
      'read-only documentation of a model version: Markdown hand-off or model card JSON from the package and its reports',
    load: async () =>
      (await load<typeof import('./commands/model-doc.js')>('./commands/model-doc.js')).modelDocCommand,
  },
];
