import { ConstructOrder, IConstruct, Node } from 'constructs';
import { SharedPatch } from './shared-patch';

/** The methods of `Node` this file wraps, as the prototype has them at run time. */
interface NodeMethods {
  findAll(this: Node, order?: ConstructOrder): IConstruct[];
  addChild(this: Node, child: IConstruct, childName: string): void;
  tryRemoveChild(this: Node, childName: string): boolean;
}

/** A held memo; {@link FindAllMemo.release} removes it when no check holds it any more. */
export interface FindAllMemo {
  /** Drops this hold; the last one puts `Node`'s methods back. */
  release(): void;
}

const METHODS = ['findAll', 'addChild', 'tryRemoveChild'] as const;

/** Sets a method the way a class declares one: writable, configurable, not enumerable. */
function define(proto: NodeMethods, name: keyof NodeMethods, value: NodeMethods[keyof NodeMethods]): void {
  Object.defineProperty(proto, name, { value, writable: true, configurable: true, enumerable: false });
}

/** Bumped by every change to any construct tree: a remembered walk is valid only in its generation. */
let generation = 0;
/** The walks of {@link walksGeneration}, per node and order; dropped whole when the trees change. */
let walks = new WeakMap<Node, Map<ConstructOrder, IConstruct[]>>();
let walksGeneration = 0;

const memo = new SharedPatch(() => {
  const proto = Node.prototype as unknown as NodeMethods;
  const original: NodeMethods = {
    findAll: proto.findAll,
    addChild: proto.addChild,
    tryRemoveChild: proto.tryRemoveChild,
  };
  const wrapped: NodeMethods = {
    findAll(order = ConstructOrder.PREORDER) {
      if (walksGeneration !== generation) {
        // Nothing of a finished template stays reachable from a walk remembered before it ended.
        walks = new WeakMap();
        walksGeneration = generation;
      }
      let byOrder = walks.get(this);
      if (byOrder === undefined) walks.set(this, (byOrder = new Map()));
      let walk = byOrder.get(order);
      if (walk === undefined) byOrder.set(order, (walk = original.findAll.call(this, order)));
      return walk.slice();
    },
    addChild(child, childName) {
      generation += 1;
      return original.addChild.call(this, child, childName);
    },
    tryRemoveChild(childName) {
      generation += 1;
      return original.tryRemoveChild.call(this, childName);
    },
  };
  for (const name of METHODS) define(proto, name, wrapped[name]);
  return () => {
    // A method someone replaced after us keeps their replacement.
    for (const name of METHODS) if (proto[name] === wrapped[name]) define(proto, name, original[name]);
    generation += 1;
  };
});

/**
 * Remembers `node.findAll()` while a check runs, until any construct tree changes.
 *
 * Many rules find a resource's partners by walking the whole stack once per resource: cdk-nag's
 * S3BucketSSLRequestsOnly and S3BucketLoggingEnabled call `Stack.of(bucket).node.findAll()` for
 * every bucket, in four packs, and 29 more of its rules do the same for their resource types (as do
 * a few of ours). On one template that makes the check quadratic in its size: a template of 4,000
 * resources took 11 s where 1,000 took 1.8 s, two thirds of it in `findAll` (issue 15, "linear
 * growth"). The packs do not change the tree while they validate it, so the walk is remembered per
 * node and order, and forgotten as soon as a construct is added to or removed from any tree (the
 * checker includes each template into a fresh Stack and removes it afterwards). Callers get a copy,
 * as they always did, so one that sorts or filters in place changes nothing for the next. Ref-counted:
 * the methods are restored when the last check that holds the memo releases it.
 */
export function holdFindAllMemo(): FindAllMemo {
  return { release: memo.hold() };
}
