import { MLOPS_RULES } from '../../policy/rules';
import { CliIO, Command, EXIT, UsageError } from '../command';
import { parseCommandArgs } from '../args';

const USAGE = `usage: compliant-mlops rules [--format text|json|markdown]

Lists the rules of the MLOps pack: id, level, the resource types each checks, the NIST 800-53 r5
controls it serves, its GitHub security-severity, and what it reports.
`;

const FORMATS = ['text', 'json', 'markdown'] as const;

interface RuleRow {
  id: string;
  level: string;
  resourceTypes: string[];
  nist: string[];
  securitySeverity: number;
  info: string;
  explanation: string;
}

function rows(): RuleRow[] {
  return MLOPS_RULES.map((r) => ({
    id: `MLOps-${r.name}`,
    level: String(r.level).toLowerCase(),
    resourceTypes: [...(r.resourceTypes ?? [])],
    nist: [...r.nist],
    securitySeverity: r.securitySeverity,
    info: r.info,
    explanation: r.explanation,
  }));
}

/** `compliant-mlops rules`: the MLOps pack's rules with their NIST 800-53 r5 controls. */
export const rulesCommand: Command = {
  name: 'rules',
  summary: 'list the MLOps pack rules with their levels and NIST 800-53 r5 controls',
  usage: USAGE,
  async run(args: readonly string[], io: CliIO): Promise<number> {
    const format = parseCommandArgs('rules', args, { format: { type: 'string', default: 'text' } }, false)
      .values.format;
    if (!(FORMATS as readonly string[]).includes(format)) {
      throw new UsageError(
        `rules: --format must be one of ${FORMATS.join(', ')} (got ${JSON.stringify(format)})`,
      );
    }
    const list = rows();
    if (format === 'json') {
      io.stdout(`${JSON.stringify(list, null, 2)}\n`);
    } else if (format === 'markdown') {
      const lines = ['| rule | level | resources | NIST 800-53 r5 | checks |', '|---|---|---|---|---|'];
      for (const r of list) {
        lines.push(
          `| \`${r.id}\` | ${r.level} | ${r.resourceTypes.join(', ')} | ${r.nist.join(', ')} | ${r.info.replace(/\|/g, '\\|')} |`,
        );
      }
      io.stdout(`${lines.join('\n')}\n`);
    } else {
      const width = Math.max(...list.map((r) => r.id.length));
      for (const r of list)
        io.stdout(
          `${r.id.padEnd(width)}  ${r.level.padEnd(7)}  ${r.nist.join(', ')}\n${' '.repeat(width + 2)}${r.info}\n`,
        );
      io.stdout(`${list.length} rules\n`);
    }
    return EXIT.ok;
  },
};
