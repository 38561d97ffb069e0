/**
 * Seeded pseudo-random numbers and reservoir sampling.
 *
 * Baselines must be reproducible: the same training file and seed give a byte-identical baseline,
 * so reviews can diff them and a rebuilt baseline never looks like drift. `Math.random` cannot be
 * seeded, hence a small explicit generator.
 */

/** The seed used when a caller does not choose one. */
export const DEFAULT_SEED = 0x5eed;

/**
 * Mulberry32: a 32-bit state generator returning uniform floats in [0, 1).
 *
 * Statistically adequate for sampling (passes gjrand/PractRand up to large sizes) and tiny; not for
 * cryptography.
 * @param seed any integer; only its low 32 bits are used
 * @see https://gist.github.com/tommyettinger/46a874533244883189143505d203312c
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A uniform reservoir sample of a stream of numbers (Vitter's Algorithm R).
 *
 * After `n` offers every value seen so far is in the sample with probability `min(1, capacity/n)`.
 * The i-th value (0-based) with `i >= capacity` replaces slot `j = floor(u·(i+1))` when
 * `j < capacity`, `u` drawn from the seeded generator, so the sample depends only on the values, their
 * order and the seed.
 * @see https://en.wikipedia.org/wiki/Reservoir_sampling#Simple:_Algorithm_R
 */
export class Reservoir {
  /** The values kept so far (length `min(capacity, seen)`). */
  readonly values: number[] = [];
  private seenCount = 0;
  private readonly random: () => number;

  /**
   * @param capacity the most values kept
   * @param seed generator seed
   * @default seed DEFAULT_SEED
   */
  constructor(
    readonly capacity: number,
    seed: number = DEFAULT_SEED,
  ) {
    this.random = mulberry32(seed);
  }

  /** How many values have been offered. */
  get seen(): number {
    return this.seenCount;
  }

  /** Offers one value to the sample. */
  offer(value: number): void {
    const i = this.seenCount++;
    if (i < this.capacity) {
      this.values.push(value);
      return;
    }
    const j = Math.floor(this.random() * (i + 1));
    if (j < this.capacity) this.values[j] = value;
  }
}
