/** A Lambda's environment, as the construct set it. */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Thrown when the environment (or the event) is malformed: a deployment error, so the run fails
 * loudly before it calls any API. The message follows the props-validation format,
 * `<VARIABLE>: <problem> (got X; expected Y)`.
 */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** How {@link envNumber} bounds a value. */
export interface NumberBounds {
  /** Only whole numbers. @default false */
  readonly integer?: boolean;
  /** `min` itself is refused (`> min` rather than `>= min`). @default false */
  readonly exclusiveMin?: boolean;
}

/**
 * A number from the environment, `fallback` when the variable is unset or empty.
 * @throws ConfigError when it is not a number between `min` and `max` (inclusive unless told)
 */
export function envNumber(
  env: Env,
  name: string,
  fallback: number,
  min: number,
  max: number,
  bounds: NumberBounds = {},
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  const belowMin = bounds.exclusiveMin ? n <= min : n < min;
  if (!Number.isFinite(n) || belowMin || n > max || (bounds.integer && !Number.isInteger(n))) {
    const range = `${bounds.exclusiveMin ? '>' : '>='} ${min} and <= ${max}`;
    throw new ConfigError(
      `${name}: is out of range (got ${JSON.stringify(raw)}; expected ${bounds.integer ? 'an integer' : 'a number'} ${range})`,
    );
  }
  return n;
}

/** A whole number from the environment between `min` and `max` inclusive; see {@link envNumber}. */
export function envInt(env: Env, name: string, fallback: number, min: number, max: number): number {
  return envNumber(env, name, fallback, min, max, { integer: true });
}
