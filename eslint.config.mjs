import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Direction of imports (issue 14), enforced on today's layout:
//
//   bin → lib/cli → lib/check, lib/audit, lib/report → lib/policy → lib/shared, lib/aws-facts
//   examples/reference-app → constructs → lib/shared, lib/aws-facts, lib/policy helpers and the
//     handler contracts (lib/handlers/<handler>/contract.ts)
//   lib/handlers (Lambda handlers) → lib/drift (statistics), lib/handlers/shared
//   lib/cli → lib/fairness (bias statistics) → lib/drift (its CSV, line and cell readers), never back
//   lib/cli → lib/lineage, lib/cost, lib/rollback (read-only SDK readers, CDK-free)
//
// The handlers, the statistics, lib/shared and lib/aws-facts are bundled into Lambda assets or used by
// the CLI without CDK, so they never import aws-cdk-lib, constructs, cdk-nag or the constructs/ folder.
// Constructs are what users synthesize, so they never pull in the checker, the CLI, the audit, the
// report writers or the reference app.
//
// no-restricted-imports matches the import string, not the resolved file. Imports between lib/
// folders read `../check/x` (no `lib/` in them) while imports from constructs/ read
// `../../lib/check/x`, so folder rules use a regex that accepts both spellings; a glob like
// `**/lib/check/**` would miss the first.

/**
 * A regex matching a relative import of any of `folders` at any depth. `lib`: 'optional' for rules on
 * lib/ files (`../check` or `../../lib/check`), 'required' for rules on constructs/ (whose own
 * constructs/audit must not be confused with lib/audit), 'none' for top-level folders.
 */
const relative = (folders, { lib = 'optional' } = {}) =>
  `^(\\.\\./)+${{ optional: '(lib/)?', required: 'lib/', none: '' }[lib]}(${folders.join('|')})(/|$)`;

// A regex rather than a gitignore-style group: the group `constructs` would also match every
// relative path with a `constructs` segment, reporting a constructs/ import twice.
const CDK_PACKAGES = {
  regex: '^(aws-cdk-lib|constructs|cdk-nag)(/|$)',
  message: 'handlers, statistics, lib/shared and lib/aws-facts run without CDK (Lambda bundles, the CLI)',
};

/** Handlers, statistics and CDK-free helpers: no CDK, and no folder that imports CDK. */
const CDK_FREE = {
  patterns: [
    CDK_PACKAGES,
    {
      regex: relative(['constructs'], { lib: 'none' }),
      message: 'the constructs/ folder imports aws-cdk-lib; CDK-free code must not depend on it',
    },
    {
      regex: relative(['policy', 'check', 'cli']),
      message:
        'lib/policy, lib/check and lib/cli import aws-cdk-lib or cdk-nag; CDK-free code must not depend on them',
    },
    {
      regex: relative(['bin', 'examples'], { lib: 'none' }),
      message: 'bin/ and examples/ are the top of the graph; nothing imports them',
    },
  ],
};

const CONSTRUCTS_TOOLING = {
  regex: relative(['check', 'cli', 'audit'], { lib: 'required' }),
  message: 'constructs never import the checker, the CLI or the audit',
};
const CONSTRUCTS_REPORT = {
  regex: relative(['report'], { lib: 'required' }),
  message: 'constructs never import the report writers (lib/report)',
};
const CONSTRUCTS_BIN = {
  regex: relative(['bin', 'examples'], { lib: 'none' }),
  message: 'constructs never import bin/ or the reference app (examples/)',
};
// The handler contracts (names, tags, metric namespaces in lib/handlers/<handler>/contract.ts) are
// shared on purpose; the handler code itself is bundled separately and never imported by a construct.
const CONSTRUCTS_HANDLER_CODE = {
  regex: '^(\\.\\./)+lib/handlers(/(?![^/]+/contract$).*)?$',
  message:
    'constructs import only the handler contracts (lib/handlers/<handler>/contract), never handler code',
};

// lib/policy and lib/check are the CLI's side and should reach shared values through lib/shared, not
// through the constructs/ folder (the intended direction is policy → shared).
const NOT_CONSTRUCTS = {
  regex: relative(['constructs'], { lib: 'none' }),
  message: 'lib/policy and lib/check reach shared values through lib/shared, not the constructs/ folder',
};

const POLICY = {
  patterns: [
    NOT_CONSTRUCTS,
    {
      regex: relative(['check', 'cli', 'audit']),
      message: 'lib/policy sits below the checker, the CLI and the audit; it never imports them',
    },
    {
      regex: relative(['bin', 'examples'], { lib: 'none' }),
      message: 'lib/policy never imports bin/ or examples/',
    },
  ],
};

const BELOW_CLI = {
  patterns: [
    {
      regex: relative(['cli']),
      message: 'lib/check, lib/audit and lib/report sit below the CLI and never import it',
    },
    { regex: relative(['bin', 'examples'], { lib: 'none' }), message: 'nothing imports bin/ or examples/' },
  ],
};

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'cdk.out/**',
      'node_modules/**',
      'assets/**',
      'coverage/**',
      '.tmp/**',
      'scripts/package-fixtures/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: [
      'lib/handlers/**/*.ts',
      'lib/drift/**/*.ts',
      'lib/fairness/**/*.ts',
      'lib/model-quality/**/*.ts',
      'lib/lineage/**/*.ts',
      'lib/cost/**/*.ts',
      'lib/rollback/**/*.ts',
      'lib/shared/**/*.ts',
      'lib/aws-facts/**/*.ts',
    ],
    rules: { 'no-restricted-imports': ['error', CDK_FREE] },
  },
  {
    // The bias statistics reuse the drift readers; the drift Lambda bundle must not grow by them.
    files: ['lib/drift/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...CDK_FREE.patterns,
            { regex: relative(['fairness']), message: 'lib/fairness imports lib/drift, not the other way' },
          ],
        },
      ],
    },
  },
  {
    files: ['constructs/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [CONSTRUCTS_TOOLING, CONSTRUCTS_REPORT, CONSTRUCTS_BIN, CONSTRUCTS_HANDLER_CODE] },
      ],
    },
  },
  {
    files: ['lib/policy/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', POLICY] },
  },
  {
    files: ['lib/check/**/*.ts', 'lib/audit/**/*.ts', 'lib/report/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', BELOW_CLI] },
  },
  {
    files: ['lib/check/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...BELOW_CLI.patterns, NOT_CONSTRUCTS] }],
    },
  },
);
