import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ACKNOWLEDGMENT_METADATA_KEY, ACKNOWLEDGMENT_TEMPLATE_KEY } from '../shared/acknowledgment';
import {
  ACK_RULE_IDS,
  AckRuleId,
  CDK_ACKNOWLEDGED_RULES_KEY,
  CDK_NAG_V2_METADATA_KEY,
  judgeAcknowledgment,
  MIN_ACK_REASON_LENGTH,
  normalizeExpires,
} from '../shared/acknowledgment';
import { FindingAcknowledgment } from '../report/finding';
import { CheckUsageError } from './errors';
import { AssemblyStackMetadata, CfnTemplate, CfnTemplateResource, displayPath, isRecord } from './inputs';

/** Shortest reason that explains a decision rather than labelling it (the shared model's). */
export const MIN_REASON_LENGTH = MIN_ACK_REASON_LENGTH;

/** The findings an acknowledgment that does not hold produces, by problem (the shared model's). */
export { ACK_RULE_IDS };

/** An acknowledgment that could apply to a finding, before it is judged. */
export interface AcknowledgmentCandidate {
  readonly reason?: string;
  readonly owner?: string;
  /** As written; judged against today. */
  readonly expires?: string;
  /** `assembly`, `template`, `cdk_nag` or `file:<path>`. */
  readonly source: string;
}

/** Why an acknowledgment does not hold. */
export interface AcknowledgmentProblem {
  readonly ruleId: AckRuleId;
  readonly message: string;
}

/**
 * One entry of an `--acknowledgments` file. `id` matches one exact finding id (granular part
 * included); `rule` matches every finding of a base rule id. `resource` is a logical id or a
 * construct path (which also covers the constructs beneath it).
 */
export interface FileAcknowledgment {
  readonly rule?: string;
  readonly id?: string;
  readonly resource: string;
  /** Limits the entry to one stack. @default - every stack */
  readonly stack?: string;
  readonly reason?: string;
  readonly owner?: string;
  readonly expires?: string;
}

/** An `--acknowledgments` file that cannot be used: the run stops with exit code 2. */
export class AcknowledgmentsFileError extends CheckUsageError {
  constructor(message: string) {
    super(message);
    this.name = 'AcknowledgmentsFileError';
  }
}

/** The `--acknowledgments` file's schema; zod loads with the first such file (start-up, issue 15). */
function fileSchema() {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { z } = require('zod') as typeof import('zod');
  const dateLike = z.union([z.string(), z.date().transform((d) => d.toISOString().slice(0, 10))]);
  const fileEntrySchema = z
    .object({
      rule: z.string().min(1).optional(),
      id: z.string().min(1).optional(),
      resource: z.string().min(1),
      stack: z.string().min(1).optional(),
      reason: z.string().optional(),
      owner: z.string().optional(),
      expires: dateLike.optional(),
    })
    .strict()
    .refine((e) => e.rule !== undefined || e.id !== undefined, { message: 'needs rule or id' });
  return z.union([
    z.array(fileEntrySchema),
    z.object({ acknowledgments: z.array(fileEntrySchema) }).strict(),
  ]);
}

/** A parsed `--acknowledgments` file, with the label findings cite as their source. */
export interface AcknowledgmentsFile {
  readonly source: string;
  readonly entries: readonly FileAcknowledgment[];
}

/**
 * Reads an `--acknowledgments` file: YAML or JSON, a list of entries (or `{acknowledgments: [...]}`),
 * each `{rule | id, resource, stack?, reason, owner, expires}`.
 * @throws AcknowledgmentsFileError when the file is missing, malformed, or an entry has the wrong shape
 */
