import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Report } from '../report/finding';
import { checkPaths, CheckOptions } from './check';
import { CfnTemplate } from './inputs';

/** A template built in memory, e.g. from live resources, and the stack name it is reported under. */
export interface InMemoryTemplate {
  /** Stack name and file stem: letters, digits, `-` and `_`. */
  readonly name: string;
  readonly template: CfnTemplate;
}

/**
 * Checks templates that exist only in memory (the live audit maps Describe responses onto
 * CloudFormation properties) with exactly the code path of `compliant-mlops check`: each template
 * is written to a private temporary directory and given to {@link checkPaths}, so the verdict of
 * a rule on a resource is the same whether it came from a file or from the account. The directory
 * is removed afterwards, also when the check throws.
 */
export function checkTemplateObjects(
  templates: readonly InMemoryTemplate[],
  options: Omit<CheckOptions, 'cwd'> = {},
): Report {
  const dir = mkdtempSync(join(tmpdir(), 'compliant-mlops-templates-'));
  try {
    const files = templates.map((t) => {
      if (!/^[A-Za-z0-9_-]+$/.test(t.name))
        throw new Error(`template name ${JSON.stringify(t.name)}: expected letters, digits, - and _`);
      const file = `${t.name}.json`;
      writeFileSync(join(dir, file), JSON.stringify(t.template, null, 1));
      return file;
    });
    return checkPaths(files, { ...options, cwd: dir });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
