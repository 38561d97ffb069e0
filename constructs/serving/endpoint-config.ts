import * as kms from 'aws-cdk-lib/aws-kms';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { acknowledge } from '../core/acknowledge';
import { INHERENT } from '../core/inherent';
import { ScopedRole } from '../core/scoped-role';
import {
  DEFAULT_CAPTURE_CSV_CONTENT_TYPES,
  DEFAULT_CAPTURE_JSON_CONTENT_TYPES,
  DEFAULT_CAPTURE_SAMPLING_PERCENT,
} from './defaults';
import { IsolatedEndpointProps } from './isolated-endpoint-props';
import { EndpointSettings } from './endpoint-validation';
import { acknowledgeIdentityPrefixGrant } from './nag-ids';

// The endpoint configuration of an IsolatedEndpoint: its production and shadow variants, data
// capture, and the volume key.

/** Where data capture writes, and the config that says so. */
export interface DataCapture {
  /** The S3 URI captures are written under. */
  readonly s3Uri: string;
  /** The endpoint config's capture settings. */
  readonly config: sagemaker.CfnEndpointConfig.DataCaptureConfigProperty;
}

/**
 * Data capture of requests and responses to the capture bucket (the model bucket by default),
 * encrypted with the bucket's key; the execution role may write that prefix only.
 */
export function configureDataCapture(
  role: ScopedRole,
  endpointName: string,
  p: IsolatedEndpointProps,
): DataCapture {
  const captureBucket = p.captureBucket ?? p.modelBucket;
  const prefix = p.capturePrefix ?? `data-capture/${endpointName}/`;
  const s3Uri = captureBucket.s3UriForPrefix(prefix);
  // The bucket policy admits only its own key, so captures are encrypted with exactly that key.
  captureBucket.grantWritePrefix(role, prefix);
  acknowledgeIdentityPrefixGrant(
    role,
    captureBucket,
    prefix,
    'sagemaker names each data capture object (<variant>/yyyy/mm/dd/hh/<id>.jsonl) under the prefix of this endpoint at run time',
  );
  return {
    s3Uri,
    config: {
      enableCapture: true,
      initialSamplingPercentage: p.captureSamplingPercent ?? DEFAULT_CAPTURE_SAMPLING_PERCENT,
      destinationS3Uri: s3Uri,
      kmsKeyId: captureBucket.encryptionKey.keyArn,
      captureOptions: [{ captureMode: 'Input' }, { captureMode: 'Output' }],
      captureContentTypeHeader: {
        csvContentTypes: p.captureCsvContentTypes ?? DEFAULT_CAPTURE_CSV_CONTENT_TYPES,
        jsonContentTypes: p.captureJsonContentTypes ?? DEFAULT_CAPTURE_JSON_CONTENT_TYPES,
      },
    },
  };
}

/** What the endpoint config is made of. */
export interface EndpointConfigOptions {
  /** Name of the production variant. */
  readonly variantName: string;
  /** The production variant's model. */
  readonly model: sagemaker.CfnModel;
  /** The shadow variant's model, when there is one. */
  readonly shadowModel?: sagemaker.CfnModel;
  /** The volume key; undefined for instance types with local NVMe storage. */
  readonly encryptionKey?: kms.IKey;
  /** Data capture; undefined for serverless. */
  readonly dataCapture?: DataCapture;
}

/**
 * The endpoint configuration. No EndpointConfigName (and no ModelName): CloudFormation replaces
 * both on nearly any change (a new digest replaces the model, which replaces the config that
 * points at it) and refuses to replace a resource under the same custom name. Generated names are
 * new on every replacement, and nothing refers to the config by name: alarms, capture prefix and
 * monitors use the endpoint's.
 */
export function createEndpointConfig(
  scope: Construct,
  p: IsolatedEndpointProps,
  s: EndpointSettings,
  o: EndpointConfigOptions,
): sagemaker.CfnEndpointConfig {
  const config = new sagemaker.CfnEndpointConfig(scope, 'Config', {
    kmsKeyId: o.encryptionKey?.keyArn,
    productionVariants: [productionVariant(p, s, o)],
    shadowProductionVariants: shadowVariants(p, s, o),
    dataCaptureConfig: o.dataCapture?.config,
  });
  if (!o.encryptionKey) {
    // The HIPAA, NIST and PCI packs demand KmsKeyId on every endpoint config; AWS rejects it here.
    for (const pack of ['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321']) {
      acknowledge(config, `${pack}-SageMakerEndpointConfigurationKMSKeyConfigured`, {
        reason: `local NVMe storage of ${[...new Set(s.nvmeVariants.map((v) => v.instanceType))].join(', ')} is encrypted by a hardware module, and CreateEndpointConfig rejects KmsKeyId for it`,
        ...INHERENT,
      });
    }
  }
  return config;
}

function productionVariant(
  p: IsolatedEndpointProps,
  s: EndpointSettings,
  o: EndpointConfigOptions,
): sagemaker.CfnEndpointConfig.ProductionVariantProperty {
  const common = { variantName: o.variantName, modelName: o.model.attrModelName, initialVariantWeight: 1 };
  return p.serverless
    ? {
        ...common,
        serverlessConfig: {
          memorySizeInMb: p.serverless.memorySizeMb,
          maxConcurrency: p.serverless.maxConcurrency,
        },
      }
    : { ...common, instanceType: s.instanceType, initialInstanceCount: s.count };
}

function shadowVariants(
  p: IsolatedEndpointProps,
  s: EndpointSettings,
  o: EndpointConfigOptions,
): sagemaker.CfnEndpointConfig.ProductionVariantProperty[] | undefined {
  if (!p.shadowVariant || !o.shadowModel) return undefined;
  return [
    {
      variantName: 'shadow',
      modelName: o.shadowModel.attrModelName,
      // Relative to the production variant's weight of 1: the share of requests copied.
      initialVariantWeight: p.shadowVariant.trafficPercent / 100,
      instanceType: p.shadowVariant.instanceType ?? s.instanceType,
      initialInstanceCount: p.shadowVariant.instanceCount ?? 1,
    },
  ];
}
