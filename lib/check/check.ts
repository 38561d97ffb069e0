import { isAbsolute } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { DISABLE_CREATION_STACK_TRACES } from 'aws-cdk-lib/cx-api';
import { NagPack } from 'cdk-nag';
import { createPacks, PACK_FACTORIES } from '../policy/packs';
import { Finding, FindingLevel, InputError, Report, RuleInfo, SourceLocation } from '../report/finding';
import {
  AcknowledgmentsFile,
  AcknowledgmentSources,
  AcknowledgmentTarget,
  candidatesFor,
  problemsOf,
  toFindingAcknowledgment,
} from './acknowledgments';
import { deferUnloadedModules } from './deferred-modules';
import { holdFindAllMemo } from './find-all-memo';
import { holdSelfResolutionCache } from './resolve-cache';
import { holdTemplateSource } from './template-source';
import { CheckUsageError } from './errors';
import {
  AssemblyStackMetadata,
  CfnTemplate,
  displayPath,
  isRecord,
  LoadedInputs,
  loadInputs,
  positionsOfInput,
  TemplateInput,
} from './inputs';
import { TextPosition } from './positions';
import { RuleCatalog } from './rule-catalog';
import { toolVersion } from './version';

/** Options of {@link checkPaths}. */
export interface CheckOptions {
  /** Directory that relative paths resolve against and that reported paths are relative to. */
  readonly cwd: string;
  /**
   * Pack names, as in `PACK_FACTORIES`.
   * @default - every pack in PACK_FACTORIES
   */
  readonly packs?: readonly string[];
  /**
   * Parsed `--acknowledgments` files.
   * @default - none
   */
  readonly acknowledgments?: readonly AcknowledgmentsFile[];
  /**
   * The day acknowledgments are judged against, `YYYY-MM-DD`.
   * @default - today (UTC)
   */
  readonly today?: string;
  /**
   * Called after each template is checked.
   * @default - no progress reporting
   */
  readonly onProgress?: (done: number, total: number) => void;
}

/** When a run fails: findings at or above this level that are not acknowledged. */
export type FailOn = 'error' | 'warning' | 'none';

/** The levels that fail a run at each threshold. */
const FAILING: Readonly<Record<FailOn, readonly FindingLevel[]>> = {
  error: ['error'],
  warning: ['error', 'warning'],
  none: [],
};

/** True when a finding fails a run at the given threshold. */
export function fails(finding: Finding, failOn: FailOn): boolean {
  return finding.acknowledgment === undefined && FAILING[failOn].includes(finding.level);
}

/**
 * The exit code of a run: 2 when an input could not be checked, 1 when an unacknowledged finding
 * is at or above `failOn`, else 0.
 */
export function exitCodeOf(report: Report, failOn: FailOn): 0 | 1 | 2 {
  if (report.errors.length > 0) return 2;
  return report.findings.some((f) => fails(f, failOn)) ? 1 : 0;
}

/** The pack names `check` runs by default: all of them. */
export function defaultPacks(): string[] {
  return Object.keys(PACK_FACTORIES);
}

/**
 * Checks cloud assemblies, templates and directories of templates with cdk-nag packs, without
 * synthesizing: each template is loaded with CfnInclude into a Stack of one shared App and every pack runs
 * `validateScope` over it. Inputs that cannot be loaded are listed in `errors`; the others are
 * still checked.
 * @throws CheckUsageError for an unknown pack name
 */
export function checkPaths(paths: readonly string[], options: CheckOptions): Report {
  const packNames = resolvePackNames(options.packs);
  const loaded = loadInputs(paths, options.cwd);
  const result = checkTemplates(loaded.templates, { ...options, packs: packNames });
  return reportOf(loaded, result, packNames);
}

