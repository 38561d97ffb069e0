import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import { anchorsOf } from '../policy/anchor-mapping';
import { Finding, FindingLevel, Report, RuleInfo } from './finding';
import { fingerprintOf } from './summary';

/** Options of {@link writeSarif}. */
export interface SarifOptions {
  /**
   * Prefix of each run's `runAutomationDetails.id` (`<category>/<pack>/`). GitHub code scanning
   * keeps one analysis per category and tool; use one category per app or template set.
   * @default 'compliant-mlops'
   */
  readonly category?: string;
}

/** GitHub `security-severity` for rules that carry none, by level. */
const DEFAULT_SEVERITY: Readonly<Record<FindingLevel, number>> = { error: 7.0, warning: 4.0, note: 2.0 };

/**
 * The base every artifact URI is relative to: the directory `check` ran in. GitHub code scanning
 * resolves `%SRCROOT%` to the repository checkout.
 */
const SRCROOT = '%SRCROOT%';

/** SARIF limits some fields; GitHub truncates or rejects beyond them. */
const MAX_DESCRIPTION = 1024;

/**
 * The report as SARIF 2.1.0 for GitHub code scanning and other SARIF viewers: one run per pack,
 * rule descriptors with `security-severity`, results keyed by base rule id (the granular part is
 * in the message), located at the user's source line when the assembly has creation stack traces
 * and otherwise at the logical id's line in the template, with stable `partialFingerprints`.
 * Acknowledged findings are results with an external suppression carrying the justification.
 * @see https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning
 */
export function writeSarif(report: Report, options: SarifOptions = {}): string {
  const category = options.category ?? 'compliant-mlops';
  const packs = [...new Set([...(report.packs ?? []), ...report.findings.map((f) => f.pack)])];
  // Input errors need a run to be reported in, even when no pack was named.
  if (packs.length === 0 && (report.errors.length > 0 || (report.notChecked ?? []).length > 0))
    packs.push('');
  const base = report.root !== undefined ? { uriBaseId: SRCROOT } : {};
  const artifact = (uri: string): Sarif.ArtifactLocation => ({ uri, ...base });
  const runs = packs.map((pack): Sarif.Run => {
    // A run is incomplete only through its own pack's errors, or an input no pack could read.
    const errors = report.errors.filter((e) => e.pack === undefined || e.pack === pack);
    const notifications = [
      ...errors.map((e): Sarif.Notification => ({
        level: 'error',
        message: { text: `${e.input}: ${e.message}` },
        locations: [{ physicalLocation: { artifactLocation: artifact(e.input) } }],
      })),
      // Every pack skipped them, so every run says so; they leave the run successful.
      ...(report.notChecked ?? []).map((n): Sarif.Notification => ({
        level: 'warning',
        message: { text: `${n.logicalId} (${n.resourceType}) not checked: ${n.reason}` },
        locations: [
          {
            physicalLocation: {
              artifactLocation: artifact(n.templatePath),
              ...(n.line !== undefined
                ? {
                    region: {
                      startLine: n.line,
                      ...(n.column !== undefined ? { startColumn: n.column } : {}),
                    },
                  }
                : {}),
            },
          },
        ],
      })),
    ];
    const findings = report.findings.filter((f) => f.pack === pack);
    const ruleIds = [...new Set(findings.map((f) => f.ruleId))].sort();
    const rules = ruleIds.map((id) =>
      descriptor(report.rules.find((r) => r.id === id) ?? fallback(id, findings), pack),
    );
    const index = new Map(ruleIds.map((id, i) => [id, i]));
    return {
      tool: {
        driver: {
          name: pack === '' ? 'compliant-mlops' : `compliant-mlops ${pack}`,
          semanticVersion: report.tool.version,
          informationUri: 'https://github.com/cdklabs/cdk-nag',
          rules,
        },
      },
      automationDetails: { id: pack === '' ? `${category}/` : `${category}/${pack}/` },
      ...(report.root !== undefined
        ? {
            originalUriBaseIds: {
              [SRCROOT]: { uri: pathToFileURL(`${report.root.replace(/[\\/]$/, '')}/`).href },
            },
          }
        : {}),
      invocations: [{ executionSuccessful: errors.length === 0, toolExecutionNotifications: notifications }],
      results: findings.map((f) => result(f, index.get(f.ruleId)!, artifact)),
      columnKind: 'utf16CodeUnits',
    };
  });
  const sarif: Sarif.Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs,
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

function fallback(id: string, findings: readonly Finding[]): RuleInfo {
  const f = findings.find((x) => x.ruleId === id)!;
  return { id, pack: f.pack, info: f.message, level: f.level };
}

function clip(text: string): string {
  return text.length <= MAX_DESCRIPTION ? text : `${text.slice(0, MAX_DESCRIPTION - 1)}…`;
}

function descriptor(rule: RuleInfo, pack: string): Sarif.ReportingDescriptor {
  const severity = rule.securitySeverity ?? DEFAULT_SEVERITY[rule.level];
  const controls = rule.nist && rule.nist.length > 0 ? rule.nist : undefined;
  // The public tools' controls the rule implements (`SecurityHub:SageMaker.5`), derived from the
  // anchor mapping; a property bag may carry any JSON, so the log stays schema-valid.
  const anchors = anchorsOf(rule.id);
  const full = rule.explanation ?? rule.info;
  const helpText = [
    rule.info,
    rule.explanation,
    controls && `NIST 800-53 r5: ${controls.join(', ')}`,
    anchors.length > 0 && `Implements: ${anchors.join(', ')}`,
  ]
    .filter(Boolean)
    .join('\n\n');
  const helpMarkdown = [
    `**${rule.info}**`,
    rule.explanation,
    controls && `NIST 800-53 r5 controls: ${controls.map((c) => `\`${c}\``).join(', ')}`,
    anchors.length > 0 && `Implements: ${anchors.map((a) => `\`${a}\``).join(', ')}`,
    `Pack: \`${pack}\`. Acknowledge a finding that is accepted with \`acknowledge(resource, '${rule.id}', {reason, owner, expires})\` or an \`--acknowledgments\` file entry.`,
  ]
    .filter(Boolean)
    .join('\n\n');
  return {
    id: rule.id,
    // SARIF wants an identifier-like name; the part after the pack prefix is one.
    name: rule.id.startsWith(`${pack}-`) ? rule.id.slice(pack.length + 1) : rule.id,
    shortDescription: { text: clip(rule.info) },
    fullDescription: { text: clip(full) },
    help: { text: helpText, markdown: helpMarkdown },
    defaultConfiguration: { level: rule.level },
    properties: {
      tags: ['security', pack, ...(controls ?? []).slice(0, 18).map((c) => `NIST-800-53-${c}`)],
      'security-severity': severity.toFixed(1),
      precision: 'high',
      pack,
      ...(controls ? { nist: controls } : {}),
      ...(anchors.length > 0 ? { anchors } : {}),
    },
  };
}

