export * from './audit';
export * from './checks';
export * from './clients';
export * from './errors';
export * from './inventory';
export * from './limit';
export * from './rules';
