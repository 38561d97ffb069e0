/**
 * The cdk-nag v3 packs this library knows, by the prefix of their rule ids. The pack name is also
 * the namespace CDK uses for acknowledgments recorded in the validation report.
 */
export const PACK_PREFIXES = [
  'AwsSolutions',
  'HIPAA.Security',
  'NIST.800.53.R5',
  'PCI.DSS.321',
  'Serverless',
  'MLOps',
] as const;

/** A pack name, as used in rule ids and acknowledgment namespaces. */
export type PackName = (typeof PACK_PREFIXES)[number];

/** Returns the pack a finding id belongs to, or undefined when no known pack prefixes it. */
export function packOf(findingId: string): PackName | undefined {
  // Longest prefix first, so `NIST.800.53.R5-` is not mistaken for a shorter name.
  return [...PACK_PREFIXES].sort((a, b) => b.length - a.length).find((p) => findingId.startsWith(`${p}-`));
}
