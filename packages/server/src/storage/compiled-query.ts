/**
 * A query compiled to SQL once, then run with new values. Kysely builds and compiles every query on every
 * call (immutable builder nodes, frozen copies, a visitor pass over the tree); for the handful of queries on
 * every request's path that was about a tenth of the server's CPU. The query is built once with named
 * placeholders standing in for its values; each run puts the values in the placeholders' places.
 */
import type { Compilable, CompiledQuery, QueryResult } from 'kysely';

const PLACEHOLDER_NAME = Symbol('placeholder name');

interface Placeholder {
  readonly [PLACEHOLDER_NAME]: string;
}

function isPlaceholder(value: unknown): value is Placeholder {
  return typeof value === 'object' && value !== null && PLACEHOLDER_NAME in value;
}

/** The database or an open transaction: anything that runs compiled queries. */
export interface QueryRunner {
  executeQuery<R>(query: CompiledQuery<R>): Promise<QueryResult<R>>;
}

export interface CompiledOnce<P, O> {
  /** Runs the query on `executor` with `values` in its placeholders. */
  run(executor: QueryRunner, values: P): Promise<QueryResult<O>>;
}

/**
 * `build` receives one placeholder per value, named as in `P`, and returns the query. A value that must be
 * converted (a number stored as bigint) is converted by the caller, before `run`. Only values can be
 * placeholders: anything that changes the SQL text itself (a list's length, an optional clause) cannot.
 */
export function compileOnce<P extends object, O>(build: (values: P) => Compilable<O>): CompiledOnce<P, O> {
  const placeholders = new Proxy(
    {},
    { get: (_target, name): Placeholder => ({ [PLACEHOLDER_NAME]: String(name) }) },
  ) as P;
  const compiled: CompiledQuery<O> = build(placeholders).compile();
  const names = compiled.parameters.map((parameter) =>
    isPlaceholder(parameter) ? parameter[PLACEHOLDER_NAME] : undefined,
  );
  return {
    run(executor, values) {
      const parameters = compiled.parameters.map((parameter, index) => {
        const name = names[index];
        return name === undefined ? parameter : (values as Record<string, unknown>)[name];
      });
      return executor.executeQuery<O>({ ...compiled, parameters });
    },
  };
}
