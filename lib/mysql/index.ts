export * from './version';
export * from './config';
export * from './single-node';
