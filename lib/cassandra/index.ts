export { CassandraVersion } from './version';
export type { CassandraHeapProps } from './heap';
export type { CassandraSettings, CassandraYamlValue } from './config';
export type { CassandraNodeProps, CassandraStorageProps } from './common';
export { CassandraRack } from './rack';
export type { CassandraRackProps, CassandraRackContext } from './rack';
export { CassandraDatacenter } from './datacenter';
export type { CassandraDatacenterProps, CassandraRackSpec } from './datacenter';
