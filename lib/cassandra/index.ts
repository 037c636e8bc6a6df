export * from './version';
export * from './heap';
export * from './seeds';
export * from './config';
export * from './auth';
export * from './common';
export * from './rack';
export * from './datacenter';
