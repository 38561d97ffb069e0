import { awsError } from './errors';
import type { AwsFake } from './server';

/** One model card as the fake keeps it: every version, as SageMaker does. */
export interface FakeModelCard {
  readonly name: string;
  readonly kmsKeyId?: string;
  /** Versions, oldest first; the last is current. */
  readonly versions: { content: string; status: string }[];
}

/**
 * Stateful SageMaker Model Card operations on the fake: `CreateModelCard`, `DescribeModelCard`
 * (the latest version; `ResourceNotFound` for an unknown card), `UpdateModelCard` (a new version
 * per call). Like SageMaker, `UpdateModelCard` refuses content and status in one call, an
 * archived card takes no update, and a second create of a name is a `ConflictException`.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_UpdateModelCard.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeModelCard.html
 */
export function installModelCards(
  fake: AwsFake,
  cards = new Map<string, FakeModelCard>(),
): Map<string, FakeModelCard> {
  const find = (name: string): FakeModelCard => {
    const card = cards.get(name);
    if (!card) throw awsError(400, 'ResourceNotFound', `Model card ${name} does not exist.`);
    return card;
  };
  fake.on(
    'sagemaker',
    'CreateModelCard',
    (input: {
      ModelCardName: string;
      Content?: string;
      ModelCardStatus: string;
      SecurityConfig?: { KmsKeyId?: string };
    }) => {
      if (cards.has(input.ModelCardName))
        throw awsError(400, 'ConflictException', `Model card ${input.ModelCardName} already exists.`);
      cards.set(input.ModelCardName, {
        name: input.ModelCardName,
        kmsKeyId: input.SecurityConfig?.KmsKeyId,
        versions: [{ content: input.Content ?? '', status: input.ModelCardStatus }],
      });
      return { ModelCardArn: `arn:aws:sagemaker:eu-west-1:111111111111:model-card/${input.ModelCardName}` };
    },
  );
  fake.on('sagemaker', 'DescribeModelCard', (input: { ModelCardName: string }) => {
    const card = find(input.ModelCardName);
    const current = card.versions[card.versions.length - 1]!;
    return {
      ModelCardArn: `arn:aws:sagemaker:eu-west-1:111111111111:model-card/${card.name}`,
      ModelCardName: card.name,
      ModelCardVersion: card.versions.length,
      Content: current.content,
      ModelCardStatus: current.status,
      ...(card.kmsKeyId ? { SecurityConfig: { KmsKeyId: card.kmsKeyId } } : {}),
      CreationTime: new Date('2026-12-01T10:00:00Z'),
    };
  });
  fake.on(
    'sagemaker',
    'UpdateModelCard',
    (input: { ModelCardName: string; Content?: string; ModelCardStatus?: string }) => {
      const card = find(input.ModelCardName);
      const current = card.versions[card.versions.length - 1]!;
      if (input.Content !== undefined && input.ModelCardStatus !== undefined)
        throw awsError(
          400,
          'ValidationException',
          'You cannot update both model card content and model card status in a single call.',
        );
      if (current.status === 'Archived')
        throw awsError(400, 'ValidationException', `Model card ${card.name} is archived.`);
      card.versions.push({
        content: input.Content ?? current.content,
        status: input.ModelCardStatus ?? current.status,
      });
      return { ModelCardArn: `arn:aws:sagemaker:eu-west-1:111111111111:model-card/${card.name}` };
    },
  );
  return cards;
}