export function loadAcknowledgmentsFile(path: string, cwd: string): AcknowledgmentsFile {
  const abs = resolve(cwd, path);
  const label = displayPath(abs, cwd);
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new AcknowledgmentsFileError(
      `${label}: ${code === 'ENOENT' ? 'no such file' : `cannot read (${code})`}`,
    );
  }
  let raw: unknown;
  try {
    // YAML 1.2 core schema: JSON is valid YAML, and dates stay strings.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- yaml loads only with an acknowledgments file (start-up, issue 15)
    raw = (require('yaml') as typeof import('yaml')).parse(text, { prettyErrors: true });
  } catch (e) {
    throw new AcknowledgmentsFileError(
      `${label}: malformed YAML/JSON: ${String((e as Error).message).split('\n')[0]}`,
    );
  }
  const result = fileSchema().safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue.path.length > 0 ? issue.path.join('.') : '(root)';
    throw new AcknowledgmentsFileError(
      `${label}: ${where}: ${issue.message} (expected a list of {rule | id, resource, reason, owner, expires})`,
    );
  }
  const entries = Array.isArray(result.data) ? result.data : result.data.acknowledgments;
  return { source: `file:${label}`, entries };
}

/** What a finding is on, for matching acknowledgments. */
export interface AcknowledgmentTarget {
  readonly pack: string;
  readonly ruleId: string;
  readonly findingId: string;
  readonly granular?: string;
  readonly stack: string;
  readonly logicalId: string;
  /** The original construct path, no leading slash, when known. */
  readonly constructPath?: string;
}

/** Everything in one template and its assembly that can acknowledge findings. */
export interface AcknowledgmentSources {
  readonly template: CfnTemplate;
  readonly assembly?: AssemblyStackMetadata;
  readonly files: readonly AcknowledgmentsFile[];
}

/** Every acknowledgment that matches a finding, in order: assembly, template, cdk_nag, files. */
export function candidatesFor(
  target: AcknowledgmentTarget,
  sources: AcknowledgmentSources,
): AcknowledgmentCandidate[] {
  const out: AcknowledgmentCandidate[] = [];
  const resource = sources.template.Resources[target.logicalId] as CfnTemplateResource | undefined;
  if (sources.assembly && target.constructPath)
    out.push(...fromAssembly(target, sources.assembly, target.constructPath));
  out.push(...fromTemplateMetadata(target, resource));
  out.push(...fromCdkNag(target, resource?.Metadata, sources.template.Metadata));
  for (const file of sources.files) out.push(...fromFile(target, file));
  return out;
}

/** The construct path and each of its ancestors', innermost first. */
function ancestors(path: string): string[] {
  const parts = path.split('/');
  return parts.map((_, i) => parts.slice(0, parts.length - i).join('/'));
}

function fromAssembly(
  target: AcknowledgmentTarget,
  assembly: AssemblyStackMetadata,
  path: string,
): AcknowledgmentCandidate[] {
  const out: AcknowledgmentCandidate[] = [];
  for (const p of ancestors(path)) {
    const entries = assembly.byPath.get(p);
    if (!entries) continue;
    for (const entry of entries) {
      if (entry.type !== CDK_ACKNOWLEDGED_RULES_KEY || !isRecord(entry.data)) continue;
      for (const [key, value] of Object.entries(entry.data)) {
        // cdk-nag strips the annotation namespace too; bare ids are matched as CDK itself would.
        const id = key.replace(/^annotation::/i, '');
        if (id !== `${target.pack}::${target.findingId}` && id !== target.findingId) continue;
        const record = entries.find(
          (e) => e.type === ACKNOWLEDGMENT_METADATA_KEY && isRecord(e.data) && e.data.id === target.findingId,
        );
        const data = record && isRecord(record.data) ? record.data : undefined;
        out.push({
          reason: str(data?.reason) ?? str(value),
          owner: str(data?.owner),
          expires: dateStr(data?.expires),
          source: 'assembly',
        });
      }
    }
  }
  return out;
}

function fromTemplateMetadata(
  target: AcknowledgmentTarget,
  resource: CfnTemplateResource | undefined,
): AcknowledgmentCandidate[] {
  const ours = resource?.Metadata?.[ACKNOWLEDGMENT_TEMPLATE_KEY];
  if (!isRecord(ours) || !Array.isArray(ours.acknowledgments)) return [];
  return ours.acknowledgments
    .filter(
      (a): a is Record<string, unknown> =>
        isRecord(a) && stripNamespace(str(a.id), target.pack) === target.findingId,
    )
    .map((a) => ({
      reason: str(a.reason),
      owner: str(a.owner),
      expires: dateStr(a.expires),
      source: 'template',
    }));
}

