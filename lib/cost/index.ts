export * from './analysis';
export * from './cost';
export * from './format';
export * from './window';
