export * from './instance-sizes';
export * from './permissions';
export * from './pricing';
export * from './recommend';
export * from './rightsize';
export * from './rules';
export * from './utilization';
