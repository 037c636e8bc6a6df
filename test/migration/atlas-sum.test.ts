import { atlasSum } from '../../lib/migration/private/atlas-sum';

/**
 * A known example: the migration directory and atlas.sum that Atlas itself wrote, published in
 * ariga/atlas-operator at config/integration/migration/mysql-migrations/ (commit 737f363b2e98):
 * 20230316085611.sql, 20230316090502.sql and atlas.sum, contents copied byte for byte.
 */
const FILES = [
  {
    name: '20230316085611.sql',
    content: '-- Create "users" table\nCREATE TABLE `users` (\n  `id` int NOT NULL,\n  `user_name` varchar(255) NOT NULL,\n  `email` varchar(255) NOT NULL,\n  PRIMARY KEY (`id`)\n) CHARSET utf8mb4 COLLATE utf8mb4_0900_ai_ci;\n',
  },
  {
    name: '20230316090502.sql',
    content: '-- Create "posts" table\nCREATE TABLE `posts` (\n  `id` int NOT NULL,\n  `user_id` int NOT NULL,\n  `title` varchar(255) NOT NULL,\n  `body` text NOT NULL,\n  PRIMARY KEY (`id`),\n  INDEX `user_id` (`user_id`),\n  CONSTRAINT `posts_ibfk_1` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON UPDATE NO ACTION ON DELETE CASCADE\n) CHARSET utf8mb4 COLLATE utf8mb4_0900_ai_ci;\n',
  },
];
const EXPECTED = 'h1:XBXbh+rzLis8gknjlIqnxXLBkOZ+sN2v2p7KjyVFYYM=\n'
  + '20230316085611.sql h1:br6W6LPEnnsejlz/7hRm9zthwStCzjN2vZkqVPxlmvo=\n'
  + '20230316090502.sql h1:GfeRjkSeoCt3JVRtLQNa/r50lRfpAPXS7AqTU2ZNFgY=\n';

describe('atlas.sum (Atlas NewHashFile)', () => {
  test('matches the atlas.sum Atlas wrote for a published directory', () => {
    expect(atlasSum(FILES)).toBe(EXPECTED);
  });

  test('orders files by name, whatever order they come in', () => {
    expect(atlasSum([FILES[1], FILES[0]])).toBe(EXPECTED);
  });

  test('is cumulative: editing the first file changes every line', () => {
    const edited = atlasSum([{ ...FILES[0], content: FILES[0].content.replace('255', '256') }, FILES[1]]).split('\n');
    const original = EXPECTED.split('\n');
    expect(edited[0]).not.toBe(original[0]);
    expect(edited[1]).not.toBe(original[1]);
    expect(edited[2]).not.toBe(original[2]);
  });

  test('a file with the `atlas:sum ignore` directive is left out (its name still counts)', () => {
    const ignored = { name: '20230316085000.sql', content: '-- atlas:sum ignore\nSELECT 1;\n' };
    const sum = atlasSum([ignored, ...FILES]);
    expect(sum).not.toContain('20230316085000.sql');
    expect(sum).not.toBe(EXPECTED);
  });
});
