export { startAwsFake, AwsFake } from './server';
export type {
  ServiceName,
  HandlerContext,
  OperationHandler,
  S3HandlerResult,
  FaultOptions,
  FailSpec,
  FaultKind,
  FakeCall,
  ClientConfigOptions,
  FakeClientConfig,
} from './types';
export { AwsFakeError, awsError } from './errors';
export { paginate, pageOutput } from './paginate';
export type { PaginateOptions, Page } from './paginate';
export { S3Store, toXml } from './protocols/s3';
export type { S3Object, PutObjectOptions } from './protocols/s3';
export { JSON_TARGETS } from './protocols/json';
export { installModelCards } from './model-cards';
export type { FakeModelCard } from './model-cards';
