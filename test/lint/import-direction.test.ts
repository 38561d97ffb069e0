import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

// Each case lints one import line, in memory, as if it sat in a file of the restricted folder, with
// the repository's own eslint.config.mjs. A rule that stops matching makes its "reports" case fail;
// a rule that matches too much makes its "allows" case fail.

const root = resolve(__dirname, '../..');
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

/** The no-restricted-imports messages ESLint reports for `code` placed at `file` (repo-relative). */
async function restricted(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\n`, { filePath: resolve(root, file) });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const reports: [string, string, string][] = [
  // handlers, statistics and CDK-free helpers never import CDK, cdk-nag or the constructs/ folder
  ['lib/handlers/auto-shutdown/x.ts', "import { Stack } from 'aws-cdk-lib';", 'aws-cdk-lib'],
  ['lib/handlers/auto-shutdown/x.ts', "import * as s3 from 'aws-cdk-lib/aws-s3';", 'aws-cdk-lib'],
  ['lib/drift/x.ts', "import { Construct } from 'constructs';", 'without CDK'],
  ['lib/shared/x.ts', "import { NagPack } from 'cdk-nag';", 'without CDK'],
  ['lib/aws-facts/x.ts', "import { Aspects } from 'aws-cdk-lib';", 'without CDK'],
  [
    'lib/handlers/drift-monitor/x.ts',
    "import { X } from '../../../constructs/core/tags';",
    'constructs/ folder',
  ],
  ['lib/drift/x.ts', "export * from '../../constructs';", 'constructs/ folder'],
  ['lib/shared/x.ts', "import { packs } from '../policy/packs';", 'lib/policy'],
  ['lib/aws-facts/x.ts', "import { check } from '../check/check';", 'lib/policy'],
  ['lib/handlers/shared/x.ts', "import { main } from '../../../bin/cli';", 'bin/'],
  ['lib/drift/x.ts', "import { DEFAULT_CONFIG } from '../../examples/reference-app/config';", 'examples/'],
  // the bias statistics are CDK-free too, and reuse lib/drift one way only
  ['lib/fairness/x.ts', "import { Stack } from 'aws-cdk-lib';", 'without CDK'],
  ['lib/fairness/x.ts', "import { check } from '../check/check';", 'lib/policy'],
  ['lib/drift/x.ts', "import { analyzeBias } from '../fairness';", 'lib/fairness imports lib/drift'],
  // constructs never import the checker, the CLI, the audit, the report writers, the reference app, bin
  ['constructs/serving/x.ts', "import { check } from '../../lib/check/check';", 'checker'],
  ['constructs/core/x.ts', "import { main } from '../../lib/cli/main';", 'checker'],
  ['constructs/cost/x.ts', "import { audit } from '../../lib/audit/audit';", 'checker'],
  [
    'constructs/x.ts',
    "import { PlatformApp } from '../examples/reference-app/platform-app';",
    'reference app',
  ],
  ['constructs/storage/x.ts', "import type { Finding } from '../../lib/report/finding';", 'report writers'],
  ['constructs/storage/x.ts', "import '../../bin/cli';", 'bin/'],
  [
    'constructs/core/x.ts',
    "import { DEFAULT_CONFIG } from '../../examples/reference-app/config';",
    'reference app',
  ],
  [
    'constructs/cost/x.ts',
    "import { handler } from '../../lib/handlers/auto-shutdown/index';",
    'handler code',
  ],
  ['constructs/cost/x.ts', "import { sweep } from '../../lib/handlers/auto-shutdown/sweep';", 'handler code'],
  ['constructs/index.ts', "export * from '../lib/check/check';", 'checker'],
  ['constructs/index.ts', "export * from '../lib/report';", 'report writers'],
  // lib/policy never imports the checker, the CLI, the audit, the reference app
  ['lib/policy/packs.ts', "import { check } from '../check/check';", 'lib/policy sits below'],
  ['lib/policy/rules/sagemaker/X.ts', "import { main } from '../../../cli/main';", 'lib/policy sits below'],
  ['lib/policy/x.ts', "import { audit } from '../audit/audit';", 'lib/policy sits below'],
  [
    'lib/policy/x.ts',
    "import { PlatformStack } from '../../examples/reference-app/platform-stack';",
    'never imports bin/ or examples/',
  ],
  [
    'lib/policy/rules/s3/X.ts',
    "import { TAGS } from '../../../../constructs/core/tags';",
    'not the constructs/',
  ],
  ['lib/check/inputs.ts', "import { KEY } from '../../constructs/core/acknowledge';", 'not the constructs/'],
  // no exceptions: the files that once read shared values from constructs/core are held to the rule
  [
    'lib/policy/packs.ts',
    "import { PACK_PREFIXES } from '../../constructs/core/acknowledge';",
    'not the constructs/',
  ],
  ['lib/policy/mlops-checks.ts', "import { TAGS } from '../../constructs/core/tags';", 'not the constructs/'],
  [
    'lib/policy/rules/acknowledgments/judge.ts',
    "import { KEY } from '../../../../constructs/core/acknowledge';",
    'not the constructs/',
  ],
  [
    'lib/check/acknowledgments.ts',
    "import { KEY } from '../../constructs/core/acknowledge';",
    'not the constructs/',
  ],
  // check, audit and report sit below the CLI
  ['lib/check/x.ts', "import { main } from '../cli/main';", 'below the CLI'],
  ['lib/audit/x.ts', "import { PlatformApp } from '../../examples/reference-app/platform-app';", 'examples/'],
  ['lib/report/x.ts', "import { run } from '../cli/command';", 'below the CLI'],
];

const allows: [string, string][] = [
  // the handler contracts are shared on purpose
  ['constructs/cost/x.ts', "import { LAST_ACTIVITY_TAG } from '../../lib/handlers/auto-shutdown/contract';"],
  // constructs/audit is a construct area, not lib/audit
  ['constructs/x.ts', "export * from './audit';"],
  ['constructs/monitoring/x.ts', "import { AuditTrail } from '../audit/audit-trail';"],
  ['constructs/core/x.ts', "import { packageRoot } from '../../lib/shared/package-root';"],
  [
    'constructs/serving/x.ts',
    "import { hasNvmeInstanceStorage } from '../../lib/aws-facts/instance-storage';",
  ],
  ['lib/handlers/drift-monitor/x.ts', "import { analyse } from '../../drift';"],
  ['lib/fairness/x.ts', "import { toLines } from '../drift/lines';"],
  ['lib/cli/commands/x.ts', "import { analyzeBias } from '../../fairness/analysis';"],
  ['lib/handlers/auto-shutdown/x.ts', "import { jsonLogger } from '../shared/log';"],
  ['lib/policy/x.ts', "import { Acknowledgment } from '../shared/acknowledgment';"],
  ['lib/check/x.ts', "import type { Finding } from '../report/finding';"],
  // shared values live in the CDK-free kernel
  ['lib/policy/packs.ts', "import { PACK_PREFIXES } from '../shared/packs';"],
  ['lib/check/acknowledgments.ts', "import { KEY } from '../shared/acknowledgment';"],
  ['examples/reference-app/x.ts', "import { SecureBucket } from '../../constructs/storage/secure-bucket';"],
  ['lib/cli/x.ts', "import { check } from '../check/check';"],
];

describe('import direction (eslint no-restricted-imports)', () => {
  it.each(reports)('%s: reports %s', async (file, code, why) => {
    const messages = await restricted(file, code);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(why);
  });

  it.each(allows)('%s: allows %s', async (file, code) => {
    expect(await restricted(file, code)).toEqual([]);
  });
});
