import { App, Stack } from 'aws-cdk-lib';
import { Construct, ConstructOrder, Node } from 'constructs';
import { afterEach, describe, expect, it } from 'vitest';
import { checkTemplates } from '../../lib/check/check';
import { holdFindAllMemo } from '../../lib/check/find-all-memo';
import type { CfnTemplateResource, TemplateInput } from '../../lib/check/inputs';

const proto = Node.prototype as unknown as Record<string, unknown>;
const originals = {
  findAll: proto.findAll,
  addChild: proto.addChild,
  tryRemoveChild: proto.tryRemoveChild,
};

/** Counts reads of `node.children`, which every walk of the tree makes once per construct. */
function countChildReads(): { reads: () => number; restore: () => void } {
  const descriptor = Object.getOwnPropertyDescriptor(Node.prototype, 'children')!;
  let reads = 0;
  Object.defineProperty(Node.prototype, 'children', {
    ...descriptor,
    get(this: Node) {
      reads += 1;
      return descriptor.get!.call(this) as unknown;
    },
  });
  return {
    reads: () => reads,
    restore: () => Object.defineProperty(Node.prototype, 'children', descriptor),
  };
}

function tree(): { stack: Stack; ids: (order?: ConstructOrder) => string[] } {
  const stack = new Stack(new App(), 'S');
  const a = new Construct(stack, 'A');
  new Construct(a, 'A1');
  new Construct(a, 'A2');
  new Construct(stack, 'B');
  return { stack, ids: (order) => stack.node.findAll(order).map((c) => c.node.path) };
}

afterEach(() => {
  // Every test releases what it holds: the prototype is the library's own again.
  expect(proto.findAll).toBe(originals.findAll);
  expect(proto.addChild).toBe(originals.addChild);
});

describe('the findAll memo of the checker', () => {
  it('answers a repeated walk of an unchanged tree without walking it, with the same constructs in each order', () => {
    const { ids } = tree();
    const pre = ids();
    const post = ids(ConstructOrder.POSTORDER);
    expect(pre).toEqual(['S', 'S/A', 'S/A/A1', 'S/A/A2', 'S/B']);
    expect(post).toEqual(['S/A/A1', 'S/A/A2', 'S/A', 'S/B', 'S']);
    const hold = holdFindAllMemo();
    const counter = countChildReads();
    try {
      expect(ids()).toEqual(pre);
      const first = counter.reads();
      expect(first).toBe(5);
      expect(ids()).toEqual(pre);
      expect(ids(ConstructOrder.PREORDER)).toEqual(pre);
      expect(counter.reads()).toBe(first);
      expect(ids(ConstructOrder.POSTORDER)).toEqual(post);
      expect(ids(ConstructOrder.POSTORDER)).toEqual(post);
      expect(counter.reads()).toBe(first + 5);
    } finally {
      counter.restore();
      hold.release();
    }
  });

  it('forgets every walk when a construct is added to or removed from any tree', () => {
    const { stack, ids } = tree();
    const other = new Stack(new App(), 'Other');
    const hold = holdFindAllMemo();
    try {
      ids();
      new Construct(stack.node.findChild('A'), 'A3');
      expect(ids()).toEqual(['S', 'S/A', 'S/A/A1', 'S/A/A2', 'S/A/A3', 'S/B']);
      expect(stack.node.tryRemoveChild('B')).toBe(true);
      expect(ids()).toEqual(['S', 'S/A', 'S/A/A1', 'S/A/A2', 'S/A/A3']);
      // A change elsewhere forgets this tree's walk too (one generation for every tree).
      const counter = countChildReads();
      try {
        new Construct(other, 'X');
        ids();
        expect(counter.reads()).toBe(5);
      } finally {
        counter.restore();
      }
    } finally {
      hold.release();
    }
  });

  it('gives each caller its own array, so sorting or emptying one changes nothing for the next', () => {
    const { stack, ids } = tree();
    const hold = holdFindAllMemo();
    try {
      const first = stack.node.findAll();
      first.reverse();
      first.length = 1;
      expect(ids()).toEqual(['S', 'S/A', 'S/A/A1', 'S/A/A2', 'S/B']);
    } finally {
      hold.release();
    }
  });

  it('stays installed until the last hold is released, and a second release of one hold does nothing', () => {
    const one = holdFindAllMemo();
    const two = holdFindAllMemo();
    expect(proto.findAll).not.toBe(originals.findAll);
    one.release();
    one.release();
    expect(proto.findAll).not.toBe(originals.findAll);
    // Still installed, and still a method as a class declares one (not enumerable).
    expect(Object.keys(Node.prototype)).not.toContain('findAll');
    two.release();
    expect(proto.findAll).toBe(originals.findAll);
    expect(proto.tryRemoveChild).toBe(originals.tryRemoveChild);
  });

  it('keeps a check linear in the size of one template: twice the buckets, about twice the walking', () => {
    // cdk-nag's S3BucketSSLRequestsOnly and S3BucketLoggingEnabled walk the whole stack once per
    // bucket: without the memo, reads of node.children grow with the square of the buckets.
    const input = (buckets: number): TemplateInput => {
      const resources: Record<string, CfnTemplateResource> = {};
      for (let i = 0; i < buckets; i++) {
        resources[`Bucket${i}`] = { Type: 'AWS::S3::Bucket' };
        resources[`Policy${i}`] = {
          Type: 'AWS::S3::BucketPolicy',
          Properties: {
            Bucket: { Ref: `Bucket${i}` },
            PolicyDocument: { Version: '2012-10-17', Statement: [] },
          },
        };
      }
      const template = { Resources: resources };
      return {
        file: `/nowhere/b${buckets}.json`,
        displayPath: `b${buckets}.json`,
        stackName: `b${buckets}`,
        text: JSON.stringify(template),
        format: 'json',
        template,
      };
    };
    const readsOf = (buckets: number): number => {
      const counter = countChildReads();
      try {
        const result = checkTemplates([input(buckets)], { cwd: process.cwd(), packs: ['AwsSolutions'] });
        expect(result.errors).toEqual([]);
        // Every bucket and every policy lacks the SSL-only statement.
        expect(result.findings.filter((f) => f.ruleId === 'AwsSolutions-S10')).toHaveLength(2 * buckets);
        return counter.reads();
      } finally {
        counter.restore();
      }
    };
    readsOf(5);
    const small = readsOf(40);
    const large = readsOf(80);
    expect(large / small).toBeLessThan(2.5);
  });
});