function result(
  f: Finding,
  ruleIndex: number,
  artifact: (uri: string) => Sarif.ArtifactLocation,
): Sarif.Result {
  const where = [f.logicalId, f.stack && `in ${f.stack}`].filter(Boolean).join(' ');
  const granular = f.granular !== undefined ? ` [${f.granular}]` : '';
  const location = f.source
    ? {
        uri: f.source.file,
        region: { startLine: f.source.line, ...(f.source.column ? { startColumn: f.source.column } : {}) },
      }
    : { uri: f.templatePath ?? '.', region: templateRegion(f) };
  return {
    ruleId: f.ruleId,
    ruleIndex,
    level: f.level,
    message: { text: `${f.message}${granular}${where ? ` (${where})` : ''}` },
    locations: [
      {
        physicalLocation: { artifactLocation: artifact(location.uri), region: location.region },
        logicalLocations: [
          {
            name: f.logicalId ?? f.constructPath ?? '',
            fullyQualifiedName: f.constructPath ?? [f.stack, f.logicalId].filter(Boolean).join('/'),
            kind: 'resource',
          },
        ],
      },
    ],
    ...(f.source && f.templatePath
      ? {
          relatedLocations: [
            {
              id: 1,
              physicalLocation: {
                artifactLocation: artifact(f.templatePath),
                region: templateRegion(f),
              },
              message: { text: `${f.logicalId ?? 'resource'} in the template` },
            },
          ],
        }
      : {}),
    partialFingerprints: { primaryLocationLineHash: fingerprintOf(f) },
    ...(f.acknowledgment
      ? {
          suppressions: [
            {
              kind: 'external',
              status: 'accepted',
              justification: f.acknowledgment.reason,
              properties: {
                ...(f.acknowledgment.owner ? { owner: f.acknowledgment.owner } : {}),
                ...(f.acknowledgment.expires ? { expires: f.acknowledgment.expires } : {}),
                source: f.acknowledgment.source,
              },
            },
          ],
        }
      : {}),
    properties: {
      findingId: f.findingId,
      pack: f.pack,
      ...(f.granular !== undefined ? { granular: f.granular } : {}),
      ...(f.stack ? { stack: f.stack } : {}),
      ...(f.logicalId ? { logicalId: f.logicalId } : {}),
      ...(f.resourceType ? { resourceType: f.resourceType } : {}),
      ...(f.constructPath ? { constructPath: f.constructPath } : {}),
    },
  };
}

/** The logical id's line and column in the template, as the parser found them. */
function templateRegion(f: Finding): Sarif.Region {
  return {
    startLine: f.templateLine ?? 1,
    ...(f.templateColumn !== undefined ? { startColumn: f.templateColumn } : {}),
  };
}
