import { Template } from 'aws-cdk-lib/assertions';
import * as fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { PropsValidationError } from '../../constructs/core/validate';
import { findings, testStack } from '../support/nag';
import { Fixtures, materialize, propsArbitrary, Recipe } from './arbitraries';
import { FUZZ_CASES, FuzzCase } from './fuzz-cases';

/*
 * Props fuzzing: for every public construct, random props (valid-ish and hostile) either
 * synthesize with zero findings or throw a PropsValidationError whose every line reads
 * `<construct path>: <field>: ...`. Any other exception fails, with the seed and the shrunk props.
 *
 * Reproducible: a fixed seed per construct. `FUZZ_RUNS=2000` runs more cases; `FUZZ_SEED=n`
 * explores another part of the space.
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed);
/** The policy packs cost ~100 ms a stack: run them on this many valid cases per construct, synth the rest. */
const NAG_CASES = Number(process.env.FUZZ_NAG_CASES ?? (process.env.FUZZ_RUNS ? RUNS : 8));

const SUBJECT_PATH = 'Test/Subject';
const LINE = new RegExp(`^${SUBJECT_PATH}: [^\\s:][^:]*: .+\\(got .*; expected .*\\)$`, 's');

interface Stats {
  valid: number;
  /** Accepted props whose synth the construct's own guard rules stopped (see FuzzCase.synthGuard). */
  guarded: number;
  invalid: number;
  nagChecked: number;
  ms: number;
}
const stats = new Map<string, Stats>();

/** Runs one case; returns whether it was accepted. Throws (failing the property) on any wrong outcome. */
function runOne(c: FuzzCase, recipe: Recipe, s: Stats): void {
  const stack = testStack();
  const fixtures = new Fixtures(stack);
  const props = materialize(recipe, fixtures);
  try {
    c.build(stack, props);
  } catch (e) {
    if (!(e instanceof PropsValidationError)) {
      throw new Error(
        `${c.name}: ${(e as Error)?.constructor?.name ?? typeof e} escaped instead of PropsValidationError: ${String((e as Error)?.message ?? e)}`,
      );
    }
    expect(e.constructPath).toBe(SUBJECT_PATH);
    expect(e.problems.length).toBeGreaterThan(0);
    for (const line of e.message.split('\n')) expect(line).toMatch(LINE);
    for (const p of e.problems) expect(p.field).not.toBe('');
    s.invalid++;
    return;
  }
  s.valid++;
  if (c.synthGuard) {
    try {
      Template.fromStack(stack);
    } catch (e) {
      // The construct's own synth-time rules reporting other resources: its purpose, not a props bug.
      const lines = String((e as Error).message)
        .split('\n')
        .slice(1)
        .filter((l) => l.trim() !== '');
      if (lines.length === 0 || !lines.every((l) => c.synthGuard!.test(l))) throw e;
      s.guarded++;
      return;
    }
  }
  if (s.nagChecked < NAG_CASES) {
    s.nagChecked++;
    const allowed = new Set(c.escapeHatches?.(props) ?? []);
    const unexpected = findings(stack)
      .filter((f) => !allowed.has(f.ruleId.replace(/^[^-]+(\.[^-]+)*-/, '').replace(/\[.*$/, '')))
      .map((f) => `${f.ruleId} @ ${f.path}`);
    expect(unexpected).toEqual([]);
  } else {
    Template.fromStack(stack); // full synth: aspects, validations, rendering
  }
}

/**
 * A construct's seed offset, from its name: adding or reordering cases leaves every other
 * construct's generated props as they were (an index-based seed changed them all, and a case with
 * few runs could then draw no valid props at all).
 */
function seedOf(name: string): number {
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) | 0;
  return Math.abs(h) % 1_000_003;
}

describe('props fuzzing', () => {
  FUZZ_CASES.forEach((c) => {
    it(`${c.name}: random props synthesize clean or raise PropsValidationError naming path and field`, () => {
      const s: Stats = { valid: 0, guarded: 0, invalid: 0, nagChecked: 0, ms: 0 };
      stats.set(c.name, s);
      const t0 = Date.now();
      fc.assert(
        fc.property(propsArbitrary(c.spec), (recipe) => runOne(c, recipe, s)),
        { seed: SEED + seedOf(c.name), numRuns: Math.max(20, Math.round(RUNS * (c.runsFactor ?? 1))) },
      );
      s.ms = Date.now() - t0;
      // Both outcomes must occur, or the generators are not exercising the construct.
      expect(s.valid).toBeGreaterThan(0);
      expect(s.invalid).toBeGreaterThan(0);
    });
  });

  afterAll(() => {
    const rows = [...stats.entries()].map(
      ([name, s]) =>
        `${name.padEnd(22)} ${String(s.valid + s.invalid).padStart(5)} runs  ${String(s.valid).padStart(4)} accepted (${s.nagChecked} nag-checked${s.guarded ? `, ${s.guarded} stopped by its guard` : ''})  ${String(s.invalid).padStart(4)} rejected  ${String(s.ms).padStart(6)} ms`,
    );
    console.log(
      `props fuzzing (seed ${SEED}, ${RUNS} runs per construct, scaled by runsFactor)\n${rows.join('\n')}`,
    );
  });
});
