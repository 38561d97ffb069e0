/** One AWS API call the canary makes, and the IAM action that authorizes it. */
export interface CanarySdkCall {
  /** Service as the loopback fake names it. */
  readonly service: 'featurestore' | 'cloudwatch' | 'execute-api' | 'sagemaker-runtime';
  /**
   * Operation name: the SDK command without `Command` (`Invoke` for the signed API request,
   * `InvokeEndpoint` for the signed request to the SageMaker runtime).
   */
  readonly operation: string;
  /** The IAM action AWS checks for the operation. */
  readonly iamAction: string;
}

/**
 * Every AWS API call the model-health canary sends. The authorization proof (test/deploy) checks
 * that the synthesized canary role allows each one on the resources it targets. `GetRecord` of
 * the feature-store runtime is authorized as `sagemaker:GetRecord` on the feature group; the golden
 * request goes either to the API (`execute-api:Invoke`) or straight to the endpoint
 * (`sagemaker:InvokeEndpoint` on the endpoint), as the construct is configured.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_feature_store_GetRecord.html
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html
 */
export const MODEL_HEALTH_CANARY_SDK_CALLS: readonly CanarySdkCall[] = [
  { service: 'featurestore', operation: 'GetRecord', iamAction: 'sagemaker:GetRecord' },
  { service: 'cloudwatch', operation: 'PutMetricData', iamAction: 'cloudwatch:PutMetricData' },
  { service: 'execute-api', operation: 'Invoke', iamAction: 'execute-api:Invoke' },
  { service: 'sagemaker-runtime', operation: 'InvokeEndpoint', iamAction: 'sagemaker:InvokeEndpoint' },
];
