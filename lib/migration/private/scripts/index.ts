export { POSTGRES_RUNNER } from './postgres';
export { MYSQL_RUNNER } from './mysql';
export { CASSANDRA_RUNNER } from './cassandra';
