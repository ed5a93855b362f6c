/**
 * What the two engines spell differently. The tables (schema.ts) and the queries both stores
 * run (queries.ts) are written once, in these words; each engine's file keeps only what it
 * must do its own way (PostgreSQL's insert-or-find of a round, SQLite's write lock).
 */
export interface Dialect {
  readonly name: 'sqlite' | 'postgres';
  /** Milliseconds since 1970 (PostgreSQL: BIGINT, which the pool reads back as a number). */
  readonly millis: string;
  /** A yes/no column, and its two values as SQL literals. */
  readonly flag: string;
  readonly yes: string;
  readonly no: string;
  /** `column` is no. */
  not(column: string): string;
  /** A table's own increasing integer key. */
  readonly autoId: string;
  /** Orders players who joined in the same millisecond by their insertion (SQLite: rowid; PostgreSQL: an identity column). */
  readonly joinOrder: string;
  /** An aggregate as a JavaScript number (PostgreSQL's COUNT and SUM are BIGINT and NUMERIC). */
  int(expression: string): string;
  /** A column alias that keeps its capitals (PostgreSQL folds unquoted names to lower case). */
  alias(name: string): string;
  /** Text compared byte by byte, as SQLite does by default. */
  bytewise(column: string): string;
  /** The query with its `?` placeholders in this engine's spelling. */
  params(sql: string): string;
}

export const SQLITE: Dialect = {
  name: 'sqlite',
  millis: 'INTEGER',
  flag: 'INTEGER',
  yes: '1',
  no: '0',
  not: (column) => `${column} = 0`,
  autoId: 'INTEGER PRIMARY KEY AUTOINCREMENT',
  joinOrder: 'rowid',
  int: (expression) => expression,
  alias: (name) => name,
  bytewise: (column) => column,
  params: (sql) => sql,
};

export const POSTGRES: Dialect = {
  name: 'postgres',
  millis: 'BIGINT',
  flag: 'BOOLEAN',
  yes: 'TRUE',
  no: 'FALSE',
  not: (column) => `NOT ${column}`,
  autoId: 'INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY',
  joinOrder: 'seq',
  int: (expression) => `${expression}::int`,
  alias: (name) => (name === name.toLowerCase() ? name : `"${name}"`),
  bytewise: (column) => `${column} COLLATE "C"`,
  params: (sql) => {
    let n = 0;
    return sql.replace(/\?/g, () => `$${++n}`);
  },
};
