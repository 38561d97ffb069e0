/**
 * Writes docs/CONTROL-COVERAGE.md from the anchor mapping (lib/policy/anchor-mapping.ts): the
 * coverage table per anchor that `compliant-mlops rules --format markdown` prints. Run with
 * `npm run docs:coverage`; test/policy/anchors.test.ts fails when the committed page is stale.
 */
import { writeFileSync } from 'node:fs';
import { coverageDocument } from '../lib/cli/commands/rules';

/** Where the page lives, relative to the repository root. */
const CONTROL_COVERAGE_PATH = 'docs/CONTROL-COVERAGE.md';

writeFileSync(CONTROL_COVERAGE_PATH, coverageDocument());
console.log(`wrote ${CONTROL_COVERAGE_PATH}`);