/** Validates pack names, throwing CheckUsageError for an unknown one; returns the names to run. */
export function resolvePackNames(packs: readonly string[] | undefined): string[] {
  const packNames = [...(packs ?? defaultPacks())];
  const unknown = packNames.filter((p) => !(p in PACK_FACTORIES));
  if (unknown.length > 0) {
    throw new CheckUsageError(
      `unknown pack ${unknown.map((u) => JSON.stringify(u)).join(', ')} (expected one of ${Object.keys(PACK_FACTORIES).join(', ')})`,
    );
  }
  return packNames;
}

/** The report of a run from its loaded inputs and the result of checking them. */
export function reportOf(
  loaded: LoadedInputs,
  result: TemplateCheckResult,
  packNames: readonly string[],
): Report {
  return {
    tool: { name: 'compliant-mlops', version: toolVersion(), command: 'check' },
    findings: result.findings,
    rules: result.rules,
    inputs: loaded.templates
      .filter((t) => !result.errors.some((e) => e.input === t.displayPath))
      .map((t) => t.displayPath),
    errors: [...loaded.errors, ...result.errors],
    packs: [...packNames],
    notChecked: loaded.notChecked,
    ...(loaded.root ? { root: loaded.root } : {}),
  };
}

/** Findings, rule descriptors and load errors of a set of parsed templates. */
export interface TemplateCheckResult {
  readonly findings: Finding[];
  readonly rules: RuleInfo[];
  readonly errors: InputError[];
}

/**
 * Checks parsed templates with the named packs (see {@link checkPaths}). One pack instance of
 * each kind and one App serve every template (see {@link createTemplateChecker}).
 */
export function checkTemplates(
  templates: readonly TemplateInput[],
  options: CheckOptions,
): TemplateCheckResult {
  const checker = createTemplateChecker(options);
  const findings: Finding[] = [];
  const errors: InputError[] = [];
  try {
    templates.forEach((input, index) => {
      const result = checker.check(input);
      findings.push(...result.findings);
      errors.push(...result.errors);
      options.onProgress?.(index + 1, templates.length);
    });
  } finally {
    checker.close();
  }
  return { findings, rules: checker.rulesOf(findings), errors };
}

/** Checks one template at a time with state built once per run; see {@link createTemplateChecker}. */
export interface TemplateChecker {
  /** Findings and load errors of one template (`rules` of the result is empty: see `rulesOf`). */
  check(input: TemplateInput): { readonly findings: Finding[]; readonly errors: InputError[] };
  /** The descriptors of the rules the given findings name, sorted by id. */
  rulesOf(findings: readonly Finding[]): RuleInfo[];
  /** Releases what the checker holds (aws-cdk-lib's template reader, scratch files). */
  close(): void;
}

/**
 * The per-run state of a check, built once: the packs (`validateScope` resets their state per
 * call), the rule catalog and one App. Real templates are small (median five resources), so what
 * is paid per template rather than per resource dominates a corpus run (issue 15): each template
 * is included into a Stack of that one App, checked, and its Stack removed again, so the App never
 * holds more than one template and memory stays flat. The Stack always has the id `Check`, as
 * with an App per template, so construct paths and findings are unchanged. Construct stack traces
 * are off: findings take their locations from the template and the assembly, never from the
 * included constructs, and capturing a trace per included resource is a tenth of the time.
 * While it is open, `findAll` walks are remembered until a tree changes (see find-all-memo.ts),
 * as many rules walk the whole stack once per resource.
 */
