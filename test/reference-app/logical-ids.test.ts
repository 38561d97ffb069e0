import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { App } from 'aws-cdk-lib';
import { DEFAULT_CONFIG } from '../../examples/reference-app/config';
import { buildPlatform } from '../../examples/reference-app/platform-app';
import { PLATFORM_CONTEXT } from '../support/platform-app';

/**
 * Logical ids are public API: CloudFormation replaces a resource whose logical id changes (a
 * renamed construct id deletes the old resource and creates a new one, losing its data for
 * buckets, tables and keys). This pins every logical id of the reference app, per stack, so a
 * rename shows up here as a failing test rather than in a deploy.
 *
 * To accept a deliberate change: `npm run test:logical-ids:update` (sets UPDATE_LOGICAL_IDS=1),
 * then review and commit the diff under test/reference-app/logical-ids/.
 */
const DIR = path.join(__dirname, 'logical-ids');
const UPDATE = process.env.UPDATE_LOGICAL_IDS === '1';

function synthesizedIds(): Map<string, string[]> {
  const app = new App({ context: { ...PLATFORM_CONTEXT } });
  buildPlatform(app, DEFAULT_CONFIG, { packs: false });
  const ids = new Map<string, string[]>();
  for (const stack of app.synth().stacks) {
    const resources = (stack.template as { Resources?: Record<string, { Type: string }> }).Resources ?? {};
    ids.set(
      stack.stackName,
      Object.entries(resources)
        .map(([id, r]) => `${id} ${r.Type}`)
        .sort(),
    );
  }
  return ids;
}

function pinned(): Map<string, string[]> {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.txt'));
  return new Map(
    files.map((f) => [
      f.slice(0, -'.txt'.length),
      readFileSync(path.join(DIR, f), 'utf8')
        .split('\n')
        .filter((line) => line !== ''),
    ]),
  );
}

describe('reference app logical ids', () => {
  const actual = synthesizedIds();

  if (UPDATE) {
    rmSync(DIR, { recursive: true, force: true });
    mkdirSync(DIR, { recursive: true });
    for (const [stack, lines] of actual)
      writeFileSync(path.join(DIR, `${stack}.txt`), `${lines.join('\n')}\n`);
  }

  const expected = pinned();

  it('has the pinned set of stacks', () => {
    expect([...actual.keys()].sort(), 'stacks differ from test/reference-app/logical-ids/*.txt').toEqual(
      [...expected.keys()].sort(),
    );
  });

  for (const [stack, lines] of actual) {
    it(`${stack} keeps every logical id (a rename replaces the resource)`, () => {
      const want = new Set(expected.get(stack) ?? []);
      const got = new Set(lines);
      const removed = [...want].filter((l) => !got.has(l));
      const added = [...got].filter((l) => !want.has(l));
      const message =
        `${stack}: logical ids changed; CloudFormation replaces a resource whose logical id changes.\n` +
        `removed (would be deleted):\n  ${removed.join('\n  ') || '-'}\n` +
        `added (would be created):\n  ${added.join('\n  ') || '-'}\n` +
        `if deliberate, run \`npm run test:logical-ids:update\` and commit test/reference-app/logical-ids/${stack}.txt`;
      expect({ removed, added }, message).toEqual({ removed: [], added: [] });
    });
  }
});
