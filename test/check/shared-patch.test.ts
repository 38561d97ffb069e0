import { describe, expect, it } from 'vitest';
import { SharedPatch } from '../../lib/check/shared-patch';

function counted(): { patch: SharedPatch; made: () => number; undone: () => number } {
  let made = 0;
  let undone = 0;
  const patch = new SharedPatch(() => {
    made += 1;
    return () => void (undone += 1);
  });
  return { patch, made: () => made, undone: () => undone };
}

describe('a patch shared by overlapping checks', () => {
  it('is made by the first hold and undone by the last release, once each', () => {
    const { patch, made, undone } = counted();
    expect(patch.applied).toBe(false);
    const first = patch.hold();
    const second = patch.hold();
    expect([made(), patch.applied]).toEqual([1, true]);
    first();
    first();
    expect([undone(), patch.applied]).toEqual([0, true]);
    second();
    expect([undone(), patch.applied]).toEqual([1, false]);
    // A release after the last changes nothing, and the next hold makes it again.
    second();
    patch.hold()();
    expect([made(), undone()]).toEqual([2, 2]);
  });

  it('is not made for a first holder that declines it, nor by a later one while that holder holds', () => {
    const { patch, made } = counted();
    const declining = patch.hold(false);
    const later = patch.hold();
    expect([made(), patch.applied]).toEqual([0, false]);
    later();
    declining();
    patch.hold();
    expect(made()).toBe(1);
  });

  it('runs without the change when it cannot be made', () => {
    const patch = new SharedPatch(() => undefined);
    const release = patch.hold();
    expect(patch.applied).toBe(false);
    release();
    expect(patch.applied).toBe(false);
  });
});