export function createTemplateChecker(options: CheckOptions): TemplateChecker {
  const catalog = new RuleCatalog();
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  // The MLOps pack judges template-recorded acknowledgments on the same day as the checker.
  const packs = createPacks(options.packs ?? defaultPacks(), { today });
  packs.forEach((p) => catalog.observe(p));
  const deferred = deferUnloadedModules();
  const resolutions = holdSelfResolutionCache();
  const walks = holdFindAllMemo();
  const templates = holdTemplateSource();
  const app = new App({ stackTraces: false, context: { [DISABLE_CREATION_STACK_TRACES]: true } });
  return {
    check(input) {
      const variants = branchVariants(input.template);
      const perVariant: Finding[][] = [];
      const errors: InputError[] = [];
      for (const variant of variants) {
        // The template exactly as this checker parsed and expanded it, never the file again.
        const source = templates.fileFor(variant.template);
        const variantInput = variants.length > 1 ? { ...input, template: variant.template } : input;
        const included = include(app, variantInput, source.file);
        try {
          if ('error' in included) {
            errors.push({ input: input.displayPath, message: included.error });
            perVariant.length = 0;
            break;
          }
          perVariant.push(checkStack(included.stack, variantInput, packs, catalog, options, today));
        } finally {
          app.node.tryRemoveChild(STACK_ID);
          source.done();
        }
      }
      return { findings: mergeVariants(perVariant, variants, input), errors };
    },
    rulesOf(findings) {
      const ids = [...new Set(findings.map((f) => f.ruleId))].sort();
      return ids.map((id) => catalog.get(id) ?? fallbackRule(id, findings));
    },
    close() {
      deferred.restore();
      resolutions.release();
      walks.release();
      templates.close();
    },
  };
}

/** The id of the Stack each template is included into. */
const STACK_ID = 'Check';

/** One way a template can be deployed, for the resources whose whole `Properties` is an `Fn::If`. */
interface BranchVariant {
  readonly template: CfnTemplate;
  /** `when condition C is true`, per logical id whose Properties this variant chose. */
  readonly labels: ReadonlyMap<string, string>;
}

function isIf(value: unknown): value is { 'Fn::If': [string, unknown, unknown] } {
  if (!isRecord(value) || Object.keys(value).length !== 1) return false;
  const args = value['Fn::If'];
  return Array.isArray(args) && args.length === 3 && typeof args[0] === 'string';
}

function isNoValue(value: unknown): boolean {
  return isRecord(value) && value.Ref === 'AWS::NoValue';
}

/**
 * A resource whose whole `Properties` is an `Fn::If` cannot be typed by CfnInclude ("Unexpected
 * IResolvable"). CloudFormation picks one branch per deployment, so the template is checked
 * twice: once with every such resource on its true branch, once on its false branch (a branch
 * that is itself an `Fn::If` follows the same side; `AWS::NoValue` means no properties). A
 * template without such a resource is its one variant.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-conditions.html
 */
export function branchVariants(template: CfnTemplate): BranchVariant[] {
  const branching = Object.entries(template.Resources).filter(([, r]) => isIf(r?.Properties));
  if (branching.length === 0) return [{ template, labels: new Map() }];
  return [1, 2].map((side) => {
    const resources = { ...template.Resources };
    const labels = new Map<string, string>();
    for (const [id, r] of branching) {
      let props: unknown = r.Properties;
      const condition = (props as { 'Fn::If': [string] })['Fn::If'][0];
      while (isIf(props)) props = props['Fn::If'][side];
      const { Properties: _dropped, ...rest } = r;
      resources[id] = isNoValue(props) || props === undefined ? rest : { ...rest, Properties: props };
      labels.set(id, `when condition ${condition} is ${side === 1 ? 'true' : 'false'}`);
    }
    return { template: { ...template, Resources: resources }, labels };
  });
}

/**
 * Findings of every variant of a template, once each. A finding that only some variants have,
 * on a resource whose Properties those variants chose, names the condition and branch.
 */
function mergeVariants(perVariant: Finding[][], variants: BranchVariant[], input: TemplateInput): Finding[] {
  if (perVariant.length <= 1) return perVariant[0] ?? [];
  const key = (f: Finding): string => `${f.findingId}|${f.logicalId}|${f.message}`;
  const seen = new Map<string, { finding: Finding; in: number[] }>();
  perVariant.forEach((list, v) => {
    for (const f of list) {
      const entry = seen.get(key(f));
      if (entry) entry.in.push(v);
      else seen.set(key(f), { finding: f, in: [v] });
    }
  });
  const out = [...seen.values()].map(({ finding, in: where }) => {
    const labels = where.map((v) => variants[v].labels.get(finding.logicalId ?? '')).filter(Boolean);
    if (where.length === variants.length || labels.length === 0) return finding;
    return { ...finding, message: `${finding.message} (${labels.join('; ')})` };
  });
  const order = new Map(Object.keys(input.template.Resources).map((id, i) => [id, i]));
  return sortFindings(out, order);
}

