import { CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import {
  CfnDomain,
  CfnDomainProps,
  CfnNotebookInstance,
  CfnNotebookInstanceProps,
  CfnUserProfile,
} from 'aws-cdk-lib/aws-sagemaker';
import { describe, expect, it } from 'vitest';
import {
  SUPPORTED_NOTEBOOK_PLATFORMS,
  UNSUPPORTED_NOTEBOOK_PLATFORMS,
} from '../../../lib/policy/rules/sagemaker/SageMakerNotebookPlatformIdentifier';
import { KEY_ARN, ROLE_ARN, reported, ruleIds, THREW, expectJudged } from '../fixtures';

const idle = {
  appLifecycleManagement: { idleSettings: { lifecycleManagement: 'ENABLED', idleTimeoutInMinutes: 60 } },
};
const compliantDomain: CfnDomainProps = {
  domainName: 'ml',
  authMode: 'IAM',
  vpcId: 'vpc-0a1b2c3d',
  subnetIds: ['subnet-0a1b2c3d'],
  appNetworkAccessType: 'VpcOnly',
  kmsKeyId: KEY_ARN,
  defaultUserSettings: { executionRole: ROLE_ARN, jupyterLabAppSettings: idle },
};

function domain(props: Partial<CfnDomainProps> = {}): Stack {
  const stack = new Stack();
  new CfnDomain(stack, 'Domain', { ...compliantDomain, ...props });
  return stack;
}

function threw(stack: Stack, rule: string): void {
  const r = reported(stack, rule);
  expect(r.map((x) => x.ruleName)).toEqual([`MLOps-${rule}`]);
  expect(r[0].description).toMatch(THREW);
}

function paramStack(): [Stack, string] {
  const stack = new Stack();
  return [stack, new CfnParameter(stack, 'P', { type: 'String' }).valueAsString];
}

describe('MLOps-SageMakerStudioDomainVpcOnly', () => {
  const rule = 'SageMakerStudioDomainVpcOnly';
  it('passes VpcOnly', () => expect(ruleIds(domain(), rule)).toEqual([]));
  it('flags the PublicInternetOnly default and the explicit value', () => {
    expect(ruleIds(domain({ appNetworkAccessType: undefined }), rule)).toEqual([`MLOps-${rule}`]);
    expect(ruleIds(domain({ appNetworkAccessType: 'PublicInternetOnly' }), rule)).toEqual([`MLOps-${rule}`]);
  });
  it('reports a parameter instead of crashing', () => {
    const [stack, p] = paramStack();
    new CfnDomain(stack, 'Domain', { ...compliantDomain, appNetworkAccessType: p });
    threw(stack, rule);
  });
});

describe('MLOps-SageMakerStudioDomainKMS', () => {
  const rule = 'SageMakerStudioDomainKMS';
  it('passes a CMK', () => expect(ruleIds(domain(), rule)).toEqual([]));
  it('flags a domain without a key', () =>
    expect(ruleIds(domain({ kmsKeyId: undefined }), rule)).toEqual([`MLOps-${rule}`]));
  it('reports a key behind Fn::If instead of crashing', () => {
    expectJudged(
      [
        'MLOps-SageMakerStudioDomainKMS: when condition C is false: The SageMaker Studio domain does not encrypt its storage with a customer managed KMS key.',
      ],
      domain({ kmsKeyId: Fn.conditionIf('C', KEY_ARN, Fn.ref('AWS::NoValue')).toString() }),
      rule,
    );
  });
});

describe('MLOps-SageMakerStudioDomainIdleShutdown', () => {
  const rule = 'SageMakerStudioDomainIdleShutdown';
  it('passes idle shutdown on JupyterLab or on Code Editor', () => {
    expect(ruleIds(domain(), rule)).toEqual([]);
    const codeEditorOnly = { executionRole: ROLE_ARN, codeEditorAppSettings: idle };
    expect(ruleIds(domain({ defaultUserSettings: codeEditorOnly }), rule)).toEqual([]);
  });
  it('flags a domain without idle shutdown', () => {
    expect(ruleIds(domain({ defaultUserSettings: { executionRole: ROLE_ARN } }), rule)).toEqual([
      `MLOps-${rule}`,
    ]);
  });
  it('flags a domain that disables it for another app', () => {
    const disabled = { appLifecycleManagement: { idleSettings: { lifecycleManagement: 'DISABLED' } } };
    const settings = {
      executionRole: ROLE_ARN,
      jupyterLabAppSettings: idle,
      codeEditorAppSettings: disabled,
    };
    expect(ruleIds(domain({ defaultUserSettings: settings }), rule)).toEqual([`MLOps-${rule}`]);
  });
  it('reports a parameter instead of crashing', () => {
    const [stack, p] = paramStack();
    const settings = {
      executionRole: ROLE_ARN,
      jupyterLabAppSettings: { appLifecycleManagement: { idleSettings: { lifecycleManagement: p } } },
    };
    new CfnDomain(stack, 'Domain', { ...compliantDomain, defaultUserSettings: settings });
    threw(stack, rule);
  });
});

describe('MLOps-SageMakerStudioUserProfileIdleShutdown', () => {
  const rule = 'SageMakerStudioUserProfileIdleShutdown';
  function profile(userSettings?: CfnUserProfile.UserSettingsProperty): Stack {
    const stack = new Stack();
    new CfnUserProfile(stack, 'Profile', { domainId: 'd-123', userProfileName: 'alice', userSettings });
    return stack;
  }
  it('passes a profile that keeps the domain default or enables it', () => {
    expect(ruleIds(profile(), rule)).toEqual([]);
    expect(ruleIds(profile({ jupyterLabAppSettings: idle }), rule)).toEqual([]);
  });
  it('flags each app whose idle shutdown the profile disables', () => {
    const disabled = { appLifecycleManagement: { idleSettings: { lifecycleManagement: 'DISABLED' } } };
    expect(
      ruleIds(profile({ jupyterLabAppSettings: disabled, codeEditorAppSettings: disabled }), rule),
    ).toEqual([`MLOps-${rule}[CodeEditor]`, `MLOps-${rule}[JupyterLab]`]);
  });
  it('reports settings behind Fn::If instead of crashing', () => {
    const stack = new Stack();
    new CfnUserProfile(stack, 'Profile', {
      domainId: 'd-123',
      userProfileName: 'bob',
      userSettings: { jupyterLabAppSettings: Fn.conditionIf('C', {}, {}) },
    });
    // Both branches leave the domain's idle shutdown in force.
    expectJudged([], stack, rule);
  });
});

const compliantNotebook: CfnNotebookInstanceProps = {
  instanceType: 'ml.t3.medium',
  roleArn: ROLE_ARN,
  kmsKeyId: KEY_ARN,
  subnetId: 'subnet-0a1b2c3d',
  securityGroupIds: ['sg-0a1b2c3d'],
  directInternetAccess: 'Disabled',
  rootAccess: 'Disabled',
  instanceMetadataServiceConfiguration: { minimumInstanceMetadataServiceVersion: '2' },
  lifecycleConfigName: 'auto-stop',
};

function notebook(props: Partial<CfnNotebookInstanceProps> = {}): Stack {
  const stack = new Stack();
  new CfnNotebookInstance(stack, 'Notebook', { ...compliantNotebook, ...props });
  return stack;
}

describe('MLOps-SageMakerNotebookRootAccessDisabled', () => {
  const rule = 'SageMakerNotebookRootAccessDisabled';
  it('passes root access disabled', () => expect(ruleIds(notebook(), rule)).toEqual([]));
  it('flags the Enabled default', () =>
    expect(ruleIds(notebook({ rootAccess: undefined }), rule)).toEqual([`MLOps-${rule}`]));
  it('reports a parameter instead of crashing', () => {
    const [stack, p] = paramStack();
    new CfnNotebookInstance(stack, 'Notebook', { ...compliantNotebook, rootAccess: p });
    threw(stack, rule);
  });
});

describe('MLOps-SageMakerNotebookIMDSv2', () => {
  const rule = 'SageMakerNotebookIMDSv2';
  it('passes IMDSv2', () => expect(ruleIds(notebook(), rule)).toEqual([]));
  it('flags IMDSv1 and the default', () => {
    expect(
      ruleIds(
        notebook({ instanceMetadataServiceConfiguration: { minimumInstanceMetadataServiceVersion: '1' } }),
        rule,
      ),
    ).toEqual([`MLOps-${rule}`]);
    expect(ruleIds(notebook({ instanceMetadataServiceConfiguration: undefined }), rule)).toEqual([
      `MLOps-${rule}`,
    ]);
  });
  it('reports a parameter instead of crashing', () => {
    const [stack, p] = paramStack();
    new CfnNotebookInstance(stack, 'Notebook', {
      ...compliantNotebook,
      instanceMetadataServiceConfiguration: { minimumInstanceMetadataServiceVersion: p },
    });
    threw(stack, rule);
  });
});

describe('MLOps-SageMakerNotebookLifecycleConfig', () => {
  const rule = 'SageMakerNotebookLifecycleConfig';
  it('passes a lifecycle config', () => expect(ruleIds(notebook(), rule)).toEqual([]));
  it('flags a notebook without one', () =>
    expect(ruleIds(notebook({ lifecycleConfigName: undefined }), rule)).toEqual([`MLOps-${rule}`]));
  it('reports a name behind Fn::If instead of crashing', () => {
    expectJudged(
      [
        'MLOps-SageMakerNotebookLifecycleConfig: when condition C is false: The SageMaker notebook instance has no lifecycle configuration.',
      ],
      notebook({ lifecycleConfigName: Fn.conditionIf('C', 'a', Fn.ref('AWS::NoValue')).toString() }),
      rule,
    );
  });
});

// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sagemaker-notebookinstance.html
// (KmsKeyId, SubnetId, SecurityGroupIds, DirectInternetAccess, PlatformIdentifier) and
// https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateNotebookInstance.html
// (DirectInternetAccess: "Enabled" unless set; "Disabled" needs a subnet).
describe('MLOps-SageMakerNotebookKMS', () => {
  const rule = 'SageMakerNotebookKMS';
  it('passes a customer managed key', () => expect(ruleIds(notebook(), rule)).toEqual([]));
  it('flags a notebook without a key', () =>
    expect(ruleIds(notebook({ kmsKeyId: undefined }), rule)).toEqual([`MLOps-${rule}`]));
  it('judges a key behind Fn::If branch by branch', () => {
    expectJudged(
      [
        'MLOps-SageMakerNotebookKMS: when condition C is false: The SageMaker notebook instance does not encrypt its storage volume with a customer managed KMS key.',
      ],
      notebook({ kmsKeyId: Fn.conditionIf('C', KEY_ARN, Fn.ref('AWS::NoValue')).toString() }),
      rule,
    );
  });
});

describe('MLOps-SageMakerNotebookVpc', () => {
  const rule = 'SageMakerNotebookVpc';
  it('passes a subnet with security groups', () => expect(ruleIds(notebook(), rule)).toEqual([]));
  it('flags no subnet, and a subnet without security groups', () => {
    expect(ruleIds(notebook({ subnetId: undefined, securityGroupIds: undefined }), rule)).toEqual([
      `MLOps-${rule}`,
    ]);
    expect(ruleIds(notebook({ securityGroupIds: [] }), rule)).toEqual([`MLOps-${rule}`]);
    expect(ruleIds(notebook({ securityGroupIds: undefined }), rule)).toEqual([`MLOps-${rule}`]);
  });
  it('judges a subnet behind Fn::If branch by branch', () => {
    expectJudged(
      [
        'MLOps-SageMakerNotebookVpc: when condition C is false: The SageMaker notebook instance is not attached to a VPC (SubnetId and SecurityGroupIds).',
      ],
      notebook({ subnetId: Fn.conditionIf('C', 'subnet-0a1b2c3d', Fn.ref('AWS::NoValue')).toString() }),
      rule,
    );
  });
});

describe('MLOps-SageMakerNotebookNoDirectInternet', () => {
  const rule = 'SageMakerNotebookNoDirectInternet';
  it('passes direct internet access disabled', () => expect(ruleIds(notebook(), rule)).toEqual([]));
  it('flags Enabled and the default (CloudFormation leaves it Enabled)', () => {
    expect(ruleIds(notebook({ directInternetAccess: 'Enabled' }), rule)).toEqual([`MLOps-${rule}`]);
    expect(ruleIds(notebook({ directInternetAccess: undefined }), rule)).toEqual([`MLOps-${rule}`]);
  });
  it('judges a value behind Fn::If branch by branch', () => {
    expectJudged(
      [
        'MLOps-SageMakerNotebookNoDirectInternet: when condition C is false: The SageMaker notebook instance has direct internet access.',
      ],
      notebook({ directInternetAccess: Fn.conditionIf('C', 'Disabled', 'Enabled').toString() }),
      rule,
    );
  });
  it('reports a parameter instead of crashing', () => {
    const [stack, p] = paramStack();
    new CfnNotebookInstance(stack, 'Notebook', { ...compliantNotebook, directInternetAccess: p });
    threw(stack, rule);
  });
});

describe('MLOps-SageMakerNotebookPlatformIdentifier', () => {
  const rule = 'SageMakerNotebookPlatformIdentifier';
  it('passes the AWS default (absent) and a current Amazon Linux 2 identifier', () => {
    expect(ruleIds(notebook(), rule)).toEqual([]);
    expect(ruleIds(notebook({ platformIdentifier: 'notebook-al2-v3' }), rule)).toEqual([]);
  });
  // Amazon Linux 1 is no longer supported: https://docs.aws.amazon.com/linux/ ("AL1 is no longer supported").
  it('flags notebook-al1-v1 (Amazon Linux 1, past its end of support)', () =>
    expect(ruleIds(notebook({ platformIdentifier: 'notebook-al1-v1' }), rule)).toEqual([`MLOps-${rule}`]));
  // https://docs.aws.amazon.com/sagemaker/latest/dg/nbi-al2.html: the JupyterLab 1 (notebook-al2-v1)
  // and JupyterLab 3 (notebook-al2-v2) platforms reached end of support on June 30, 2025; no new or
  // restarted instance runs on them, and running ones get no security updates.
  it.each(['notebook-al2-v1', 'notebook-al2-v2'])(
    'flags %s (a JupyterLab platform past its end of support)',
    (platformIdentifier) =>
      expect(ruleIds(notebook({ platformIdentifier }), rule)).toEqual([`MLOps-${rule}`]),
  );
  // The supported platforms: JupyterLab 4 on Amazon Linux 2 (notebook-al2-v3) and on AL2023
  // (notebook-al2023-v1, the default of CreateNotebookInstance in the SageMaker API model).
  it.each(['notebook-al2-v3', 'notebook-al2023-v1'])(
    'passes %s (a supported platform)',
    (platformIdentifier) => expect(ruleIds(notebook({ platformIdentifier }), rule)).toEqual([]),
  );
  it('lists every identifier once, as supported or not', () => {
    expect([...SUPPORTED_NOTEBOOK_PLATFORMS].sort()).toEqual(['notebook-al2-v3', 'notebook-al2023-v1']);
    expect([...SUPPORTED_NOTEBOOK_PLATFORMS].filter((p) => UNSUPPORTED_NOTEBOOK_PLATFORMS.has(p))).toEqual(
      [],
    );
  });
  it('judges an identifier behind Fn::If branch by branch', () => {
    expectJudged(
      [
        'MLOps-SageMakerNotebookPlatformIdentifier: when condition C is true: The SageMaker notebook instance uses a platform identifier whose operating system is past its end of support.',
      ],
      notebook({ platformIdentifier: Fn.conditionIf('C', 'notebook-al1-v1', 'notebook-al2-v3').toString() }),
      rule,
    );
  });
  it('reports a parameter instead of crashing', () => {
    const [stack, p] = paramStack();
    new CfnNotebookInstance(stack, 'Notebook', { ...compliantNotebook, platformIdentifier: p });
    threw(stack, rule);
  });
});

// AuthMode is SSO or IAM, required, and changing it replaces the domain:
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sagemaker-domain.html#cfn-sagemaker-domain-authmode
describe('MLOps-SageMakerStudioDomainSsoAuth', () => {
  const rule = 'SageMakerStudioDomainSsoAuth';
  it('passes IAM Identity Center authentication', () =>
    expect(ruleIds(domain({ authMode: 'SSO' }), rule)).toEqual([]));
  it('flags IAM authentication', () => expect(ruleIds(domain(), rule)).toEqual([`MLOps-${rule}`]));
  it('judges an auth mode behind Fn::If branch by branch', () => {
    expectJudged(
      [
        'MLOps-SageMakerStudioDomainSsoAuth: when condition C is false: The SageMaker Studio domain does not authenticate users through IAM Identity Center (AuthMode SSO).',
      ],
      domain({ authMode: Fn.conditionIf('C', 'SSO', 'IAM').toString() }),
      rule,
    );
  });
  it('reports a parameter instead of crashing', () => {
    const [stack, p] = paramStack();
    new CfnDomain(stack, 'Domain', { ...compliantDomain, authMode: p });
    threw(stack, rule);
  });
});
