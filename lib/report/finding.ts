/**
 * The report model shared by `compliant-mlops check` and `compliant-mlops audit`, and rendered by
 * the writers in this folder (text, json, sarif, junit, markdown).
 */

/** Severity of a finding, in SARIF's terms. */
export type FindingLevel = 'error' | 'warning' | 'note';

/** Where in a source file a finding comes from (from construct creation stack traces). */
export interface SourceLocation {
  /** Path relative to the working directory, forward slashes. */
  readonly file: string;
  readonly line: number;
  readonly column?: number;
}

/** Why a finding is accepted, and until when. */
export interface FindingAcknowledgment {
  readonly reason: string;
  readonly owner?: string;
  /** ISO date `YYYY-MM-DD`. */
  readonly expires?: string;
  /** Where the acknowledgment came from: `assembly`, `template`, `cdk_nag`, `file:<path>`. */
  readonly source: string;
}

/** One finding on one resource. */
export interface Finding {
  /** Base rule id, stable across runs: `AwsSolutions-IAM5`, `MLOps-SageMakerModelNetworkIsolation`. */
  readonly ruleId: string;
  /** Full finding id, with the granular part: `AwsSolutions-IAM5[Resource::*]`. */
  readonly findingId: string;
  /** The granular part without brackets, when there is one. */
  readonly granular?: string;
  readonly level: FindingLevel;
  /** Pack (check) or check group (audit) that reported it. */
  readonly pack: string;
  /** What is wrong, one sentence. */
  readonly message: string;
  /** The risk and how to fix it. */
  readonly explanation?: string;
  /** Stack (check) or account/region (audit). */
  readonly stack?: string;
  /** Template path relative to the working directory (check). */
  readonly templatePath?: string;
  /** CloudFormation logical id (check) or resource name/ARN (audit). */
  readonly logicalId?: string;
  /** Construct path when known. */
  readonly constructPath?: string;
  /** Resource type, e.g. `AWS::SageMaker::Model`. */
  readonly resourceType?: string;
  /** Source location from creation stack traces, when the assembly has them. */
  readonly source?: SourceLocation;
  /** Line of the logical id in the template (check), the fallback location when no source is known. */
  readonly templateLine?: number;
  /** Column of the logical id in the template (check), 1-based, from the parser. */
  readonly templateColumn?: number;
  /** Present when the finding is acknowledged; acknowledged findings never fail a run. */
  readonly acknowledgment?: FindingAcknowledgment;
}

/** What a rule checks, for rule descriptors (SARIF) and tables. */
export interface RuleInfo {
  readonly id: string;
  readonly pack: string;
  /** One line. */
  readonly info: string;
  readonly explanation?: string;
  readonly level: FindingLevel;
  /** NIST 800-53 r5 controls, when mapped. */
  readonly nist?: readonly string[];
  /** GitHub `security-severity`, 0.1–10.0. */
  readonly securitySeverity?: number;
}

/** An input that could not be checked: reported, and the run exits 2. */
export interface InputError {
  readonly input: string;
  readonly message: string;
  /**
   * The pack (or audit check group) the error leaves incomplete; SARIF marks only that run
   * unsuccessful.
   * @default - every pack (an input none of them could read)
   */
  readonly pack?: string;
}

/**
 * A resource the checker saw but could not check: a SAM resource that only the transform
 * expands, a nested stack whose template is not on disk. Shown in every format; it does not
 * change the exit code, since the rest of the template was checked.
 */
export interface NotCheckedResource {
  /** Template path relative to the working directory. */
  readonly templatePath: string;
  readonly stack?: string;
  readonly logicalId: string;
  readonly resourceType: string;
  /** 1-based line and column of the logical id, when known. */
  readonly line?: number;
  readonly column?: number;
  /** Why it was not checked and how to check it, one sentence. */
  readonly reason: string;
}

/** A whole run. */
export interface Report {
  readonly tool: { readonly name: string; readonly version: string; readonly command: string };
  readonly findings: readonly Finding[];
  readonly rules: readonly RuleInfo[];
  /** What was checked (paths, or account/region). */
  readonly inputs: readonly string[];
  readonly errors: readonly InputError[];
  /** The packs (check) or check groups (audit) that ran, including those with no findings. */
  readonly packs?: readonly string[];
  /**
   * Resources that were seen but not checked.
   * @default - none
   */
  readonly notChecked?: readonly NotCheckedResource[];
  /**
   * Absolute directory that report paths are relative to; SARIF names it `%SRCROOT%`.
   * @default - unknown: SARIF omits `originalUriBaseIds`
   */
  readonly root?: string;
}