function sortFindings(findings: Finding[], resourceOrder: ReadonlyMap<string, number>): Finding[] {
  const order = (f: Finding): number => resourceOrder.get(f.logicalId ?? '') ?? Number.MAX_SAFE_INTEGER;
  return findings.sort(
    (a, b) => order(a) - order(b) || cmp(a.findingId, b.findingId) || cmp(a.message, b.message),
  );
}

function fallbackRule(id: string, findings: readonly Finding[]): RuleInfo {
  const f = findings.find((x) => x.ruleId === id)!;
  return { id, pack: f.pack, info: f.message, level: f.level };
}

function include(app: App, input: TemplateInput, file: string): { stack: Stack } | { error: string } {
  const stack = new Stack(app, STACK_ID);
  try {
    new CfnInclude(stack, 'Template', { templateFile: file });
    return { stack };
  } catch (e) {
    const message = String((e as Error).message).split('\n')[0];
    const whole = wholeIntrinsicProperties(input);
    if (whole) return { error: whole };
    if (usesForEach(input.template)) {
      return {
        error: `uses Fn::ForEach (AWS::LanguageExtensions), which CfnInclude cannot load; check the processed template instead (${message})`,
      };
    }
    return { error: `CfnInclude cannot load the template: ${message}` };
  }
}

/**
 * Names the first resource whose whole `Properties` is an intrinsic other than `Fn::If` (which
 * {@link branchVariants} already split): CfnInclude needs a map there to type the resource.
 */
function wholeIntrinsicProperties(input: TemplateInput): string | undefined {
  for (const [id, r] of Object.entries(input.template.Resources)) {
    const props = r?.Properties;
    if (!isRecord(props) || Object.keys(props).length !== 1) continue;
    const fn = Object.keys(props)[0];
    if (fn !== 'Ref' && !fn.startsWith('Fn::')) continue;
    const position = positionsOfInput(input).get(id);
    return `resource ${id}${position ? ` (line ${position.line})` : ''}: its whole Properties is ${fn}, which the checker cannot evaluate before deployment; write the properties out (an Fn::If around the whole block is checked branch by branch), or check the processed template (aws cloudformation get-template --stack-name <stack> --template-stage Processed)`;
  }
  return undefined;
}

function usesForEach(template: TemplateInput['template']): boolean {
  return Object.keys(template.Resources).some((k) => k.startsWith('Fn::ForEach'));
}

