export * from './core';
export * from './mysql';
export * from './postgres';
export * from './cassandra';
