export * from './finding';
export * from './summary';
export * from './text';
export * from './json';
export * from './sarif';
export * from './junit';
export * from './markdown';
export * from './writers';