/** Runs every pack over one included template and maps its violations to findings. */
function checkStack(
  stack: Stack,
  input: TemplateInput,
  packs: readonly NagPack[],
  catalog: RuleCatalog,
  options: CheckOptions,
  today: string,
): Finding[] {
  const resourceOrder = new Map(Object.keys(input.template.Resources).map((id, i) => [id, i]));
  const sources: AcknowledgmentSources = {
    template: input.template,
    assembly: input.assembly,
    files: options.acknowledgments ?? [],
  };
  const evidence = templateEvidence(input.template);
  let positions: ReadonlyMap<string, TextPosition> | undefined;
  let lines: Map<string, number> | undefined;
  const findings: Finding[] = [];
  const ackFindings = new Map<string, Finding>();
  packs.forEach((pack) => {
    const report = pack.validateScope(stack);
    for (const violation of report.violations) {
      const { ruleId, granular } = splitRuleName(violation.ruleName);
      const level = catalog.get(ruleId)?.level ?? (violation.severity === 'error' ? 'error' : 'warning');
      for (const resource of violation.violatingResources) {
        const logicalId = (resource.constructPath ?? '').split('/').pop() ?? '';
        const templateResource = input.template.Resources[logicalId];
        const constructPath = constructPathOf(logicalId, templateResource?.Metadata, input.assembly);
        positions ??= positionsOfInput(input);
        const position = positions.get(logicalId);
        if (!position) lines ??= logicalIdLines(input.text);
        const line = position?.line ?? lines?.get(logicalId);
        const base: Finding = {
          ruleId,
          findingId: violation.ruleName,
          ...(granular !== undefined ? { granular } : {}),
          level,
          pack: pack.name,
          message: violation.description,
          stack: input.stackName,
          templatePath: input.displayPath,
          logicalId,
          ...(constructPath ? { constructPath } : {}),
          ...(typeof templateResource?.Type === 'string' ? { resourceType: templateResource.Type } : {}),
          ...sourceOf(constructPath, input.assembly, options.cwd),
          ...(line !== undefined ? { templateLine: line } : {}),
          ...(position ? { templateColumn: position.column } : {}),
        };
        const target: AcknowledgmentTarget = {
          pack: pack.name,
          ruleId,
          findingId: violation.ruleName,
          granular,
          stack: input.stackName,
          logicalId,
          constructPath,
        };
        let acknowledgment: Finding['acknowledgment'] = evidence(ruleId, logicalId);
        for (const candidate of candidatesFor(target, sources)) {
          const problems = problemsOf(violation.ruleName, candidate, today);
          if (problems.length === 0) {
            acknowledgment ??= toFindingAcknowledgment(candidate);
            continue;
          }
          for (const p of problems) {
            // The same acknowledgment recorded twice (assembly metadata and template metadata) is one problem.
            const key = `${p.ruleId}|${violation.ruleName}|${candidate.reason}|${candidate.owner}|${candidate.expires}`;
            if (ackFindings.has(key)) continue;
            ackFindings.set(key, {
              ...base,
              ruleId: p.ruleId,
              findingId: `${p.ruleId}[${violation.ruleName}]`,
              granular: violation.ruleName,
              level: 'error',
              pack: 'MLOps',
              message: p.message,
            });
          }
        }
        findings.push(acknowledgment ? { ...base, acknowledgment } : base);
      }
    }
  });
  // One finding per (finding id, resource): the MLOps pack may report an acknowledgment problem
  // the checker also derives, and a source may repeat an acknowledgment another holds.
  // The pack's copy is generic; the checker's names the acknowledgment's source, so the checker's is kept.
  const derived = new Set([...ackFindings.values()].map((f) => `${f.findingId}|${f.logicalId}`));
  const fromPacks = findings.filter(
    (f) => !(f.ruleId.startsWith('MLOps-Ack') && derived.has(`${f.findingId}|${f.logicalId}`)),
  );
  const unique = new Map<string, Finding>();
  for (const f of [...fromPacks, ...ackFindings.values()]) {
    const key = `${f.findingId}|${f.logicalId}|${f.message}`;
    if (!unique.has(key)) unique.set(key, f);
  }
  return sortFindings([...unique.values()], resourceOrder);
}

/**
 * Acknowledgments the template itself proves, for rules that look for evidence in the construct
 * tree an included template does not reproduce. `VPCDefaultSecurityGroupClosed` looks for the
 * L2 Vpc's `RestrictDefaultSecurityGroupCustomResource` child; in a template the same evidence is
 * a `Custom::VpcRestrictDefaultSG` resource pointing at the VPC's default security group.
 */
