import { dirname, join, sep } from 'node:path';

/** The key aws-cdk-lib (jsii) stores each exported class's fully qualified name under. */
const JSII_RTTI = Symbol.for('jsii.rtti');

/** What {@link deferUnloadedModules} did, and how to undo it. */
export interface DeferredModules {
  /** The aws-cdk-lib submodules (`aws-quicksight`, …) whose exports were deferred. */
  readonly deferred: readonly string[];
  /** Puts back every export that has not been loaded yet (loaded ones already hold their class). */
  restore(): void;
}

/** The directory of the aws-cdk-lib that this process loads. */
function cdkLibDir(): string {
  return dirname(require.resolve('aws-cdk-lib/package.json'));
}

/**
 * The jsii namespaces (`aws_quicksight`) of the aws-cdk-lib classes on each prototype chain,
 * computed once per prototype: `instanceof` runs once per rule per resource.
 */
const namespacesByPrototype = new WeakMap<object, ReadonlySet<string>>();

/**
 * The jsii namespaces of the classes whose prototypes are on `proto`'s chain. Every class
 * aws-cdk-lib exports carries its fully qualified name (`aws-cdk-lib.aws_quicksight.CfnDataSource`),
 * so an instance of any exported class of a namespace, or of a subclass of one wherever it is
 * defined, lists that namespace.
 */
function namespacesOf(proto: object): ReadonlySet<string> {
  let known = namespacesByPrototype.get(proto);
  if (known) return known;
  const parent = Object.getPrototypeOf(proto) as object | null;
  const out = new Set(parent ? namespacesOf(parent) : []);
  const ctor = Object.prototype.hasOwnProperty.call(proto, 'constructor')
    ? (proto as { constructor?: { [JSII_RTTI]?: { fqn?: unknown } } }).constructor
    : undefined;
  const fqn = ctor?.[JSII_RTTI]?.fqn;
  if (typeof fqn === 'string' && fqn.startsWith('aws-cdk-lib.')) out.add(fqn.split('.')[1]);
  known = out;
  namespacesByPrototype.set(proto, known);
  return known;
}

/** True when `value`'s prototype chain holds a class of the jsii namespace `namespace`. */
function hasClassOf(value: unknown, namespace: string): boolean {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto !== null && namespacesOf(proto).has(namespace);
}

/**
 * Defers the aws-cdk-lib submodules that are required but not yet evaluated, until something
 * other than `instanceof` needs them.
 *
 * Most cdk-nag rules start with `node instanceof CfnDataSource` (or another service's L1 class).
 * aws-cdk-lib's submodule index exports each class through a getter that evaluates the whole
 * service module on first access, so running every pack over a one-resource template evaluated
 * about 20 MB of service modules (QuickSight alone is 5 MB) only to answer `false` (issue 15:
 * start-up of a one-resource `check`). Here each not-yet-accessed export getter of a submodule
 * whose `lib/` was never evaluated is replaced by one returning a stand-in:
 * - `x instanceof StandIn` is `false` without loading anything when `x`'s prototype chain holds
 *   no class of that service (no instance of the service can exist before its module is
 *   evaluated, and every exported class names its service in its jsii name); otherwise the
 *   module is loaded and the real `instanceof` answers;
 * - any other use (a static member, `new`, a subclass, `_fromCloudFormation` from CfnInclude)
 *   loads the real module, puts the real class back on the exports and forwards to it.
 * So every rule decides exactly as before; only modules a template's resources (or a rule's
 * other uses) need are evaluated.
 */
export function deferUnloadedModules(): DeferredModules {
  const root = cdkLibDir();
  const restores: (() => void)[] = [];
  const deferred: string[] = [];
  for (const file of Object.keys(require.cache)) {
    if (!file.startsWith(root + sep) || !file.endsWith(`${sep}index.js`)) continue;
    const rel = file.slice(root.length + 1).split(sep);
    if (rel.length !== 2) continue;
    const name = rel[0];
    // Evaluated already (by CfnInclude, a rule's other use, or the caller's own code): nothing to save.
    const lib = join(root, name, 'lib', 'index.js');
    if (require.cache[lib]) continue;
    const exports = require.cache[file]?.exports as Record<string, unknown> | undefined;
    if (!exports) continue;
    const namespace = name.replace(/-/g, '_');
    let count = 0;
    for (const key of Object.keys(exports)) {
      // Only the L1 classes: every `Cfn*` export of aws-cdk-lib's service modules is a class (the
      // other exports include enums and constants, which a stand-in function cannot represent).
      if (!key.startsWith('Cfn')) continue;
      const original = Object.getOwnPropertyDescriptor(exports, key);
      if (!original?.get || !original.configurable) continue;
      const getReal = original.get;
      let real: unknown;
      const load = (): object => {
        if (real === undefined) {
          // The index's own getter evaluates the module and replaces itself with the value.
          Object.defineProperty(exports, key, original);
          real = getReal.call(exports);
        }
        return real as object;
      };
      let standIn: unknown;
      Object.defineProperty(exports, key, {
        configurable: true,
        enumerable: original.enumerable,
        get: () => {
          if (real !== undefined || require.cache[lib]) return load();
          standIn ??= standInFor(load, namespace);
          return standIn;
        },
      });
      restores.push(() => {
        if (real === undefined) Object.defineProperty(exports, key, original);
      });
      count += 1;
    }
    if (count > 0) deferred.push(name);
  }
  return {
    deferred: deferred.sort(),
    restore: () => restores.splice(0).forEach((r) => r()),
  };
}

/** A function that stands in for an export until it is used for more than `instanceof`. */
function standInFor(load: () => object, namespace: string): unknown {
  // A function target, so that `new` and calls can be trapped.
  const target: object = function deferred() {};
  const hasInstance = (value: unknown): boolean => {
    if (!hasClassOf(value, namespace)) return false;
    return Function.prototype[Symbol.hasInstance].call(load(), value);
  };
  const standIn: object = new Proxy(target, {
    get: (_t, key) => (key === Symbol.hasInstance ? hasInstance : Reflect.get(load(), key)),
    has: (_t, key) => Reflect.has(load(), key),
    set: (_t, key, value) => Reflect.set(load(), key, value),
    ownKeys: () => Reflect.ownKeys(load()),
    getOwnPropertyDescriptor: (_t, key) => {
      const d = Reflect.getOwnPropertyDescriptor(load(), key);
      // A proxy may not report a non-configurable property its target lacks.
      return d ? { ...d, configurable: true } : undefined;
    },
    getPrototypeOf: () => Reflect.getPrototypeOf(load()),
    apply: (_t, thisArg, args) => Reflect.apply(load() as (...a: unknown[]) => unknown, thisArg, args),
    // `new StandIn()` builds the real class; `super()` of a subclass keeps the subclass as new.target.
    construct: (_t, args, newTarget) => {
      const real = load() as new (...a: unknown[]) => object;
      return Reflect.construct(real, args, newTarget === standIn ? real : newTarget);
    },
  });
  return standIn;
}
