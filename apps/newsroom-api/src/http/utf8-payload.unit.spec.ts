import Fastify from 'fastify';
import { installUtf8Payloads } from './utf8-payload';

describe('installUtf8Payloads', () => {
  const quote = 'قال المتحدث إن العدد تجاوز المئة';
  const app = Fastify();
  installUtf8Payloads(app);
  app.get('/big', () => ({ quotes: Array.from({ length: 200 }, (_, i) => `${i} ${quote}`) }));
  app.get('/small', () => ({ quote }));
  app.get('/text', (_request, reply) => reply.type('text/plain; charset=utf-8').send(quote.repeat(100)));
  afterAll(() => app.close());

  it.each(['/big', '/small'])('answers %s with the same JSON, its length in UTF-8 bytes', async (url) => {
    const response = await app.inject({ method: 'GET', url });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(Number(response.headers['content-length'])).toBe(response.rawPayload.length);
    const body = response.json<{ quotes?: string[]; quote?: string }>();
    expect(body.quotes?.[199] ?? body.quote).toBe(url === '/big' ? `199 ${quote}` : quote);
  });

  it('keeps the content type a handler chose', async () => {
    const response = await app.inject({ method: 'GET', url: '/text' });
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(response.body).toBe(quote.repeat(100));
  });
});
