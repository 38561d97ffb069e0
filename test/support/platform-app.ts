import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * The context `cdk synth` uses for the reference app: cdk.json's settings and the committed
 * availability zones, so a test builds exactly the app a deploy would (feature flags change
 * logical ids and properties).
 */
export const PLATFORM_CONTEXT: Readonly<Record<string, unknown>> = {
  ...(
    JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8')) as {
      context: Record<string, unknown>;
    }
  ).context,
  ...(JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'cdk.context.json'), 'utf8')) as Record<
    string,
    unknown
  >),
};
