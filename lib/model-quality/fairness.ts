import { isMissing, toCategory, type RawCell } from '../drift/values';
import {
  postTrainingMetrics,
  type ConfusionCounts,
  type GroupConfusionCounts,
  type MetricValue,
} from '../fairness/metrics';
import { describeCondition, evaluateCondition, parseFacetSpec, type FacetSpec } from '../fairness/spec';
import { payloadRecord, type GroundTruth, type Prediction } from './records';

/**
 * Post-training fairness of a binary classifier in production: the joined pairs of a window split
 * by facet (the sensitive group d against the rest, a) into confusion matrices, from which
 * `lib/fairness` computes Clarify's post-training metrics (DPPL, DI, RD, AD, …). Facet values come
 * from the captured request (a JSON object's members, or the cells of a CSV request named by
 * `requestColumns`), else from the ground-truth record's fields. Memory: six counters per facet
 * side and group, never the pairs.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-measure-post-training-bias.html
 */

/** Which facets to measure and where their values are. */
export interface QualityFairnessSpec {
  /**
   * Facets as `column=value` or `column:>=number` (facet d is the rows the condition selects; the
   * other rows with a value are facet a), one per column.
   */
  readonly facets: readonly string[];
  /**
   * The group attribute CDDPL conditions on.
   * @default - CDDPL is null with a reason
   */
  readonly group?: string;
  /**
   * Names of the cells of a CSV request, in order (SageMaker CSV requests have no header).
   * @default - CSV requests carry no named field; facets then come from JSON requests or the ground truth
   */
  readonly requestColumns?: readonly string[];
  /**
   * Distinct group values kept; pairs of further groups still count in the facet totals.
   * @default 1000
   */
  readonly maxGroups?: number;
}

/** The post-training metrics of one facet over a window's pairs. */
export interface FacetFairness {
  /** The facet as written back (`gender=female`, `age:>=40`): the `Facet` metric dimension. */
  readonly facet: string;
  /** Its column. */
  readonly column: string;
  /** Pairs in facet a and facet d. */
  readonly rows: { readonly a: number; readonly d: number };
  /** Pairs without a usable value for the facet (missing, or not a number under a threshold). */
  readonly excluded: number;
  /** Every post-training metric of `lib/fairness`, `null` with a reason when undefined. */
  readonly metrics: readonly MetricValue[];
}

const zero = (): ConfusionCounts => ({ tp: 0, fp: 0, fn: 0, tn: 0 });

interface Counts {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

interface FacetState {
  readonly spec: FacetSpec;
  readonly name: string;
  readonly a: Counts;
  readonly d: Counts;
  readonly groups: Map<string, { a: Counts; d: Counts }>;
  excluded: number;
}

function bump(c: Counts, predicted: boolean, label: boolean): void {
  if (predicted) {
    if (label) c.tp++;
    else c.fp++;
  } else if (label) c.fn++;
  else c.tn++;
}

const rows = (c: Counts): number => c.tp + c.fp + c.fn + c.tn;

/**
 * Parses and checks facet specs: each needs a condition (facet d) and its own column.
 * @throws RangeError naming the spec
 */
export function parseQualityFacets(facets: readonly string[]): FacetSpec[] {
  const out: FacetSpec[] = [];
  for (const f of facets) {
    const spec = parseFacetSpec(f);
    if (spec.sensitive === undefined)
      throw new RangeError(
        `facet ${JSON.stringify(f)} names no sensitive group (expected column=value or column:>=number)`,
      );
    if (out.some((o) => o.column === spec.column))
      throw new RangeError(`facet column ${JSON.stringify(spec.column)} is given twice`);
    out.push(spec);
  }
  return out;
}

/** The facet as the `Facet` dimension names it: `gender=female`, `age:>=40`. */
export function facetName(spec: string): string {
  const f = parseFacetSpec(spec);
  return describeCondition(f.column, f.sensitive);
}

/** Accumulates the confusion matrices of every facet over joined binary pairs. */
export class FairnessAccumulator {
  private readonly facets: FacetState[];
  private readonly maxGroups: number;
  private readonly knownGroups = new Set<string>();

  /** @throws RangeError for a facet without a condition or a repeated column */
  constructor(private readonly spec: QualityFairnessSpec) {
    this.facets = parseQualityFacets(spec.facets).map((s) => ({
      spec: s,
      name: describeCondition(s.column, s.sensitive),
      a: zero(),
      d: zero(),
      groups: new Map(),
      excluded: 0,
    }));
    this.maxGroups = spec.maxGroups ?? 1000;
  }

  /** The ground-truth fields the facets and the group may be read from. */
  get attributes(): string[] {
    return [...this.facets.map((f) => f.spec.column), ...(this.spec.group ? [this.spec.group] : [])];
  }

  /** Adds one joined binary pair. */
  add(prediction: Prediction, groundTruth: GroundTruth, predicted: boolean, label: boolean): void {
    const request = payloadRecord(prediction.event.captureData.endpointInput, this.spec.requestColumns);
    const cell = (column: string): RawCell => {
      const v = request?.[column];
      return v === undefined || isMissing(v) ? groundTruth.attributes?.[column] : v;
    };
    let group: string | undefined;
    if (this.spec.group !== undefined) {
      const g = cell(this.spec.group);
      if (!isMissing(g)) {
        const key = toCategory(g);
        if (this.knownGroups.has(key) || this.knownGroups.size < this.maxGroups) {
          this.knownGroups.add(key);
          group = key;
        }
      }
    }
    for (const f of this.facets) {
      const inD = evaluateCondition(f.spec.sensitive!, cell(f.spec.column));
      if (inD === 'missing' || inD === 'invalid') {
        f.excluded++;
        continue;
      }
      bump(inD ? f.d : f.a, predicted, label);
      if (group !== undefined) {
        let g = f.groups.get(group);
        if (!g) {
          g = { a: zero(), d: zero() };
          f.groups.set(group, g);
        }
        bump(inD ? g.d : g.a, predicted, label);
      }
    }
  }

  /** The metrics of every facet over the pairs added. */
  result(): FacetFairness[] {
    return this.facets.map((f) => {
      const groups: GroupConfusionCounts[] | undefined =
        this.spec.group === undefined
          ? undefined
          : [...f.groups.entries()]
              .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
              .map(([group, c]) => ({ group, a: { ...c.a }, d: { ...c.d } }));
      return {
        facet: f.name,
        column: f.spec.column,
        rows: { a: rows(f.a), d: rows(f.d) },
        excluded: f.excluded,
        metrics: postTrainingMetrics({ ...f.a }, { ...f.d }, groups),
      };
    });
  }
}
