// The ceiling: a bare Fastify route taking the same headers and body as a request to pay and answering 202, or
// a status read's body, with no validation, no auth and no database. Run as its own process by run.ts.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.post('/collection/v1_0/requesttopay', async (request, reply) => {
  if (typeof request.headers['x-reference-id'] !== 'string' || typeof request.body !== 'object') {
    return reply.code(400).send({ code: 'BAD_REQUEST', message: 'bad' });
  }
  return reply.code(202).send();
});
// The body of the server's answer to a status read of the bench's request to pay (run.ts passes it), so both
// write as many bytes.
const STATUS_BODY = JSON.parse(process.env.STATUS_BODY ?? '{"status":"SUCCESSFUL"}');
app.get('/collection/v1_0/requesttopay/:referenceId', async () => STATUS_BODY);
const address = await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
process.stdout.write(`listening ${address}\n`);
