#!/usr/bin/env bash
# Packs the library, installs the tarball into fresh apps outside the repository (TypeScript and
# plain CommonJS), composes the constructs as README shows, and synthesizes through every pack.
# Also checks what the tarball holds: declarations and handler bundles in, tests out; LICENSE, every
# document README links to and the .ts sources every source map names in; and synthesizes README's
# own example, as a reader copies it, without credentials; passes our constructs to aws-cdk-lib's
# integrations (interop.ts); and bounds what `require('compliant-mlops')` costs (require-time.cjs).
set -euo pipefail
shopt -s nullglob
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cd "$repo"
[ -f dist/constructs/index.js ] && [ -f assets/handlers/sizes.json ] || npm run build >/dev/null
tarball=$(npm pack --silent --pack-destination "$work" | tail -n 1)
echo "packed $tarball"

listing=$(tar tzf "$work/$tarball")
# A here-string, not `echo | grep -q`: grep -q exits at the first match, and with pipefail the
# writer's SIGPIPE would fail the check although the file is there.
need() { grep -q "$1" <<<"$listing" || { echo "tarball lacks $1"; exit 1; }; }
need 'package/dist/constructs/index.d.ts'
need 'package/dist/lib/policy/index.d.ts'
need 'package/dist/lib/check/api.d.ts'
need 'package/dist/constructs/contracts.d.ts'
need 'package/dist/lib/fairness/index.d.ts'
need 'package/dist/bin/cli.js'
for h in "$repo"/lib/handlers/*/index.ts; do
  name=$(basename "$(dirname "$h")")
  need "package/assets/handlers/$name/index.js"
done
if grep -qE '^package/(dist/)?test/' <<<"$listing"; then echo "tarball holds test files"; exit 1; fi

# The IAM simulator behind the authorization proof (test/deploy) is AGPL-3.0: a dev dependency only.
# No AGPL package may reach what users install: not in the tarball's files or bundles, not in the
# production dependency tree of the repository, nor in the tree a consumer installs.
no_agpl() { # <dir> [npm ls flags...]: fails on any AGPL-licensed package or iam-simulate in that tree
  local dir=$1; shift
  (cd "$dir" && npm ls --all --parseable "$@" 2>/dev/null || true) | node -e '
    const { readFileSync, existsSync } = require("node:fs");
    const bad = [];
    for (const dir of require("node:fs").readFileSync(0, "utf8").split("\n").filter(Boolean)) {
      const file = `${dir}/package.json`;
      if (!existsSync(file)) continue;
      const p = JSON.parse(readFileSync(file, "utf8"));
      const license = JSON.stringify(p.license ?? p.licenses ?? "");
      if (/AGPL/i.test(license) || p.name === "@cloud-copilot/iam-simulate") bad.push(`${p.name}@${p.version} (${license})`);
    }
    if (bad.length > 0) { console.error(`AGPL packages in ${process.argv[1]}: ${bad.join(", ")}`); process.exit(1); }
  ' "$dir"
}
no_agpl "$repo" --omit dev
mkdir -p "$work/unpacked" && tar xzf "$work/$tarball" -C "$work/unpacked"
if grep -rlE 'GNU AFFERO GENERAL PUBLIC LICENSE|@cloud-copilot/iam-simulate' "$work/unpacked/package/dist" "$work/unpacked/package/assets"; then
  echo "tarball code holds AGPL (iam-simulate) material"; exit 1
fi

echo "== LICENSE, the documents README links to, and source maps that resolve inside the tarball"
need 'package/LICENSE'
grep -q 'Apache License' "$work/unpacked/package/LICENSE" && grep -q 'Version 2.0, January 2004' "$work/unpacked/package/LICENSE" ||
  { echo "LICENSE is not the Apache License 2.0 that package.json declares"; exit 1; }
node -e '
  const { existsSync, readFileSync, readdirSync, statSync } = require("node:fs");
  const { dirname, join, relative, resolve, sep } = require("node:path");
  const pkg = resolve(process.argv[1]);
  const inside = (p) => p === pkg || p.startsWith(pkg + sep);
  const problems = [];
  // Every relative link of the packed README: to a file, or to a folder (which must hold a README.md,
  // as GitHub renders it). Excepted: links out of the repository (../) and to test/, which npm users do
  // not get (tests stay out of the tarball, checked above).
  const readme = readFileSync(join(pkg, "README.md"), "utf8");
  const links = new Set([...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1].replace(/#.*$/, ""))
    .filter((l) => l !== "" && !/^[a-z][a-z0-9+.-]*:/i.test(l)));
  let checkedLinks = 0;
  for (const link of links) {
    if (link.startsWith("../") || link.startsWith("test/")) continue;
    const target = resolve(pkg, link);
    checkedLinks++;
    if (!inside(target) || !existsSync(target)) problems.push(`README links to ${link}, not in the tarball`);
    else if (statSync(target).isDirectory() && !existsSync(join(target, "README.md")))
      problems.push(`README links to folder ${link}, which has no README.md in the tarball`);
  }
  if (checkedLinks < 10) problems.push(`found only ${checkedLinks} relative README links: is the link parser broken?`);
  // Every source map: each of its sources a file inside the tarball. And every compiled module names a
  // map that is there.
  const files = [];
  const walk = (d) => { for (const e of readdirSync(d, { withFileTypes: true })) {
    const p = join(d, e.name); if (e.isDirectory()) walk(p); else files.push(p); } };
  walk(join(pkg, "dist"));
  const maps = files.filter((f) => f.endsWith(".map"));
  for (const map of maps) {
    const { sources = [], sourceRoot = "" } = JSON.parse(readFileSync(map, "utf8"));
    if (sources.length === 0) problems.push(`${relative(pkg, map)} names no sources`);
    for (const s of sources) {
      const target = resolve(dirname(map), sourceRoot, s);
      if (!inside(target) || !existsSync(target)) problems.push(`${relative(pkg, map)}: source ${s} is not in the tarball`);
    }
  }
  for (const js of files.filter((f) => f.endsWith(".js"))) {
    const m = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(js, "utf8"));
    if (m && !existsSync(resolve(dirname(js), m[1]))) problems.push(`${relative(pkg, js)} names missing map ${m[1]}`);
  }
  if (!maps.some((m) => m.endsWith(join("constructs", "core", "validate.js.map")))) problems.push("dist ships no .js.map for constructs/core/validate.js");
  if (!maps.some((m) => m.endsWith(".d.ts.map"))) problems.push("dist ships no declaration maps");
  if (problems.length > 0) { console.error(problems.join("\n")); process.exit(1); }
  console.log(`${checkedLinks} README links and ${maps.length} source maps resolve inside the tarball`);
' "$work/unpacked/package"
# README states the peer versions; they must be package.json's peerDependencies.
node -e '
  const { readFileSync } = require("node:fs");
  const readme = readFileSync(process.argv[1] + "/README.md", "utf8");
  const peers = require(process.argv[1] + "/package.json").peerDependencies;
  const wrong = Object.entries(peers).filter(([n, v]) => !readme.includes("| `" + n + "` | `" + v + "` |"));
  const install = (/^npm i compliant-mlops .*$/m.exec(readme) ?? [""])[0].split(" ");
  for (const n of Object.keys(peers)) if (!install.includes(n)) wrong.push(["install line lacks", n]);
  if (wrong.length > 0) { console.error(`README peer versions differ from package.json: ${wrong.map((w) => w.join("@")).join(", ")}`); process.exit(1); }
' "$work/unpacked/package"

app="$work/app"
mkdir -p "$app"
cd "$app"
cat > package.json <<JSON
{ "name": "consumer-app", "version": "0.0.0", "private": true }
JSON
cdk_lib=$(node -p "require('$repo/node_modules/aws-cdk-lib/package.json').version")
constructs_v=$(node -p "require('$repo/node_modules/constructs/package.json').version")
nag=$(node -p "require('$repo/node_modules/cdk-nag/package.json').version")
ts=$(node -p "require('$repo/node_modules/typescript/package.json').version")
npm install --no-audit --no-fund --prefer-offline --silent \
  "$work/$tarball" "aws-cdk-lib@$cdk_lib" "constructs@$constructs_v" "cdk-nag@$nag" "typescript@$ts" "@types/node@20" >/dev/null

cp "$repo/scripts/package-fixtures/app.ts" "$repo/scripts/package-fixtures/app.cjs" "$repo/scripts/package-fixtures/ingest-handler.ts" \
  "$repo/scripts/package-fixtures/interop.ts" "$repo/scripts/package-fixtures/require-time.cjs" .
cat > tsconfig.json <<JSON
{ "compilerOptions": { "target": "ES2022", "module": "nodenext", "moduleResolution": "nodenext", "strict": true, "types": ["node"], "outDir": "out", "skipLibCheck": false } }
JSON
# README's example, the first ts block under "Use it in your own app", exactly as a reader copies it.
node -e '
  const readme = require("node:fs").readFileSync(process.argv[1], "utf8");
  const section = readme.split(/^## Use it in your own app$/m)[1] ?? "";
  const block = /^```ts\n([\s\S]*?)^```$/m.exec(section.split(/^## /m)[0]);
  if (!block) { console.error("README has no ts example under \"Use it in your own app\""); process.exit(1); }
  require("node:fs").writeFileSync("readme-app.ts", block[1]);
' "$work/unpacked/package/README.md"
npx tsc -p . 
echo "== README example, synthesized without credentials"
CDK_OUTDIR="$app/cdk.out.readme" node out/readme-app.js
node -e '
  const manifest = require(process.argv[1] + "/manifest.json");
  if (manifest.missing && manifest.missing.length > 0) {
    console.error(`README example needs context lookups (credentials): ${JSON.stringify(manifest.missing)}`); process.exit(1);
  }
  if (!require("node:fs").existsSync(process.argv[1] + "/MlPlatform.template.json")) { console.error("README example synthesized no MlPlatform stack"); process.exit(1); }
' "$app/cdk.out.readme"
echo "== TypeScript consumer"
CDK_OUTDIR="$app/cdk.out.ts" node out/app.js
echo "== CommonJS consumer"
CDK_OUTDIR="$app/cdk.out.cjs" node app.cjs
echo "== interop: IsolatedEndpoint in apigateway.SagemakerIntegration, SpotTrainingPipeline in a Scheduler target"
# interop.ts was type-checked above by tsc (skipLibCheck off) against the tarball's declarations.
CDK_OUTDIR="$app/cdk.out.interop" node out/interop.js
echo "== the installed command checks the consumer's assembly"
npx --no-install compliant-mlops check "$app/cdk.out.ts" --quiet --format markdown > "$app/check.md"
grep -q "No open findings." "$app/check.md" || { cat "$app/check.md"; exit 1; }
npx --no-install compliant-mlops rules --format json > /dev/null
echo "== the root entry loads no checker, CfnInclude or worker threads (issue 14)"
node -e '
  const t = process.hrtime.bigint();
  require("compliant-mlops");
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  const bad = Object.keys(require.cache).filter((k) =>
    /aws-cdk-lib\/cloudformation-include\/|compliant-mlops\/dist\/lib\/check\//.test(k));
  if (process.moduleLoadList.includes("NativeModule worker_threads")) bad.push("worker_threads");
  if (bad.length > 0) { console.error(`require("compliant-mlops") loads ${bad.join(", ")}`); process.exit(1); }
  if (typeof require("compliant-mlops/check").checkPaths !== "function") {
    console.error("compliant-mlops/check lacks checkPaths"); process.exit(1);
  }
  console.log(`require("compliant-mlops"): ${ms.toFixed(0)} ms`);
'
echo "== compliant-mlops/fairness computes bias metrics without loading aws-cdk-lib"
node -e '
  const { BiasAccumulator } = require("compliant-mlops/fairness");
  const acc = new BiasAccumulator({ label: "y", facets: ["g=f"], predictions: "p" });
  for (const [g, y, p] of [["f", "1", "1"], ["f", "0", "0"], ["m", "1", "1"], ["m", "0", "1"]]) acc.addRecord({ g, y, p });
  const dppl = acc.report().facets[0].postTraining.find((m) => m.metric === "DPPL").value;
  if (dppl !== 0.5) { console.error(`compliant-mlops/fairness DPPL ${dppl}, expected 0.5`); process.exit(1); }
  const cdk = Object.keys(require.cache).filter((k) => /node_modules\/(aws-cdk-lib|constructs|cdk-nag)\//.test(k));
  if (cdk.length > 0) { console.error(`compliant-mlops/fairness loads ${cdk[0]}`); process.exit(1); }
'
node --input-type=module -e '
  import { SecureBucket, FeatureContract } from "compliant-mlops";
  if (typeof SecureBucket !== "function" || typeof FeatureContract !== "function") {
    console.error("named ES imports of the lazy root entry fail"); process.exit(1);
  }
'
echo "== require time against aws-cdk-lib's for the same constructs (issue 14: at most 2x)"
node require-time.cjs
echo "== an ingestion handler bundles compliant-mlops/contracts without aws-cdk-lib"
# As NodejsFunction bundles by default: not minified. Under 1 MB (1,000,000 bytes): ~980 KB with
# zod's mini build, whose CommonJS entry still requires every locale.
"$repo/node_modules/.bin/esbuild" ingest-handler.ts --bundle --platform=node --target=node22 --format=cjs \
  --outfile=ingest/index.js --metafile=ingest/meta.json --log-level=warning
bytes=$(wc -c < ingest/index.js)
echo "ingestion bundle: $bytes bytes"
[ "$bytes" -lt 1000000 ] || { echo "ingestion bundle is not under 1 MB"; exit 1; }
if grep -qE 'node_modules/(aws-cdk-lib|constructs|cdk-nag)/' ingest/meta.json || grep -q 'aws-cdk-lib' ingest/index.js; then
  echo "ingestion bundle holds aws-cdk-lib"; exit 1
fi
node -e '
  require("./ingest/index.js").handler({ customer_id: "c-1", event_time: "2026-01-01T00:00:00Z", tenure_months: 3, email: "a@example.com" })
    .then((groups) => {
      if (groups.join() !== "marketing-customer-churn-v1,marketing-customer-churn-restricted-v1") {
        console.error(`ingestion handler wrote ${groups}`); process.exit(1);
      }
    });
'
no_agpl "$app"
echo "package test passed"
