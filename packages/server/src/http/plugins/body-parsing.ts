/**
 * Tolerant body parsing, as real MoMo clients need: `Content-Type: application/json` with an empty body
 * (common on /apikey and /token/), a charset parameter, or no JSON content type at all on a JSON body
 * (`text/plain`, or the form type `curl -d` sends when no header is given).
 */
import type { FastifyBodyParser, FastifyInstance } from 'fastify';

export function installBodyParsing(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  const parseTolerantly: FastifyBodyParser<string> = (request, body, done) => {
    if (body.trim() === '') {
      done(null, undefined);
      return;
    }
    parseJson(request, body, done);
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
