// Pins the public API: runs API Extractor on the built declarations of every package.json export and
// compares each with its committed report in etc/. A report that differs (a name added, removed or
// retyped), a missing report, an export without a config or a report without an export fails; the
// diff is printed. After a deliberate API change, `npm run api:update` rewrites the reports, and
// the diff goes into the same commit, where a reviewer sees the API change.
//
// usage: node scripts/api-report.mjs [--update]   (after `npm run build`: it reads dist/**/*.d.ts)
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { CompilerState, Extractor, ExtractorConfig } from '@microsoft/api-extractor';

const root = resolve(new URL('..', import.meta.url).pathname);
const update = process.argv.includes('--update');
const pkg = (await import(join(root, 'package.json'), { with: { type: 'json' } })).default;

/** `.` → api-extractor.json, `./policy` → api-extractor.policy.json. */
const configFileOf = (entry) =>
  join(root, entry === '.' ? 'api-extractor.json' : `api-extractor.${entry.slice(2)}.json`);

const problems = [];
const configs = [];
for (const [entry, target] of Object.entries(pkg.exports)) {
  if (typeof target !== 'object') continue; // ./package.json
  const file = configFileOf(entry);
  if (!existsSync(file)) {
    problems.push(`export "${entry}" has no API report config: add ${relative(root, file)}`);
    continue;
  }
  const config = ExtractorConfig.loadFileAndPrepare(file);
  const types = join(root, target.types);
  if (resolve(config.mainEntryPointFilePath) !== types)
    problems.push(
      `${relative(root, file)} reports on ${relative(root, config.mainEntryPointFilePath)}, not ${target.types}`,
    );
  else if (!existsSync(types)) problems.push(`${target.types} is missing: run \`npm run build\` first`);
  else configs.push({ entry, config });
}
const reports = new Set(configs.map(({ config }) => basename(config.reportFilePath)));
const etc = join(root, 'etc');
mkdirSync(etc, { recursive: true });
for (const f of readdirSync(etc).filter((f) => f.endsWith('.api.md')))
  if (!reports.has(f)) problems.push(`etc/${f} reports on no package.json export: delete it`);
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}

// One program for all entries: api-extractor.json lists the four entry declarations.
const compilerState = CompilerState.create(configs[0].config);
const changed = [];
for (const { entry, config } of configs) {
  const result = Extractor.invoke(config, {
    localBuild: update,
    compilerState,
    printApiReportDiff: !update,
    messageCallback: (m) => {
      // The per-file chatter; the summary below names what changed.
      if (m.messageId === 'console-preamble') m.handled = true;
    },
  });
  const report = relative(root, config.reportFilePath);
  if (!result.succeeded)
    changed.push(`${entry} (${report}): ${result.errorCount} errors, ${result.warningCount} warnings`);
  else console.log(`${entry}: ${report} ${result.apiReportChanged ? 'updated' : 'unchanged'}`);
}
if (changed.length > 0) {
  console.error(
    `the public API differs from its committed report:\n  ${changed.join('\n  ')}\n` +
      'a deliberate change: `npm run build && npm run api:update`, then commit etc/ with it',
  );
  process.exit(1);
}
