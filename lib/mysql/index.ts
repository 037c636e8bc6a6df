export * from './version';
export type { MySqlConfig } from './config';
export * from './single-node';
