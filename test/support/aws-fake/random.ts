import { mulberry32 } from '../../../lib/drift/random';

/**
 * A tiny seeded pseudo-random generator (mulberry32) so fault injection replays identically
 * for the same seed and the same request order.
 *
 * @param seed any 32-bit integer
 * @returns a function returning floats in [0, 1)
 */
export function seededRandom(seed: number): () => number {
  return mulberry32(seed);
}
