/**
 * Tolerant body parsing, as real MoMo clients need: `Content-Type: application/json` with an empty body
 * (common on /apikey and /token/), a charset parameter, or no JSON content type at all on a JSON body
 * (`text/plain`, or the form type `curl -d` sends when no header is given).
 */
import type { FastifyBodyParser, FastifyInstance } from 'fastify';

/**
 * JSON nested deeper than this is refused (400). MoMo bodies nest three levels; a much deeper one is kept in
 * the request's audit trail and would exhaust the stack of whatever walks it later (JSON.stringify, the
 * operator API's detail view).
 */
const NESTING_MAX = 32;

function nestedDeeperThan(value: unknown, levels: number): boolean {
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 1 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (typeof next.value !== 'object' || next.value === null) {
      continue;
    }
    if (next.depth > levels) {
      return true;
    }
    for (const child of Object.values(next.value)) {
      pending.push({ value: child, depth: next.depth + 1 });
    }
  }
  return false;
}

export function installBodyParsing(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  const parseTolerantly: FastifyBodyParser<string> = (request, body, done) => {
    if (body.trim() === '') {
      done(null, undefined);
      return;
    }
    parseJson(request, body, (error, parsed) => {
      if (error === null && nestedDeeperThan(parsed, NESTING_MAX)) {
        done(
          Object.assign(new Error(`The JSON body is nested deeper than ${NESTING_MAX} levels.`), {
            statusCode: 400,
          }),
          undefined,
        );
        return;
      }
      done(error, parsed);
    });
  };
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, parseTolerantly);
  // The consent flow (bc-authorize, oauth2/token) sends OAuth form bodies. A JSON object sent under the form
  // type is still JSON: no form body starts with `{`.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (request, body: string, done) => {
      if (body.trimStart().startsWith('{')) {
        parseTolerantly(request, body, done);
        return;
      }
      done(null, Object.fromEntries(new URLSearchParams(body)));
    },
  );
  app.addContentTypeParser('*', { parseAs: 'string' }, parseTolerantly);
}