/**
 * cdk-nag v2 `Metadata.cdk_nag.rules_to_suppress` on the resource or the template: `{id, reason,
 * applies_to?}`. Without `applies_to` an entry covers every finding of the rule, as v2 did.
 */
function fromCdkNag(
  target: AcknowledgmentTarget,
  resourceMetadata: Readonly<Record<string, unknown>> | undefined,
  templateMetadata: Readonly<Record<string, unknown>> | undefined,
): AcknowledgmentCandidate[] {
  const out: AcknowledgmentCandidate[] = [];
  for (const metadata of [resourceMetadata, templateMetadata]) {
    const nag = metadata?.[CDK_NAG_V2_METADATA_KEY];
    if (!isRecord(nag) || !Array.isArray(nag.rules_to_suppress)) continue;
    for (const rule of nag.rules_to_suppress) {
      if (!isRecord(rule)) continue;
      const id = stripNamespace(str(rule.id), target.pack);
      const appliesTo = rule.applies_to ?? rule.appliesTo;
      const matches =
        id === target.findingId ||
        (id === target.ruleId &&
          (!Array.isArray(appliesTo) ||
            (target.granular !== undefined && appliesTo.some((a) => appliesToMatches(a, target.granular!)))));
      if (matches)
        out.push({
          reason: str(rule.reason),
          owner: str(rule.owner),
          expires: dateStr(rule.expires),
          source: 'cdk_nag',
        });
    }
  }
  return out;
}

function appliesToMatches(pattern: unknown, granular: string): boolean {
  if (typeof pattern === 'string') return pattern === granular;
  if (isRecord(pattern) && typeof pattern.regex === 'string') {
    const m = /^\/(.*)\/([a-z]*)$/s.exec(pattern.regex);
    if (!m) return false;
    try {
      return new RegExp(m[1], m[2].replace(/g/g, '')).test(granular);
    } catch {
      return false;
    }
  }
  return false;
}

function fromFile(target: AcknowledgmentTarget, file: AcknowledgmentsFile): AcknowledgmentCandidate[] {
  return file.entries
    .filter((e) => {
      if (e.stack !== undefined && e.stack !== target.stack) return false;
      const resource = e.resource.replace(/^\//, '');
      const onResource =
        resource === target.logicalId ||
        (target.constructPath !== undefined &&
          (target.constructPath === resource || target.constructPath.startsWith(`${resource}/`)));
      if (!onResource) return false;
      if (e.id !== undefined) return stripNamespace(e.id, target.pack) === target.findingId;
      return stripNamespace(e.rule, target.pack) === target.ruleId;
    })
    .map((e) => ({ reason: e.reason, owner: e.owner, expires: e.expires, source: file.source }));
}

/** `AwsSolutions::AwsSolutions-S1` → `AwsSolutions-S1` when the namespace is the finding's pack. */
function stripNamespace(id: string | undefined, pack: string): string | undefined {
  return id?.startsWith(`${pack}::`) ? id.slice(pack.length + 2) : id;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function dateStr(value: unknown): string | undefined {
  const v = normalizeExpires(value);
  return typeof v === 'string' ? v : v === undefined || v === null ? undefined : String(v);
}

/**
 * Why an acknowledgment does not hold, judged on `today` (`YYYY-MM-DD`) by the shared model
 * (lib/shared/acknowledgment.ts), the same verdict the MLOps pack gives at synth: a missing,
 * invalid or past expiry date, no owner, or a reason shorter than {@link MIN_REASON_LENGTH}
 * characters. Empty when it holds.
 */
export function problemsOf(
  findingId: string,
  candidate: AcknowledgmentCandidate,
  today: string,
): AcknowledgmentProblem[] {
  return judgeAcknowledgment({ id: findingId, ...candidate }, today, candidate.source).problems.map((p) => ({
    ruleId: p.ruleId,
    message: p.message,
  }));
}

/** The acknowledgment a finding carries when a candidate holds. */
export function toFindingAcknowledgment(candidate: AcknowledgmentCandidate): FindingAcknowledgment {
  return {
    reason: candidate.reason?.trim() ?? '',
    ...(candidate.owner ? { owner: candidate.owner } : {}),
    ...(candidate.expires ? { expires: candidate.expires } : {}),
    source: candidate.source,
  };
}
