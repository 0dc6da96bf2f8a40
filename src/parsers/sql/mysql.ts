// node-sql-parser's MySQL and MariaDB grammars (~270 kB of code each), built on first use: require inside the
// function defers loading, so the analyzer's server on a host with no MySQL/MariaDB never holds them. The
// per-dialect builds instead of the all-dialect index (2.5 MB) keep the bundle small.
import type { Parser } from 'node-sql-parser/build/mysql';

export type Dialect = 'mysql' | 'mariadb';

const parsers = new Map<Dialect, Parser>();

export function sqlParser(dialect: Dialect): Parser {
  let parser = parsers.get(dialect);
  if (parser === undefined) {
    const module = (dialect === 'mysql'
      ? require('node-sql-parser/build/mysql')
      : require('node-sql-parser/build/mariadb')) as typeof import('node-sql-parser/build/mysql');
    parser = new module.Parser();
    parsers.set(dialect, parser);
  }
  return parser;
}
