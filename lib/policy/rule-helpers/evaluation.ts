import { CfnCondition, CfnMapping, CfnParameter, CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { isNoValue, isObject, JsonObject, short } from './intrinsics';
import { patternMatches, patternValues } from './patterns';

// Evaluating what a template makes knowable: every branch of a `Fn::If`, every value a parameter
// admits, `Fn::FindInMap` over literal mappings. A rule runs once per *scenario*, a consistent
// choice of condition truths and parameter values; {@link resolvedValue} substitutes the current
// scenario's choices into the value a rule reads, so the rules stay written for literals. The
// choices are discovered while the rule runs (only those the rule actually reads count), and
// {@link explore} enumerates every combination of them.

/** Stands for "a value the template does not fix": the intrinsic stays, and a rule that must judge it throws. */
const UNKNOWN: unique symbol = Symbol('unknown');

/** One possible outcome of a choice point: its value and how a message names it. */
interface Option {
  readonly value: unknown;
  /** `parameter Env is "prod"`, `condition IsProd is false`. */
  readonly label: string;
}

/** A choice the evaluation made in one scenario, in the order the rule met it. */
interface Taken {
  readonly key: string;
  readonly options: readonly Option[];
  readonly index: number;
}

/** The parameters, conditions and mappings of one stack, by logical id. */
interface StackModel {
  readonly parameters: ReadonlyMap<string, CfnParameter>;
  readonly conditions: ReadonlyMap<string, unknown>;
  readonly mappings: ReadonlyMap<string, JsonObject>;
}

/** One choice as a message names it: its key (`parameter:Env`) and label (`parameter Env is "dev"`). */
export type Described = readonly (readonly [key: string, label: string])[];

class Scenario {
  readonly taken: Taken[] = [];
  /** The choices as messages name them: a condition computed from parameters names itself, with them. */
  readonly described: [string, string][] = [];
  private readonly memo = new Map<string, unknown>();
  /** Conditions being evaluated, to stop a condition that refers to itself. */
  readonly evaluating = new Set<string>();

  constructor(private readonly forced: ReadonlyMap<string, number>) {}

  /** The value of a choice point in this scenario: forced, or the first option on first sight. */
  choose(key: string, options: readonly Option[]): unknown {
    if (this.memo.has(key)) return this.memo.get(key);
    const index = Math.min(this.forced.get(key) ?? 0, options.length - 1);
    if (options.length > 1) {
      this.taken.push({ key, options, index });
      this.described.push([key, options[index].label]);
    }
    const value = options[index].value;
    this.memo.set(key, value);
    return value;
  }

  /** A value computed from choices (a condition), memoized so one scenario is consistent. */
  remember(key: string, compute: () => unknown): unknown {
    if (this.memo.has(key)) return this.memo.get(key);
    const value = compute();
    this.memo.set(key, value);
    return value;
  }
}

let current: Scenario | undefined;
let models = new WeakMap<Stack, StackModel>();

let caches = new WeakMap<Stack, Map<string, unknown>>();

/** Forgets the stack models (parameters, conditions, mappings) and {@link perStack} values read so far; the pack calls it per validation. */
export function resetEvaluation(): void {
  models = new WeakMap();
  caches = new WeakMap();
}

/** A value computed once per stack and validation (a list of the stack's resources of some kind). */
export function perStack<T>(stack: Stack, name: string, compute: () => T): T {
  let cache = caches.get(stack);
  if (!cache) caches.set(stack, (cache = new Map()));
  if (!cache.has(name)) cache.set(name, compute());
  return cache.get(name) as T;
}

/** How many choices the current scenario has made; a cache may keep only what was computed without new choices. */
export function choiceCount(): number {
  return current?.taken.length ?? 0;
}

function modelOf(stack: Stack): StackModel {
  let model = models.get(stack);
  if (model) return model;
  const parameters = new Map<string, CfnParameter>();
  const conditions = new Map<string, unknown>();
  const mappings = new Map<string, JsonObject>();
  const visit = (c: IConstruct) => {
    // A nested stack's elements belong to the nested stack's own template.
    if (c !== stack && Stack.isStack(c)) return;
    if (c instanceof CfnParameter) parameters.set(String(stack.resolve(c.logicalId)), c);
    else if (c instanceof CfnCondition) {
      const rendered = stack.resolve(c._toCloudFormation()) as { Conditions?: JsonObject };
      for (const [id, expression] of Object.entries(rendered.Conditions ?? {}))
        conditions.set(id, expression);
    } else if (c instanceof CfnMapping) {
      const rendered = stack.resolve(c._toCloudFormation()) as { Mappings?: Record<string, JsonObject> };
      for (const [id, mapping] of Object.entries(rendered.Mappings ?? {})) mappings.set(id, mapping);
    }
    for (const child of c.node.children) visit(child);
  };
  visit(stack);
  model = { parameters, conditions, mappings };
  models.set(stack, model);
  return model;
}

/**
 * Resolves an L1 property (tokens, IResolvables, L2 references) to CloudFormation JSON, with the
 * current scenario's choices substituted (see {@link resolvedValue}).
 */
export function resolved(node: CfnResource, value: unknown): unknown {
  if (value === undefined) return undefined;
  const stack = Stack.of(node);
  return resolvedValue(stack, stack.resolve(value));
}

/**
 * A resolved value with the current scenario's choices substituted: each `Fn::If` becomes the
 * branch its condition takes, a `Ref` to a parameter the value the scenario gives it,
 * `Fn::FindInMap` the mapping's value, `Fn::Sub` / `Fn::Join` a string where every part is known;
 * `AWS::NoValue` removes its key or list item. Outside {@link explore} the value is returned as is.
 */
export function resolvedValue(stack: Stack, value: unknown): unknown {
  if (!current) return value;
  return evaluate(value, modelOf(stack), current);
}

/**
 * Whether a resource exists in the current scenario: a resource with a `Condition` is created only
 * when the condition holds (always `true` outside {@link explore}).
 */
export function resourceExists(node: CfnResource): boolean {
  const condition = node.cfnOptions.condition;
  if (!current || !condition) return true;
  const stack = Stack.of(node);
  return conditionValue(String(stack.resolve(condition.logicalId)), modelOf(stack), current);
}

function evaluate(value: unknown, model: StackModel, s: Scenario): unknown {
  if (Array.isArray(value)) {
    return value.map((v) => evaluate(v, model, s)).filter((v) => !isNoValue(v));
  }
  if (!isObject(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const [key] = keys;
    const args = value[key];
    if (key === 'Fn::If' && Array.isArray(args) && typeof args[0] === 'string' && args.length === 3) {
      return evaluate(conditionValue(args[0], model, s) ? args[1] : args[2], model, s);
    }
    if (key === 'Ref' && typeof args === 'string') {
      const v = parameterValue(args, model, s);
      return v === UNKNOWN ? value : v;
    }
    if (key === 'Fn::FindInMap' && Array.isArray(args)) return findInMap(value, args, model, s);
    if (key === 'Fn::Sub') return sub(value, args, model, s);
    if (key === 'Fn::Join' && Array.isArray(args) && typeof args[0] === 'string' && Array.isArray(args[1])) {
      const parts = evaluate(args[1], model, s) as unknown[];
      if (parts.every((p) => typeof p === 'string' || typeof p === 'number')) return parts.join(args[0]);
      return { 'Fn::Join': [args[0], parts] };
    }
    if (key === 'Fn::Select' && Array.isArray(args) && args.length === 2) {
      const index = evaluate(args[0], model, s);
      const items = evaluate(args[1], model, s);
      const i = typeof index === 'string' ? Number(index) : index;
      if (typeof i === 'number' && Array.isArray(items) && i >= 0 && i < items.length) return items[i];
      return { 'Fn::Select': [index, items] };
    }
    if (key.startsWith('Fn::') || key === 'Ref' || key === 'Condition') return value;
  }
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) {
    const e = evaluate(v, model, s);
    if (!isNoValue(e)) out[k] = e;
  }
  return out;
}

/** A condition's truth in this scenario: computed from its expression, else a free choice. */
function conditionValue(name: string, model: StackModel, s: Scenario): boolean {
  return s.remember(`condition:${name}`, () => {
    const expression = model.conditions.get(name);
    let truth: boolean | typeof UNKNOWN = UNKNOWN;
    if (expression !== undefined && !s.evaluating.has(name)) {
      s.evaluating.add(name);
      const before = s.described.length;
      const takenBefore = s.taken.length;
      truth = conditionTruth(expression, model, s);
      s.evaluating.delete(name);
      if (truth !== UNKNOWN && s.described.length > before) {
        // Name the condition the template author wrote, with the values that decide it. The entry
        // keeps the key of those choices (not the condition's), so that {@link simplify} compares
        // it with the scenarios where the same choices took another value and left the condition
        // free: keyed by the condition, it would look like a choice with a single option.
        const inner = s.described.splice(before);
        const decidedBy = s.taken
          .slice(takenBefore)
          .map((t) => t.key)
          .join('+');
        s.described.push([
          decidedBy,
          `condition ${name} is ${truth} (${inner.map(([, l]) => l).join(', ')})`,
        ]);
      }
    }
    if (truth !== UNKNOWN) return truth;
    // The expression depends on what the template does not fix (a free parameter, an attribute).
    return s.choose(`free-condition:${name}`, [
      { value: true, label: `condition ${name} is true` },
      { value: false, label: `condition ${name} is false` },
    ]);
  }) as boolean;
}

function conditionTruth(expression: unknown, model: StackModel, s: Scenario): boolean | typeof UNKNOWN {
  if (typeof expression === 'boolean') return expression;
  if (expression === 'true' || expression === 'false') return expression === 'true';
  if (!isObject(expression)) return UNKNOWN;
  const [key] = Object.keys(expression);
  const args = expression[key];
  if (key === 'Condition' && typeof args === 'string') return conditionValue(args, model, s);
  if (!Array.isArray(args)) return UNKNOWN;
  if (key === 'Fn::Equals' && args.length === 2) {
    const [a, b] = args.map((x) => evaluate(x, model, s));
    const scalar = (x: unknown) => typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean';
    return scalar(a) && scalar(b) ? String(a) === String(b) : UNKNOWN;
  }
  if (key === 'Fn::Not' && args.length === 1) {
    const t = conditionTruth(args[0], model, s);
    return t === UNKNOWN ? UNKNOWN : !t;
  }
  if (key === 'Fn::And' || key === 'Fn::Or') {
    const truths = args.map((x) => conditionTruth(x, model, s));
    const decisive = key === 'Fn::And' ? false : true;
    if (truths.includes(decisive)) return decisive;
    return truths.includes(UNKNOWN) ? UNKNOWN : !decisive;
  }
  return UNKNOWN;
}

/**
 * A parameter's value in this scenario: each of its `AllowedValues` (those its `AllowedPattern`
 * also admits); each string an `AllowedPattern` admits when it admits only a few; for a `Number` with
 * `MinValue`/`MaxValue`, the bounds (the pack's numeric rules are thresholds, so a range is judged
 * at its ends) and the default; for an unconstrained parameter, its `Default` and "any other value"
 * (the intrinsic stays, so a rule that must judge it says it cannot). `hint` lists the values
 * that can work at all when nothing else constrains the parameter (a mapping's keys).
 */
function parameterValue(name: string, model: StackModel, s: Scenario, hint?: readonly string[]): unknown {
  const p = model.parameters.get(name);
  if (!p) {
    if (!hint || name.startsWith('AWS::') === false) return UNKNOWN;
    // A pseudo parameter used as a mapping key: only the mapping's keys deploy.
    return s.choose(
      `ref:${name}`,
      hint.map((k) => ({ value: k, label: `${name} is ${JSON.stringify(k)}` })),
    );
  }
  const label = (v: unknown) => `parameter ${name} is ${JSON.stringify(v)}`;
  const number = p.type === 'Number';
  const typed = (v: unknown) => (number && typeof v === 'string' && v.trim() !== '' ? Number(v) : v);
  // AllowedPattern constrains String parameters, the Default included; a value it rejects cannot
  // deploy, so it is not judged (a pattern this code cannot read admits everything).
  const pattern = p.type === 'String' && typeof p.allowedPattern === 'string' ? p.allowedPattern : undefined;
  const admitted = (v: unknown) => pattern === undefined || patternMatches(pattern, String(v)) !== false;
  const narrowed = (values: readonly string[]) => {
    const kept = values.filter(admitted);
    // A template whose constraints admit none of its values cannot deploy: not decided here.
    return kept.length > 0 ? kept : values;
  };
  const fallback = p.default !== undefined && admitted(p.default) ? p.default : undefined;
  const byDefault = (values: readonly string[]) =>
    fallback !== undefined && values.includes(String(fallback))
      ? [String(fallback), ...values.filter((v) => v !== String(fallback))]
      : values;
  const allowed = p.allowedValues ? narrowed(p.allowedValues) : undefined;
  if (allowed && allowed.length > 0) {
    // The default first, so the first scenario is what deploys when no value is given.
    return s.choose(
      `parameter:${name}`,
      byDefault(allowed).map((v) => ({ value: typed(v), label: label(typed(v)) })),
    );
  }
  if (number && (p.minValue !== undefined || p.maxValue !== undefined)) {
    const values = [p.default, p.minValue, p.maxValue]
      .map((v) => (v === undefined ? undefined : Number(v)))
      .filter((v): v is number => v !== undefined && !Number.isNaN(v));
    const distinct = [...new Set(values)];
    return s.choose(
      `parameter:${name}`,
      distinct.map((v) => ({ value: v, label: label(v) })),
    );
  }
  if (p.type !== 'String' && !number) return UNKNOWN;
  // A pattern that admits only a few strings is judged at each, like AllowedValues.
  const listed = pattern !== undefined ? patternValues(pattern) : undefined;
  if (listed && listed.length > 0) {
    const values = hint ? narrowed(listed.filter((v) => hint.includes(v))) : listed;
    return s.choose(
      `parameter:${name}`,
      byDefault(values.length > 0 ? values : listed).map((v) => ({ value: v, label: label(v) })),
    );
  }
  const options: Option[] = [];
  if (fallback !== undefined)
    options.push({ value: typed(fallback), label: `${label(typed(fallback))} (its default)` });
  if (hint) {
    for (const k of narrowed(hint))
      if (!options.some((o) => o.value === k)) options.push({ value: k, label: label(k) });
  } else {
    options.push({ value: UNKNOWN, label: `parameter ${name} is another value than its default` });
  }
  return s.choose(`parameter:${name}`, options);
}

function findInMap(raw: JsonObject, args: unknown[], model: StackModel, s: Scenario): unknown {
  const [mapName, k1, k2] = args;
  const name = evaluate(mapName, model, s);
  const mapping = typeof name === 'string' ? model.mappings.get(name) : undefined;
  if (!mapping) return raw;
  const top = key(k1, Object.keys(mapping), model, s);
  const second = isObject(mapping[String(top)]) ? (mapping[String(top)] as JsonObject) : undefined;
  if (top === UNKNOWN || !second) return raw;
  const inner = key(k2, Object.keys(second), model, s);
  if (inner === UNKNOWN || !(String(inner) in second)) return raw;
  return evaluate(second[String(inner)], model, s);
}

/** A mapping key: a literal, or a `Ref` whose value may range over the keys the mapping has. */
function key(k: unknown, keys: readonly string[], model: StackModel, s: Scenario): unknown {
  if (isObject(k) && typeof k.Ref === 'string') {
    const v = parameterValue(k.Ref, model, s, keys);
    return v === UNKNOWN ? UNKNOWN : v;
  }
  const v = evaluate(k, model, s);
  return typeof v === 'string' || typeof v === 'number' ? v : UNKNOWN;
}

function sub(raw: JsonObject, args: unknown, model: StackModel, s: Scenario): unknown {
  const [template, vars] = Array.isArray(args) ? args : [args, {}];
  if (typeof template !== 'string') return raw;
  const values = isObject(vars) ? (evaluate(vars, model, s) as JsonObject) : {};
  let open = false;
  const text = template.replace(/\$\{([^}]*)\}/g, (whole, name: string) => {
    if (name.startsWith('!')) return whole;
    let v: unknown = Object.hasOwn(values, name) ? values[name] : undefined;
    if (v === undefined && !name.includes('.')) {
      const p = parameterValue(name, model, s);
      v = p === UNKNOWN ? undefined : p;
    }
    if (typeof v === 'string' || typeof v === 'number') return String(v);
    open = true;
    return whole;
  });
  if (!open) return text.replace(/\$\{!/g, '${');
  return Object.keys(values).length > 0 ? { 'Fn::Sub': [text, values] } : { 'Fn::Sub': text };
}

/** The outcome of one scenario: the rule's result, or what it threw. */
export type ScenarioOutcome<R> = { readonly result: R } | { readonly error: Error };

/** One scenario a rule ran in: the choices that define it (none when the template fixes everything). */
export interface ScenarioRun<R> {
  /** How a message names the scenario, one entry per choice the rule met (`condition IsProd is false`). */
  readonly choices: Described;
  readonly outcome: ScenarioOutcome<R>;
}

/** At most this many scenarios per rule and resource; past it the rule reports that it cannot judge. */
export const MAX_SCENARIOS = 64;

/**
 * Runs `run` once per scenario: every combination of the condition truths and parameter values
 * the run reads (depth first, the first option of each choice first, so the first scenario is the
 * one where defaults apply). A run that throws is one outcome, the others still run.
 */
export function explore<R>(run: () => R): ScenarioRun<R>[] {
  const out: ScenarioRun<R>[] = [];
  const pending: Map<string, number>[] = [new Map()];
  while (pending.length > 0) {
    if (out.length >= MAX_SCENARIOS) {
      const error = new Error(
        `more than ${MAX_SCENARIOS} combinations of conditions and parameter values, so the rule cannot judge every one`,
      );
      return [...out, { choices: [], outcome: { error } }];
    }
    const forced = pending.pop()!;
    const scenario = new Scenario(forced);
    const outer = current;
    current = scenario;
    let outcome: ScenarioOutcome<R>;
    try {
      outcome = { result: run() };
    } catch (e) {
      outcome = { error: e instanceof Error ? e : new Error(short(e)) };
    } finally {
      current = outer;
    }
    out.push({ choices: scenario.described, outcome });
    // Choices made beyond the forced ones open the other branches, explored later.
    const taken = scenario.taken;
    for (let i = taken.length - 1; i >= 0; i--) {
      if (forced.has(taken[i].key)) continue;
      for (let alt = taken[i].options.length - 1; alt > taken[i].index; alt--) {
        const next = new Map(taken.slice(0, i).map((t) => [t.key, t.index] as [string, number]));
        next.set(taken[i].key, alt);
        pending.push(next);
      }
    }
  }
  return out;
}

/**
 * The smallest description of a set of scenarios: a choice is left out when the scenarios hold
 * for each of its options alike (a finding on one variant does not depend on another variant's
 * parameter). An empty entry means "in every scenario".
 */
export function simplify(subset: readonly Described[], all: readonly Described[]): Described[] {
  const removed = new Set<string>();
  const sig = (d: Described, without?: string) =>
    d
      .filter(([k]) => k !== without && !removed.has(k))
      .map(([k, l]) => `${k}=${l}`)
      .join('|');
  const whole = new Set(subset.map((d) => sig(d)));
  if (all.every((r) => whole.has(sig(r)))) return [[]];
  const keys = [...new Set(subset.flatMap((d) => d.map(([k]) => k)))];
  const labelOf = (d: Described, key: string) => d.find(([k]) => k === key)?.[1];
  for (const key of keys) {
    const inSubset = new Set(subset.map((d) => sig(d)));
    // Every option the choice takes anywhere: a choice is irrelevant only where the subset holds
    // for each of them alike, not merely for the options that happen to share the other choices.
    const options = new Set(all.map((r) => labelOf(r, key)).filter((l) => l !== undefined));
    const irrelevant = subset.every((d) => {
      if (!d.some(([k]) => k === key)) return true;
      const peers = all.filter((r) => sig(r, key) === sig(d, key));
      const seen = new Set(peers.map((r) => labelOf(r, key)));
      return peers.every((r) => inSubset.has(sig(r))) && [...options].every((o) => seen.has(o));
    });
    if (irrelevant) removed.add(key);
  }
  const out = new Map<string, Described>();
  for (const d of subset) {
    const kept = d.filter(([k]) => !removed.has(k));
    out.set(sig(kept), kept);
  }
  return [...out.values()];
}
