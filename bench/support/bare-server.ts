/**
 * The machine's HTTP limit: a bare Node server answering a small JSON body, measured under the
 * same wrk as the API (L rows). `node dist/bench/support/bare-server.js <port>`.
 */
import { createServer } from 'node:http';

const body = JSON.stringify({ id: '00000000-0000-4000-8000-000000000000', streamVersion: 1, position: '1' });
createServer((_request, response) => {
  response.writeHead(201, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  response.end(body);
}).listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => process.stdout.write('listening\n'));
