import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { CfnElement, Duration, Lazy, Stack, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { describe, expect, it } from 'vitest';
import {
  AutoShutdown,
  AutoShutdownProps,
  DEFAULT_OFF_HOURS,
  idleCheckScript,
  studioIdleSettings,
} from '../../constructs/cost/auto-shutdown';
import { EncryptionKeys } from '../../constructs/encryption/encryption-keys';
import { AlertTopic } from '../../constructs/monitoring/alert-topic';
import { InferenceNetwork } from '../../constructs/serving/inference-network';
import { findingLines, testStack } from '../support/nag';

function setup(props: Partial<AutoShutdownProps> = {}) {
  const stack = testStack();
  const keys = new EncryptionKeys(stack, 'Keys');
  const alerts = new AlertTopic(stack, 'Alerts', { encryptionKey: keys.logs });
  const network = new InferenceNetwork(stack, 'Network', { encryptionKey: keys.logs });
  const auto = new AutoShutdown(stack, 'AutoShutdown', {
    alerts,
    vpc: network.vpc,
    encryptionKey: keys.logs,
    ...props,
  });
  return {
    stack,
    auto,
    alerts,
    get template() {
      return Template.fromStack(stack);
    },
  };
}

function envOf(template: Template): Record<string, string> {
  const fns = template.findResources('AWS::Lambda::Function', {
    Properties: { Environment: { Variables: { AUTO_SHUTDOWN_DRY_RUN: Match.anyValue() } } },
  });
  const [fn] = Object.values(fns) as { Properties: { Environment: { Variables: Record<string, string> } } }[];
  return fn.Properties.Environment.Variables;
}

function sweepStatements(
  stack: Stack,
): { Sid: string; Action: string | string[]; Resource: unknown; Condition?: unknown }[] {
  const t = Template.fromStack(stack);
  const [policy] = Object.values(
    t.findResources('AWS::IAM::ManagedPolicy', {
      Properties: { Description: Match.stringLikeRegexp('may read and change') },
    }),
  ) as {
    Properties: {
      PolicyDocument: {
        Statement: { Sid: string; Action: string | string[]; Resource: unknown; Condition?: unknown }[];
      };
    };
  }[];
  return policy.Properties.PolicyDocument.Statement;
}

describe('AutoShutdown defaults', () => {
  it("passes every pack (only SecureFunction's own queue-grant findings remain, reported upstream)", () => {
    const { stack } = setup();
    expect(findingLines(stack)).toEqual([]);
  });

  it('dry run on, cap 10, 2 h idle, 24 h endpoints, 12 h app age, default tags and targets', () => {
    expect(envOf(setup().template)).toMatchObject({
      AUTO_SHUTDOWN_DRY_RUN: 'true',
      AUTO_SHUTDOWN_MAX_ACTIONS: '10',
      AUTO_SHUTDOWN_IDLE_MINUTES: '120',
      AUTO_SHUTDOWN_ENDPOINT_IDLE_MINUTES: '1440',
      AUTO_SHUTDOWN_STUDIO_MAX_AGE_MINUTES: '720',
      AUTO_SHUTDOWN_EXEMPTION_TAG_KEY: 'auto-shutdown:exempt',
      AUTO_SHUTDOWN_ENVIRONMENT_TAG_KEY: 'environment',
      AUTO_SHUTDOWN_PRODUCTION_VALUES: 'prod,production',
      AUTO_SHUTDOWN_TARGETS: 'notebooks,studio,endpoints',
      AUTO_SHUTDOWN_STUDIO_APP_TYPES: 'JupyterLab,CodeEditor,KernelGateway',
      AUTO_SHUTDOWN_MAX_ATTEMPTS: '8',
    });
  });

  it('the function: the prebuilt bundle, Node.js 22 on arm64, no reserved concurrency, in the VPC', () => {
    setup().template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      // https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html: a reservation
      // may not take unreserved concurrency below 100, so low-quota accounts reject any.
      ReservedConcurrentExecutions: Match.absent(),
      VpcConfig: Match.objectLike({ SubnetIds: Match.anyValue() }),
      Environment: { Variables: Match.objectLike({ AUTO_SHUTDOWN_DRY_RUN: 'true' }) },
    });
  });

  it('reports go to the alert topic (on success) and failures to the dead-letter queue', () => {
    const { template, stack, alerts, auto } = setup();
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      DestinationConfig: {
        OnSuccess: { Destination: stack.resolve(alerts.topic.topicArn) },
        OnFailure: { Destination: stack.resolve(auto.function.deadLetterQueue.queueArn) },
      },
    });
  });

  // One sweep at a time without reserved concurrency. A run starts at most (Scheduler's event age
  // + Lambda's event age) after its scheduled time and ends within the function timeout, so it has
  // ended before the next sweep is due when timeout + both ages <= the sweep period. Lambda does
  // not retry a failed run (the next one takes over), and stale events are dropped to the DLQ.
  // https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html (MaximumRetryAttempts
  // 0-2, MaximumEventAgeInSeconds 60-21600) and
  // https://docs.aws.amazon.com/scheduler/latest/APIReference/API_RetryPolicy.html (MaximumEventAgeInSeconds >= 60).
  it.each([5, 15, 30, 24 * 60])(
    'runs sweeps one at a time with a %d-minute period: timeout + event ages fit in the period',
    (minutes) => {
      const { template, stack, auto } = setup({ sweepInterval: Duration.minutes(minutes) });
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        MaximumRetryAttempts: 0,
        MaximumEventAgeInSeconds: 60,
      });
      // The sweep's own function: the network's default-security-group closer is a function too.
      const fn =
        template.toJSON().Resources[
          stack.getLogicalId(auto.function.function.node.defaultChild as CfnElement)
        ];
      const sweep = Object.values(template.findResources('AWS::Scheduler::Schedule')).find(
        (r) => r.Properties.Target.Input === '{"mode":"idle-sweep"}',
      )!;
      expect(sweep.Properties.ScheduleExpression).toBe(`rate(${minutes} minutes)`);
      const schedulerAge = sweep.Properties.Target.RetryPolicy.MaximumEventAgeInSeconds as number;
      expect(schedulerAge).toBe(60);
      expect(fn.Properties.Timeout + schedulerAge + 60).toBeLessThanOrEqual(minutes * 60);
      expect(fn.Properties.Timeout).toBe(Math.min(600, minutes * 60 - 120));
    },
  );

  it('an idle sweep every 30 minutes and off-hours at 20:00 on weekdays, London time, with retries and a DLQ', () => {
    const { template, stack, auto } = setup();
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(30 minutes)',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: Match.objectLike({
        Arn: stack.resolve(auto.function.function.functionArn),
        Input: '{"mode":"idle-sweep"}',
        DeadLetterConfig: { Arn: stack.resolve(auto.scheduleDeadLetterQueue.queueArn) },
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 60 },
      }),
    });
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: DEFAULT_OFF_HOURS.expression,
      ScheduleExpressionTimezone: 'Europe/London',
      Target: Match.objectLike({ Input: '{"mode":"off-hours"}' }),
    });
    expect(DEFAULT_OFF_HOURS).toEqual({ expression: 'cron(0 20 ? * MON-FRI *)', timeZone: 'Europe/London' });
  });

  it('the scheduler role may invoke this function only, and is assumable by Scheduler of this account only', () => {
    const { template, stack, auto } = setup();
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } },
          }),
        ],
      },
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [stack.resolve(auto.schedulerRole.roleName)],
      PolicyDocument: {
        Statement: [
          {
            Sid: 'InvokeSweep',
            Effect: 'Allow',
            Action: 'lambda:InvokeFunction',
            Resource: stack.resolve(auto.function.function.functionArn),
          },
          {
            Sid: 'UndeliveredRuns',
            Effect: 'Allow',
            Action: 'sqs:SendMessage',
            Resource: stack.resolve(auto.scheduleDeadLetterQueue.queueArn),
          },
          // Scheduler sends dead letters as this role, so it encrypts them with the queue's (logs) key.
          {
            Sid: 'UndeliveredRunsKey',
            Effect: 'Allow',
            Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
            Resource: stack.resolve(auto.scheduleDeadLetterQueue.encryptionMasterKey!.keyArn),
          },
        ],
      },
    });
  });

  it('changes are scoped by ARN type and tag conditions; only listings and metrics use "*"', () => {
    const { stack } = setup();
    const st = Object.fromEntries(sweepStatements(stack).map((s) => [s.Sid, s]));
    const arnType = (s: { Resource: unknown }) => JSON.stringify(s.Resource);
    expect(st.List.Resource).toBe('*');
    expect(st.List.Action).toEqual([
      'sagemaker:ListNotebookInstances',
      'sagemaker:ListApps',
      'sagemaker:ListEndpoints',
    ]);
    expect(arnType(st.StopNotebooks)).toContain(':notebook-instance/*');
    expect(st.StopNotebooks.Condition).toEqual({
      StringNotEqualsIgnoreCase: { 'aws:ResourceTag/auto-shutdown:exempt': 'true' },
    });
    expect(arnType(st.DeleteApps)).toContain(':app/*');
    expect(st.DeleteApps.Condition).toEqual({
      StringNotEqualsIgnoreCase: { 'aws:ResourceTag/auto-shutdown:exempt': 'true' },
    });
    expect(arnType(st.DeleteNonProductionEndpoints)).toContain(':endpoint/*');
    expect(st.DeleteNonProductionEndpoints.Condition).toEqual({
      Null: { 'aws:ResourceTag/environment': 'false' },
      StringNotEqualsIgnoreCase: {
        'aws:ResourceTag/environment': ['prod', 'production'],
        'aws:ResourceTag/auto-shutdown:exempt': 'true',
      },
    });
    expect(arnType(st.RecordRestore)).toContain(':endpoint-config/*');
    expect(st.RecordRestore.Condition).toEqual({
      'ForAllValues:StringLike': { 'aws:TagKeys': ['auto-shutdown:*'] },
    });
    expect(st.ReadInvocations).toMatchObject({ Action: 'cloudwatch:GetMetricData', Resource: '*' });
    expect(st.PublishRunMetrics).toMatchObject({
      Resource: '*',
      Condition: { StringEquals: { 'cloudwatch:namespace': 'ML/AutoShutdown' } },
    });
    for (const s of Object.values(st)) {
      const actions = ([] as string[]).concat(s.Action);
      for (const a of actions) expect(a).not.toMatch(/\*/);
      if (s.Resource === '*') expect(['List', 'ReadInvocations', 'PublishRunMetrics']).toContain(s.Sid);
    }
  });

  // The handler reads each candidate endpoint's config (DescribeEndpointConfig) to skip serverless
  // endpoints; the action's resource type is endpoint-config.
  // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html
  it('may describe endpoint configs of its account and region, and nothing else with that action', () => {
    const { stack } = setup();
    const st = Object.fromEntries(sweepStatements(stack).map((s) => [s.Sid, s]));
    expect(st.DescribeEndpointConfigs).toMatchObject({
      Effect: 'Allow',
      Action: 'sagemaker:DescribeEndpointConfig',
    });
    expect(JSON.stringify(st.DescribeEndpointConfigs.Resource)).toContain(
      ':sagemaker:eu-west-1:111111111111:endpoint-config/*',
    );
  });

  it('the notebook lifecycle config installs the idle check that writes the last-activity tag', () => {
    const { template, auto, stack } = setup();
    const script = idleCheckScript();
    template.hasResourceProperties('AWS::SageMaker::NotebookInstanceLifecycleConfig', {
      OnStart: [{ Content: Buffer.from(script).toString('base64') }],
    });
    expect(script).toContain('auto-shutdown:last-activity');
    expect(script).toContain('/api/sessions');
    expect(script).toContain('/etc/cron.d/auto-shutdown-activity');
    expect(Buffer.from(script).toString('base64').length).toBeLessThanOrEqual(16384);
    expect(stack.resolve(auto.lifecycleConfig.attrNotebookInstanceLifecycleConfigName)).toBeDefined();
  });

  it('alarms on failed resources and on failed runs, to the alert topic', () => {
    const { template, stack, alerts } = setup();
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'ML/AutoShutdown',
      MetricName: 'Failed',
      Statistic: 'Sum',
      Period: 1800,
      Threshold: 1,
      AlarmActions: [stack.resolve(alerts.topic.topicArn)],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      AlarmActions: [stack.resolve(alerts.topic.topicArn)],
    });
  });

  it('metrics helpers', () => {
    const { auto } = setup();
    expect(auto.metricActed()).toMatchObject({
      namespace: 'ML/AutoShutdown',
      metricName: 'Acted',
      statistic: 'Sum',
    });
    expect(auto.metricFailed().period.toMinutes()).toBe(60);
    expect(auto.metricWouldAct().metricName).toBe('WouldAct');
    expect(auto.metricSkipped({ period: Duration.minutes(5) }).period.toMinutes()).toBe(5);
  });

  it('grantActivityReporting: AddTags on notebook instances for the last-activity key only', () => {
    const { auto, stack } = setup();
    const role = new iam.Role(stack, 'NotebookRole', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
    });
    auto.grantActivityReporting(role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({
            Action: 'sagemaker:AddTags',
            Resource: {
              'Fn::Join': [
                '',
                ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:eu-west-1:111111111111:notebook-instance/*'],
              ],
            },
            Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['auto-shutdown:last-activity'] } },
          }),
        ],
      },
    });
  });

  it('the handler bundle exists and its size is recorded', () => {
    const root = path.join(__dirname, '..', '..');
    const bundle = path.join(root, 'assets', 'handlers', 'auto-shutdown', 'index.js');
    expect(existsSync(bundle)).toBe(true);
    const sizes = JSON.parse(
      readFileSync(path.join(root, 'assets', 'handlers', 'sizes.json'), 'utf8'),
    ) as Record<string, number>;
    expect(sizes['auto-shutdown']).toBe(statSync(bundle).size);
    console.log(`auto-shutdown bundle: ${(sizes['auto-shutdown'] / 1024).toFixed(1)} KiB`);
  });
});

describe('AutoShutdown props', () => {
  it('every prop reaches the function and the schedules', () => {
    const { template } = setup({
      dryRun: false,
      maxActionsPerRun: 3,
      idleThreshold: Duration.minutes(45),
      endpointIdleThreshold: Duration.hours(6),
      studioMaxAppAge: Duration.hours(8),
      offHoursSchedule: { expression: 'cron(30 19 ? * * *)', timeZone: 'America/New_York' },
      sweepInterval: Duration.minutes(15),
      exemptionTagKey: 'keep-running',
      environmentTagKey: 'stage',
      productionValues: ['live'],
      targets: ['endpoints'],
      studioAppTypes: ['JupyterServer'],
      maxAttempts: 4,
    });
    expect(envOf(template)).toMatchObject({
      AUTO_SHUTDOWN_DRY_RUN: 'false',
      AUTO_SHUTDOWN_MAX_ACTIONS: '3',
      AUTO_SHUTDOWN_IDLE_MINUTES: '45',
      AUTO_SHUTDOWN_ENDPOINT_IDLE_MINUTES: '360',
      AUTO_SHUTDOWN_STUDIO_MAX_AGE_MINUTES: '480',
      AUTO_SHUTDOWN_EXEMPTION_TAG_KEY: 'keep-running',
      AUTO_SHUTDOWN_ENVIRONMENT_TAG_KEY: 'stage',
      AUTO_SHUTDOWN_PRODUCTION_VALUES: 'live',
      AUTO_SHUTDOWN_TARGETS: 'endpoints',
      AUTO_SHUTDOWN_STUDIO_APP_TYPES: 'JupyterServer',
      AUTO_SHUTDOWN_MAX_ATTEMPTS: '4',
    });
    template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(15 minutes)' });
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(30 19 ? * * *)',
      ScheduleExpressionTimezone: 'America/New_York',
    });
  });

  it('custom tag keys reach the IAM conditions', () => {
    const { stack } = setup({
      exemptionTagKey: 'keep',
      environmentTagKey: 'stage',
      productionValues: ['live'],
    });
    const st = Object.fromEntries(sweepStatements(stack).map((s) => [s.Sid, s]));
    expect(st.DeleteNonProductionEndpoints.Condition).toEqual({
      Null: { 'aws:ResourceTag/stage': 'false' },
      StringNotEqualsIgnoreCase: { 'aws:ResourceTag/stage': ['live'], 'aws:ResourceTag/keep': 'true' },
    });
  });

  it('offHoursEnabled: false leaves only the idle sweep', () => {
    const { template, auto } = setup({ offHoursEnabled: false });
    template.resourceCountIs('AWS::Scheduler::Schedule', 1);
    expect(auto.offHoursSchedule).toBeUndefined();
  });

  it('studioDomain gets native idle shutdown merged into its default user settings', () => {
    const stack = testStack();
    const keys = new EncryptionKeys(stack, 'Keys');
    const alerts = new AlertTopic(stack, 'Alerts', { encryptionKey: keys.logs });
    const network = new InferenceNetwork(stack, 'Network', { encryptionKey: keys.logs });
    const domain = new sagemaker.CfnDomain(stack, 'Domain', {
      authMode: 'IAM',
      domainName: 'ml',
      vpcId: network.vpc.vpcId,
      subnetIds: network.vpc.isolatedSubnets.map((s) => s.subnetId),
      defaultUserSettings: {
        executionRole: 'arn:aws:iam::111111111111:role/studio',
        jupyterLabAppSettings: { lifecycleConfigArns: ['arn:lcc'] },
      },
    });
    new AutoShutdown(stack, 'AutoShutdown', {
      alerts,
      vpc: network.vpc,
      encryptionKey: keys.logs,
      studioDomain: domain,
      idleThreshold: Duration.hours(3),
    });
    const idle = {
      IdleSettings: {
        LifecycleManagement: 'ENABLED',
        IdleTimeoutInMinutes: 180,
        MinIdleTimeoutInMinutes: 60,
        MaxIdleTimeoutInMinutes: 180,
      },
    };
    Template.fromStack(stack).hasResourceProperties('AWS::SageMaker::Domain', {
      DefaultUserSettings: {
        ExecutionRole: 'arn:aws:iam::111111111111:role/studio',
        JupyterLabAppSettings: { LifecycleConfigArns: ['arn:lcc'], AppLifecycleManagement: idle },
        CodeEditorAppSettings: { AppLifecycleManagement: idle },
      },
    });
  });

  it('studioIdleSettings: the L1 fragment, clamped to at least 60 minutes', () => {
    expect(studioIdleSettings(Duration.minutes(30)).jupyterLabAppSettings).toEqual({
      appLifecycleManagement: {
        idleSettings: {
          lifecycleManagement: 'ENABLED',
          idleTimeoutInMinutes: 60,
          minIdleTimeoutInMinutes: 60,
          maxIdleTimeoutInMinutes: 60,
        },
      },
    });
  });
});

describe('AutoShutdown validation', () => {
  const cases: [string, Partial<AutoShutdownProps>, string][] = [
    [
      'maxActionsPerRun',
      { maxActionsPerRun: -1 },
      'Test/AutoShutdown: maxActionsPerRun: is too small (got -1; expected >= 0)',
    ],
    ['maxActionsPerRun', { maxActionsPerRun: 2.5 }, 'Test/AutoShutdown: maxActionsPerRun:'],
    [
      'idleThreshold',
      { idleThreshold: Duration.minutes(1) },
      'Test/AutoShutdown: idleThreshold: is out of range (got Duration.minutes(1); expected between Duration.minutes(5) and Duration.days(7))',
    ],
    [
      'idleThreshold',
      { idleThreshold: Duration.seconds(330) },
      'Test/AutoShutdown: idleThreshold: is not a whole number of minutes',
    ],
    [
      'endpointIdleThreshold',
      { endpointIdleThreshold: Duration.minutes(30) },
      'Test/AutoShutdown: endpointIdleThreshold: is out of range',
    ],
    [
      'studioMaxAppAge',
      { studioMaxAppAge: Duration.days(31) },
      'Test/AutoShutdown: studioMaxAppAge: is out of range',
    ],
    [
      'sweepInterval',
      { sweepInterval: Duration.minutes(2) },
      'Test/AutoShutdown: sweepInterval: is out of range',
    ],
    [
      'offHoursSchedule.expression',
      { offHoursSchedule: { expression: '0 20 * * MON-FRI', timeZone: 'UTC' } },
      'Test/AutoShutdown: offHoursSchedule.expression: has an invalid format',
    ],
    [
      'offHoursSchedule.timeZone',
      { offHoursSchedule: { expression: 'cron(0 20 ? * MON-FRI *)', timeZone: 'Mars/Olympus' } },
      'Test/AutoShutdown: offHoursSchedule.timeZone: is not an IANA time zone (got "Mars/Olympus"; expected an IANA time zone such as Europe/London)',
    ],
    [
      'exemptionTagKey',
      { exemptionTagKey: 'aws:exempt' },
      'Test/AutoShutdown: exemptionTagKey: has an invalid format',
    ],
    ['environmentTagKey', { environmentTagKey: '' }, 'Test/AutoShutdown: environmentTagKey: is too small'],
    [
      'environmentTagKey',
      { exemptionTagKey: 'env', environmentTagKey: 'env' },
      'Test/AutoShutdown: environmentTagKey: is the same as exemptionTagKey (got "env"; expected a different tag key)',
    ],
    [
      'productionValues',
      { productionValues: [] },
      'Test/AutoShutdown: productionValues: is too small (got []; expected >= 1 items)',
    ],
    ['targets', { targets: [] }, 'Test/AutoShutdown: targets: is too small'],
    [
      'targets.0',
      { targets: ['ec2' as 'notebooks'] },
      'Test/AutoShutdown: targets.0: is not an allowed value',
    ],
    [
      'studioAppTypes.0',
      { studioAppTypes: ['Canvas' as 'JupyterLab'] },
      'Test/AutoShutdown: studioAppTypes.0: is not an allowed value',
    ],
    ['maxAttempts', { maxAttempts: 0 }, 'Test/AutoShutdown: maxAttempts: is too small'],
    ['dryRun', { dryRun: 'no' as unknown as boolean }, 'Test/AutoShutdown: dryRun: has the wrong type'],
    [
      'studioDomain',
      { studioDomain: {} as sagemaker.CfnDomain },
      'Test/AutoShutdown: studioDomain: is not a CfnDomain',
    ],
    [
      'unknown',
      { schedule: 'x' } as Partial<AutoShutdownProps>,
      'Test/AutoShutdown: schedule: is not a known prop',
    ],
  ];
  it.each(cases)('%s', (_field, props, message) => {
    expect(() => setup(props)).toThrow(message);
  });

  it('takes any topic through AlertTopic.fromTopic: run reports and both alarms (ALARM and OK) go there', () => {
    const stack = testStack();
    const keys = new EncryptionKeys(stack, 'Keys');
    const network = new InferenceNetwork(stack, 'Network', { encryptionKey: keys.logs });
    const topic = new sns.Topic(stack, 'TeamAlerts', { masterKey: keys.logs, enforceSSL: true });
    new AutoShutdown(stack, 'AutoShutdown', {
      alerts: AlertTopic.fromTopic(topic),
      vpc: network.vpc,
      encryptionKey: keys.logs,
    });
    const t = Template.fromStack(stack);
    const ref = stack.resolve(topic.topicArn);
    t.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      DestinationConfig: { OnSuccess: { Destination: ref } },
    });
    expect(
      Object.keys(
        t.findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmActions: [ref], OKActions: [ref] } }),
      ),
    ).toHaveLength(2);
  });

  // Publishing to an SSE-KMS topic needs kms:GenerateDataKey and kms:Decrypt on its key:
  // https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#sns-what-permissions-for-sse
  it('lets the function encrypt run reports for an imported topic with the key given to fromTopic', () => {
    const stack = testStack();
    const keys = new EncryptionKeys(stack, 'Keys');
    const network = new InferenceNetwork(stack, 'Network', { encryptionKey: keys.logs });
    const topic = sns.Topic.fromTopicArn(stack, 'Shared', 'arn:aws:sns:eu-west-1:111111111111:ml-alerts');
    new AutoShutdown(stack, 'AutoShutdown', {
      alerts: AlertTopic.fromTopic(topic, keys.logs),
      vpc: network.vpc,
      encryptionKey: keys.logs,
    });
    const statements = Object.values(
      Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy'),
    ).flatMap(
      (p) => p.Properties.PolicyDocument.Statement as { Sid?: string; Action: unknown; Resource: unknown }[],
    );
    const encrypt = statements.find((st) => st.Sid === 'EncryptResults');
    expect(encrypt?.Action).toEqual(['kms:GenerateDataKey', 'kms:Decrypt']);
    expect(encrypt?.Resource).toEqual(stack.resolve(keys.logs.keyArn));
  });

  // CloudWatch alarms publish to an encrypted topic only if the key policy lets
  // cloudwatch.amazonaws.com use the key:
  // https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
  it('refuses alerts whose key does not let CloudWatch publish (a data key)', () => {
    const stack = testStack();
    const keys = new EncryptionKeys(stack, 'Keys');
    const network = new InferenceNetwork(stack, 'Network', { encryptionKey: keys.logs });
    const topic = new sns.Topic(stack, 'TeamAlerts', { masterKey: keys.data });
    expect(
      () =>
        new AutoShutdown(stack, 'AutoShutdown', {
          alerts: AlertTopic.fromTopic(topic),
          vpc: network.vpc,
          encryptionKey: keys.logs,
        }),
    ).toThrow(
      /^Test\/AutoShutdown: alerts\.encryptionKey: is a data key whose policy lacks the AlertPublishers statement/,
    );
  });

  it('alerts, vpc and encryptionKey are required', () => {
    const stack = testStack();
    expect(() => new AutoShutdown(stack, 'AutoShutdown', {} as AutoShutdownProps)).toThrow(
      /Test\/AutoShutdown: alerts: [^\n]*\nTest\/AutoShutdown: vpc: [^\n]*\nTest\/AutoShutdown: encryptionKey: /,
    );
  });

  it('refuses a list token as productionValues: the values go into an IAM condition at synth', () => {
    expect(() => setup({ productionValues: Token.asList(Lazy.list({ produce: () => ['prod'] })) })).toThrow(
      /^Test\/AutoShutdown: productionValues: must be a literal list, not a list token/,
    );
  });

  it('bounds sub-second durations instead of failing to convert them', () => {
    expect(() => setup({ sweepInterval: Duration.millis(1) })).toThrow(
      /^Test\/AutoShutdown: sweepInterval: is out of range/,
    );
  });
});
