/**
 * A change to a module every check in the process shares (Node's resolver, aws-cdk-lib's template
 * reader, `Node.prototype`), made by the first holder and undone by the last. Checks can overlap
 * (the library's `checkPaths` inside a caller's own check, tests in one worker), so each holds
 * the change while it runs instead of making and undoing it itself.
 */
export class SharedPatch {
  private holders = 0;
  private undo: (() => void) | undefined;

  /**
   * @param apply makes the change and returns how to undo it, or undefined when it cannot be made
   * (the holders then run without it).
   */
  constructor(private readonly apply: () => (() => void) | undefined) {}

  /** True while the change is made. */
  get applied(): boolean {
    return this.undo !== undefined;
  }

  /**
   * Holds the change, making it when no one holds it yet and `make` is true. Returns the release,
   * which a holder may call more than once: only its first call counts.
   */
  hold(make = true): () => void {
    if (this.holders === 0 && make) this.undo = this.apply();
    this.holders += 1;
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.holders -= 1;
      if (this.holders > 0 || this.undo === undefined) return;
      const undo = this.undo;
      this.undo = undefined;
      undo();
    };
  }
}
