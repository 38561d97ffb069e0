import { CfnResource } from 'aws-cdk-lib';
import { isObject, PLACEHOLDER, UnresolvableError } from './intrinsics';
import type { PipelineStep } from './pipelines';
import { resolved } from './evaluation';
import { field, list } from './properties';

// ---- Container images -------------------------------------------------------------------------

const DIGEST = /@sha256:[0-9a-f]{64}$/;
const PRIVATE_ECR = new RegExp(
  `^(?:\\d{12}|${PLACEHOLDER})\\.dkr\\.ecr(?:-fips)?\\.(?:[a-z0-9-]+|${PLACEHOLDER})\\.(?:amazonaws\\.com(?:\\.cn)?|${PLACEHOLDER})/`,
);

/** Whether an image URI ends in `@sha256:<64 hex>` (pure text test; placeholders count as unpinned). */
export function endsWithDigest(image: string): boolean {
  return DIGEST.test(image);
}

/** Whether a rebuilt image URI ends in `@sha256:<64 hex>`; throws when an intrinsic hides the answer. */
export function imagePinnedByDigest(image: string, what: string, raw: unknown): boolean {
  if (DIGEST.test(image)) return true;
  if (image.includes(PLACEHOLDER) && /@sha256:/.test(image)) throw new UnresolvableError(what, raw);
  if (image === PLACEHOLDER) throw new UnresolvableError(what, raw);
  return false;
}

/** Whether a rebuilt image URI names a private ECR registry; throws when an intrinsic hides the host. */
export function imageInPrivateEcr(image: string, what: string, raw: unknown): boolean {
  if (PRIVATE_ECR.test(image)) return true;
  const host = image.split('/')[0];
  if (host.includes(PLACEHOLDER)) throw new UnresolvableError(what, raw);
  return false;
}

// ---- Models -----------------------------------------------------------------------------------

/** A container's image as written, with the label its findings use (`PrimaryContainer`, `Containers.1`). */
export interface ContainerImage {
  readonly label: string;
  readonly image: unknown;
}

/**
 * The images of a model's containers. A container without `Image` (one that names a
 * `ModelPackageName`) takes its image from the model package and is left out.
 */
export function modelImages(
  node: CfnResource & { primaryContainer?: unknown; containers?: unknown },
): ContainerImage[] {
  const out: ContainerImage[] = [];
  const primary = resolved(node, node.primaryContainer);
  const primaryImage = field(primary, 'PrimaryContainer', 'image');
  if (primaryImage !== undefined) out.push({ label: 'PrimaryContainer', image: primaryImage });
  list(resolved(node, node.containers), 'Containers').forEach((c, i) => {
    const image = field(c, `Containers.${i}`, 'image');
    if (image !== undefined) out.push({ label: `Containers.${i}`, image });
  });
  return out;
}

/** Whether a rebuilt image URI names a private ECR registry (pure text test; a placeholder account or region counts). */
export function namesPrivateEcr(image: string): boolean {
  return PRIVATE_ECR.test(image);
}

/**
 * The container images of the models a pipeline creates or registers: a `Model` step's
 * `PrimaryContainer` and `Containers` (its Arguments are a CreateModel request) and a
 * `RegisterModel` step's `InferenceSpecification.Containers`, labelled
 * `<step>.PrimaryContainer`, `<step>.Containers.<i>`, `<step>.InferenceSpecification.Containers.<i>`.
 * A container without `Image` (one that names a model package) is left out.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-steps-types.html
 */
export function pipelineModelImages(steps: readonly PipelineStep[]): ContainerImage[] {
  const out: ContainerImage[] = [];
  const push = (label: string, container: unknown) => {
    const image = isObject(container) ? container.Image : undefined;
    if (image !== undefined) out.push({ label, image });
  };
  const each = (containers: unknown, prefix: string) => {
    if (Array.isArray(containers)) containers.forEach((c: unknown, i) => push(`${prefix}.${i}`, c));
  };
  for (const { name, type, args } of steps) {
    if (type === 'Model') {
      push(`${name}.PrimaryContainer`, args.PrimaryContainer);
      each(args.Containers, `${name}.Containers`);
    } else if (type === 'RegisterModel') {
      const spec = args.InferenceSpecification;
      each(isObject(spec) ? spec.Containers : undefined, `${name}.InferenceSpecification.Containers`);
    }
  }
  return out;
}