function templateEvidence(
  template: TemplateInput['template'],
): (ruleId: string, logicalId: string) => Finding['acknowledgment'] {
  const restricted = new Map<string, string>();
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'Custom::VpcRestrictDefaultSG') continue;
    const props = resource.Properties as Record<string, unknown> | undefined;
    const att = (props?.DefaultSecurityGroupId as Record<string, unknown> | undefined)?.['Fn::GetAtt'];
    const [vpc, attribute] = Array.isArray(att) ? att : typeof att === 'string' ? att.split('.') : [];
    if (typeof vpc === 'string' && attribute === 'DefaultSecurityGroup') restricted.set(vpc, id);
  }
  return (ruleId, logicalId) => {
    const by = restricted.get(logicalId);
    if (!by || !ruleId.endsWith('-VPCDefaultSecurityGroupClosed')) return undefined;
    return {
      reason: `the template closes this VPC's default security group with the Custom::VpcRestrictDefaultSG resource ${by}; the rule looks for it in a construct tree that an included template does not have`,
      owner: 'compliant-mlops check',
      source: 'template-evidence',
    };
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `AwsSolutions-IAM5[Resource::*]` → base id `AwsSolutions-IAM5` and granular part `Resource::*`. */
export function splitRuleName(ruleName: string): { ruleId: string; granular?: string } {
  const open = ruleName.indexOf('[');
  if (open < 0 || !ruleName.endsWith(']')) return { ruleId: ruleName };
  return { ruleId: ruleName.slice(0, open), granular: ruleName.slice(open + 1, -1) };
}

function constructPathOf(
  logicalId: string,
  metadata: Readonly<Record<string, unknown>> | undefined,
  assembly: AssemblyStackMetadata | undefined,
): string | undefined {
  const fromTemplate = metadata?.['aws:cdk:path'];
  if (typeof fromTemplate === 'string') return fromTemplate;
  return assembly?.pathByLogicalId.get(logicalId);
}

/**
 * The first user frame of a resource's creation stack trace: the first `file:line` outside
 * node_modules and Node internals. Traces appear only when the app was synthesized with them on.
 */
function sourceOf(
  constructPath: string | undefined,
  assembly: AssemblyStackMetadata | undefined,
  cwd: string,
): { source?: SourceLocation } {
  if (!constructPath || !assembly) return {};
  for (const entry of assembly.byPath.get(constructPath) ?? []) {
    const frames =
      entry.type === 'aws:cdk:creationStack' && Array.isArray(entry.data) ? entry.data : entry.trace;
    if (!Array.isArray(frames)) continue;
    for (const frame of frames) {
      const location = parseFrame(String(frame), cwd);
      if (location) return { source: location };
    }
  }
  return {};
}

const FRAME = /(?:\(|at |^)((?:file:\/\/)?(?:[A-Za-z]:)?[^\s()]+?):(\d+)(?::(\d+))?\)?\s*$/;

/** Parses one V8 stack frame into a location relative to `cwd`, or undefined for library frames. */
export function parseFrame(frame: string, cwd: string): SourceLocation | undefined {
  const m = FRAME.exec(frame.trim());
  if (!m) return undefined;
  const file = m[1].replace(/^file:\/\//, '');
  if (!isAbsolute(file) || /[\\/]node_modules[\\/]/.test(file) || file.startsWith('node:')) return undefined;
  return { file: displayPath(file, cwd), line: Number(m[2]), ...(m[3] ? { column: Number(m[3]) } : {}) };
}

/**
 * The 1-based line of each resource's logical id in the template text, found by indentation:
 * the keys one level inside `Resources`. Works for pretty-printed JSON and block YAML; a
 * single-line template maps every id it contains to line 1.
 */
export function logicalIdLines(text: string): Map<string, number> {
  const out = new Map<string, number>();
  const lines = text.split('\n');
  const key = /^(\s*)["']?([A-Za-z0-9:_.-]+)["']?\s*:/;
  if (lines.length === 1) {
    for (const m of text.matchAll(/"([A-Za-z0-9]+)"\s*:\s*\{\s*"Type"/g))
      if (!out.has(m[1])) out.set(m[1], 1);
    return out;
  }
  const start = lines.findIndex((l) => /^\s*["']?Resources["']?\s*:/.test(l));
  if (start < 0) return out;
  const outer = (key.exec(lines[start])?.[1] ?? '').length;
  let indent: number | undefined;
  for (let i = start + 1; i < lines.length; i++) {
    const m = key.exec(lines[i]);
    if (!m) continue;
    const width = m[1].length;
    if (width <= outer) break;
    indent ??= width;
    if (width === indent && !out.has(m[2])) out.set(m[2], i + 1);
  }
  return out;
}
