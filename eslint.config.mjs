import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Direction of imports (issue 14), enforced on today's layout:
//
//   bin → lib/cli → lib/check, lib/audit, lib/report → lib/policy → lib/shared, lib/aws-facts
//   lib/stacks (the reference app) → constructs → lib/shared, lib/aws-facts, lib/policy helpers and
//     the handler contracts (lib/runtime/*/constants)
//   lib/runtime (Lambda handlers) → lib/drift (statistics), lib/runtime/shared
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
      regex: relative(['policy', 'check', 'cli', 'stacks']),
      message:
        'lib/policy, lib/check, lib/cli and lib/stacks import aws-cdk-lib or cdk-nag; CDK-free code must not depend on them',
    },
    {
      regex: relative(['bin'], { lib: 'none' }),
      message: 'bin/ is the top of the graph; nothing imports it',
    },
  ],
};

const CONSTRUCTS_TOOLING = {
  regex: relative(['check', 'cli', 'audit', 'stacks'], { lib: 'required' }),
  message: 'constructs never import the checker, the CLI, the audit or the reference app (lib/stacks)',
};
const CONSTRUCTS_REPORT = {
  regex: relative(['report'], { lib: 'required' }),
  message: 'constructs never import the report writers (lib/report)',
};
const CONSTRUCTS_BIN = {
  regex: relative(['bin'], { lib: 'none' }),
  message: 'constructs never import bin/',
};
// The handler contracts (names, tags, metric namespaces in lib/runtime/<handler>/constants) are
// shared on purpose; the handler code itself is bundled separately and never imported by a construct.
const CONSTRUCTS_HANDLER_CODE = {
  regex: '^(\\.\\./)+lib/runtime(/(?![^/]+/constants$).*)?$',
  message:
    'constructs import only the handler contracts (lib/runtime/<handler>/constants), never handler code',
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
      regex: relative(['check', 'cli', 'audit', 'stacks']),
      message:
        'lib/policy sits below the checker, the CLI, the audit and the reference app; it never imports them',
    },
    { regex: relative(['bin'], { lib: 'none' }), message: 'lib/policy never imports bin/' },
  ],
};

const BELOW_CLI = {
  patterns: [
    {
      regex: relative(['cli', 'stacks']),
      message:
        'lib/check, lib/audit and lib/report sit below the CLI and never import it or the reference app',
    },
    { regex: relative(['bin'], { lib: 'none' }), message: 'nothing imports bin/' },
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
    files: ['lib/runtime/**/*.ts', 'lib/drift/**/*.ts', 'lib/shared/**/*.ts', 'lib/aws-facts/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', CDK_FREE] },
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
    // Exception, not a silent one: constructs/index.ts is the package's main entry ("." in
    // package.json exports) and re-exports lib/report's public types (Finding, SarifLog…) for library
    // users. Moving them out of the root entry is a breaking change of the public API, left to issue
    // 14's layout move. Every other constructs rule still applies to this file.
    files: ['constructs/index.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [CONSTRUCTS_TOOLING, CONSTRUCTS_BIN, CONSTRUCTS_HANDLER_CODE] },
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
  {
    // Exceptions, named: these files read acknowledgment keys, pack prefixes and the default required
    // tags from constructs/core (acknowledge.ts, tags.ts). Those values belong in lib/shared; moving
    // them is part of issue 14's layout move, not of this lint. Every other rule still applies here.
    files: ['lib/policy/packs.ts', 'lib/policy/mlops-checks.ts', 'lib/policy/rules/acknowledgments/judge.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: POLICY.patterns.filter((p) => p !== NOT_CONSTRUCTS) }],
    },
  },
  {
    // Exception, named: reads ACKNOWLEDGMENT_METADATA_KEY/TEMPLATE_KEY from constructs/core/acknowledge.ts
    // (same move as above).
    files: ['lib/check/acknowledgments.ts'],
    rules: { 'no-restricted-imports': ['error', BELOW_CLI] },
  },
);
