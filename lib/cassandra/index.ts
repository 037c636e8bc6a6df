export { CassandraVersion } from './version';
export type { CassandraNodeProps, CassandraHeapProps } from './node';
export type { CassandraSettings } from './settings';
export type { CassandraMonitoringProps } from './monitoring';
export type { CassandraRepairProps } from './repairs';
export { CassandraRack } from './rack';
export type { CassandraRackProps } from './rack';
export { CassandraDatacenter } from './datacenter';
export type { CassandraDatacenterProps, CassandraRackSpec } from './datacenter';
