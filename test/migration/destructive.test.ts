import { DatabaseEngine } from '../../lib/core/connection';
import { findDestructive } from '../../lib/migration/private/destructive';

/**
 * Destructive-change detection by parsing. Each row: engine, file content, the verdict
 * (`destructive`, `unclassified` or undefined for safe) and the line the finding names.
 */
const PG = DatabaseEngine.POSTGRESQL;
const MY = DatabaseEngine.MYSQL;
const CQL = DatabaseEngine.CASSANDRA;

const rows: [string, DatabaseEngine, string, 'destructive' | 'unclassified' | undefined, number][] = [
  // PostgreSQL
  ['pg: create table', PG, 'CREATE TABLE customers (\n  id bigserial PRIMARY KEY,\n  email text NOT NULL UNIQUE\n);\n', undefined, 0],
  ['pg: add column, index', PG, "ALTER TABLE orders ADD COLUMN status text NOT NULL DEFAULT 'new';\nCREATE INDEX orders_status_idx ON orders (status);\n", undefined, 0],
  ['pg: the word drop in a string', PG, "INSERT INTO notes VALUES ('please drop by');\n", undefined, 0],
  ['pg: the word drop in comments and names', PG, '-- we never drop\n/* nor truncate */\nCREATE TABLE t (dropped_at timestamptz, drop_reason text);\n', undefined, 0],
  ['pg: DELETE with WHERE', PG, 'DELETE FROM sessions WHERE expires_at < now();\n', undefined, 0],
  ['pg: DROP TABLE', PG, 'CREATE TABLE a (id int);\nDROP TABLE t;\n', 'destructive', 2],
  ['pg: DROP INDEX', PG, 'DROP INDEX orders_customer_idx;\n', 'destructive', 1],
  ['pg: DROP COLUMN', PG, 'ALTER TABLE t\n  DROP COLUMN c;\n', 'destructive', 1],
  ['pg: TRUNCATE', PG, 'SELECT 1;\ntruncate t;\n', 'destructive', 2],
  ['pg: DELETE without WHERE', PG, 'DELETE FROM audit_log;\n', 'destructive', 1],
  ['pg: type change', PG, 'ALTER TABLE t ALTER COLUMN c TYPE bigint;\n', 'destructive', 1],
  ['pg: type change with USING', PG, 'ALTER TABLE t ALTER COLUMN c TYPE bigint USING c::bigint;\n', 'unclassified', 1],
  ['pg: table rename', PG, 'ALTER TABLE t RENAME TO u;\n', 'destructive', 1],
  ['pg: column rename', PG, 'ALTER TABLE t RENAME COLUMN a TO b;\n', 'destructive', 1],
  ['pg: dynamic SQL in a DO block', PG, "DO $$ BEGIN EXECUTE 'DR' || 'OP TABLE t1'; END $$;\n", 'unclassified', 1],
  ['pg: a function', PG, 'CREATE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql;\n', 'unclassified', 1],
  ['pg: a procedure', PG, 'CREATE PROCEDURE p() LANGUAGE sql AS $$ DELETE FROM t $$;\n', 'unclassified', 1],
  ['pg: a statement the parser cannot read', PG, 'CREATE TABLE a (id int);\n\nCALL cleanup();\n', 'unclassified', 3],
  // MySQL
  ['mysql: create table', MY, 'CREATE TABLE posts (id bigint PRIMARY KEY, title varchar(200)) ENGINE=InnoDB;\n', undefined, 0],
  ['mysql: add column and index', MY, 'ALTER TABLE posts ADD COLUMN x int, ADD INDEX i (x);\n', undefined, 0],
  ['mysql: the word drop in a string', MY, "INSERT INTO notes VALUES ('please drop by');\n", undefined, 0],
  ['mysql: hash comments', MY, '# drop later\nSELECT 1;\n', undefined, 0],
  ['mysql: DROP COLUMN', MY, '# titles move\nALTER TABLE posts\n  DROP COLUMN title;\n', 'destructive', 2],
  ['mysql: DROP TABLE', MY, 'DROP TABLE posts;\n', 'destructive', 1],
  ['mysql: TRUNCATE', MY, 'TRUNCATE TABLE posts;\n', 'destructive', 1],
  ['mysql: DELETE without WHERE', MY, 'DELETE FROM posts;\n', 'destructive', 1],
  ['mysql: DELETE with WHERE', MY, 'DELETE FROM posts WHERE id = 1;\n', undefined, 0],
  ['mysql: MODIFY (type change)', MY, 'ALTER TABLE posts MODIFY COLUMN title text;\n', 'destructive', 1],
  ['mysql: CHANGE (rename and type)', MY, 'ALTER TABLE posts CHANGE title headline varchar(200);\n', 'destructive', 1],
  ['mysql: RENAME TABLE', MY, 'RENAME TABLE a TO b;\n', 'destructive', 1],
  ['mysql: RENAME COLUMN', MY, 'ALTER TABLE t RENAME COLUMN a TO b;\n', 'destructive', 1],
  ['mysql: a procedure', MY, 'CREATE PROCEDURE p() BEGIN DELETE FROM t; END;\n', 'unclassified', 1],
  ['mysql: dynamic SQL', MY, "SET @s = CONCAT('DR', 'OP TABLE t');\nPREPARE s FROM @s;\nEXECUTE s;\n", 'unclassified', 2],
  // CQL (no parser: keywords)
  ['cql: create table', CQL, 'CREATE TABLE IF NOT EXISTS events.e (id uuid PRIMARY KEY);\n', undefined, 0],
  ['cql: drop table', CQL, '-- replaced\nDROP TABLE events.by_type;\n', 'destructive', 2],
  ['cql: truncate', CQL, 'TRUNCATE events.e;\n', 'destructive', 1],
];

describe('destructive statement detection by parsing', () => {
  it.each(rows)('%s', (_name, engine, sql, verdict, line) => {
    const hit = findDestructive(sql, engine);
    expect(hit?.kind).toBe(verdict);
    if (verdict) expect(hit?.line).toBe(line);
  });
});
