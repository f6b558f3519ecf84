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
 * `build` receives one placeholder per value and returns the query; it runs once, at the first `run`, whose
 * values name the keys (so a whole row can be passed to `.values()`). Every run must pass the same keys. A
 * value that must be converted (a number stored as bigint) is converted by the caller, before `run`. Only
 * values can be placeholders: anything that changes the SQL text itself (a list's length, an optional
 * clause, a key left out) cannot.
 */
export function compileOnce<P extends object, O>(build: (values: P) => Compilable<O>): CompiledOnce<P, O> {
  let compiled:
    | { readonly query: CompiledQuery<O>; readonly names: readonly (string | undefined)[] }
    | undefined;

  function compile(keys: readonly string[]) {
    const placeholderOf = (name: string | symbol): Placeholder => ({ [PLACEHOLDER_NAME]: String(name) });
    const placeholders = new Proxy(
      {},
      {
        get: (_target, name) => placeholderOf(name),
        ownKeys: () => [...keys],
        getOwnPropertyDescriptor: (_target, name) => ({
          value: placeholderOf(name),
          enumerable: true,
          configurable: true,
        }),
      },
    ) as P;
    const query = build(placeholders).compile();
    const names = query.parameters.map((parameter) =>
      isPlaceholder(parameter) ? parameter[PLACEHOLDER_NAME] : undefined,
    );
    return { query, names };
  }

  return {
    run(executor, values) {
      compiled ??= compile(Object.keys(values));
      const { query, names } = compiled;
      const parameters = query.parameters.map((parameter, index) => {
        const name = names[index];
        return name === undefined ? parameter : (values as Record<string, unknown>)[name];
      });
      return executor.executeQuery<O>({ ...query, parameters });
    },
  };
}
