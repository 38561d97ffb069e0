import type { RollbackPlan, RollbackStep } from './plan';

/** Output formats of the rollback command. */
export const ROLLBACK_FORMATS = ['text', 'json', 'markdown'] as const;

/** One of {@link ROLLBACK_FORMATS}. */
export type RollbackFormat = (typeof ROLLBACK_FORMATS)[number];

const WORD: Record<RollbackStep['status'], string> = {
  ready: 'READY',
  todo: 'TO DO',
  'not-checked': 'NOT CHECKED',
  blocked: 'BLOCKED',
};

/** Renders a plan; JSON carries the whole plan, errors included. */
export function renderRollback(plan: RollbackPlan, format: RollbackFormat): string {
  if (format === 'json') return `${JSON.stringify(plan, null, 2)}\n`;
  const head = `rollback of ${plan.group}: approved versions ${plan.approved.join(', ') || 'none'}`;
  if (format === 'markdown') {
    const rows = plan.steps.map(
      (s) =>
        `| ${s.step} | ${WORD[s.status]} | ${cell(s.detail)} | ${s.action ? `\`${cell(s.action)}\`` : ''} |`,
    );
    return [
      `# Rollback plan: ${plan.group}`,
      '',
      `Approved versions (newest first): ${plan.approved.join(', ') || 'none'}.`,
      '',
      '| step | status | detail | action |',
      '| --- | --- | --- | --- |',
      ...rows,
      '',
    ].join('\n');
  }
  const lines = [head];
  for (const s of plan.steps) {
    lines.push(`  ${s.step.padEnd(16)} ${WORD[s.status].padEnd(11)} ${s.detail}`);
    if (s.action) lines.push(`  ${''.padEnd(16)} ${''.padEnd(11)} $ ${s.action}`);
  }
  return `${lines.join('\n')}\n`;
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
