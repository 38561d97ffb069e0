import { CfnResource, Stack } from 'aws-cdk-lib';
import { CfnTopic, CfnTopicPolicy } from 'aws-cdk-lib/aws-sns';
import { NagMessageLevel, NagRuleCompliance, NagRules } from 'cdk-nag';
import { MLOpsRule } from '../../rule';
import { field, isObject, list, literal, resolved, UnresolvableError } from '../../rule-helpers';

/** Whether a statement's Action covers sns:Publish (`sns:Publish`, `sns:*` or `*`). */
function coversPublish(action: unknown, what: string): boolean {
  return list(Array.isArray(action) || action === undefined ? action : [action], what).some((a) => {
    const v = literal(a, what);
    return typeof v === 'string' && ['sns:publish', 'sns:*', '*'].includes(v.toLowerCase());
  });
}

/** Whether a statement's Principal is everyone (`*` or `{AWS: "*"}`, or a list holding `*`). */
function everyone(principal: unknown, what: string): boolean {
  if (principal === '*') return true;
  const aws = field(principal, what, 'AWS');
  return (Array.isArray(aws) ? aws : [aws]).some((p) => p === '*');
}

/** Whether a statement denies every request that does not use TLS. */
function isTlsDeny(statement: unknown, what: string): boolean {
  if (field(statement, what, 'Effect') !== 'Deny') return false;
  if (!coversPublish(field(statement, what, 'Action'), `${what}.Action`)) return false;
  if (!everyone(field(statement, what, 'Principal'), `${what}.Principal`)) return false;
  return ['Bool', 'BoolIfExists'].some((op) => {
    const v = literal(
      field(statement, what, 'Condition', op, 'aws:SecureTransport'),
      `${what}.Condition.${op}`,
    );
    return v === false || v === 'false';
  });
}

/** Whether a topic policy names the topic (by `Ref`/`Fn::GetAtt` to its logical id, or an ARN ending in its name). */
function namesTopic(policy: CfnTopicPolicy, logicalId: string, topicName: unknown): boolean {
  const topics = resolved(policy, policy.topics);
  if (!Array.isArray(topics)) return false;
  return topics.some((t) => {
    const target: unknown = NagRules.resolveResourceFromIntrinsic(policy, t);
    if (target === logicalId) return true;
    return typeof topicName === 'string' && typeof target === 'string' && target.endsWith(`:${topicName}`);
  });
}

/** An SNS topic that accepts plain-HTTP publishes exposes alert contents and lets them be altered in transit. */
export const SNSTopicTLSOnly: MLOpsRule = {
  name: 'SNSTopicTLSOnly',
  info: 'The SNS topic has no topic policy denying sns:Publish without TLS (aws:SecureTransport false).',
  explanation:
    'Without a Deny for aws:SecureTransport=false, clients may publish over plain HTTP, so messages (alerts that name models, endpoints and data) can be read or altered in transit. AwsSolutions-SNS3 checks this only for topics without a KMS key; this rule checks every topic, encrypted or not, because KMS protects the message at rest, not on the wire. Add an AWS::SNS::TopicPolicy that names the topic and holds a Deny statement for Principal "*", Action sns:Publish (or sns:* / *) with Condition Bool aws:SecureTransport "false" (aws-cdk-lib: Topic enforceSSL: true).',
  level: NagMessageLevel.ERROR,
  nist: ['SC-8', 'SC-8(1)', 'SC-23'],
  securitySeverity: 5.5,
  resourceTypes: ['AWS::SNS::Topic'],
  check(node: CfnResource) {
    if (!(node instanceof CfnTopic)) return NagRuleCompliance.NOT_APPLICABLE;
    const logicalId: unknown = NagRules.resolveResourceFromIntrinsic(node, node.ref);
    const topicName = resolved(node, node.topicName);
    let unresolvable: UnresolvableError | undefined;
    for (const child of Stack.of(node).node.findAll()) {
      if (!(child instanceof CfnTopicPolicy) || typeof logicalId !== 'string') continue;
      if (!namesTopic(child, logicalId, topicName)) continue;
      try {
        const doc = resolved(child, child.policyDocument);
        const statements = field(doc, 'TopicPolicy.PolicyDocument', 'Statement');
        const all = list(
          isObject(statements) && !('Fn::If' in statements) ? [statements] : statements,
          'TopicPolicy.PolicyDocument.Statement',
        );
        if (all.some((s, i) => isTlsDeny(s, `TopicPolicy.PolicyDocument.Statement.${i}`)))
          return NagRuleCompliance.COMPLIANT;
      } catch (e) {
        if (!(e instanceof UnresolvableError)) throw e;
        unresolvable ??= e;
      }
    }
    // A policy that might hold the deny behind an intrinsic is reported as undecidable, never passed.
    if (unresolvable) throw unresolvable;
    return NagRuleCompliance.NON_COMPLIANT;
  },
};
