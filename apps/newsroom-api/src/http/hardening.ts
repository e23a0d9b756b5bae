import { STATUS_CODES, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type {
  FastifyError,
  FastifyHttpOptions,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
} from 'fastify';
import type { HttpLimits } from '@app/platform';
import { checkUrlText } from './json-body';
import { type Problem, type ProblemError, problemType } from './problem';

/**
 * The HTTP server's defences against clients that are slow or many (docs/security.md, "Limits and
 * timeouts"), and problem details for what Node and Fastify refuse before Nest sees a request.
 */

/** Fastify options: timeouts, and problem details for a malformed URL or request. */
export function hardenedServerOptions(limits: HttpLimits): Partial<FastifyHttpOptions<Server>> {
  return {
    // Node checks the header and request timeouts on a timer; its 30 s default would let a slow
    // client overstay a short timeout by that much.
    http: {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      connectionsCheckingInterval: checkingInterval(limits),
    },
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionTimeout: limits.idleTimeoutMs,
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const status = error.statusCode !== undefined && error.statusCode < 500 ? error.statusCode : 400;
      const code = error.code === 'FST_ERR_BAD_URL' ? 'INVALID_URL' : 'INVALID_REQUEST';
      void reply
        .status(status)
        .header('content-type', 'application/problem+json')
        .send(problemOf(status, code, error.message));
    },
    clientErrorHandler: onClientError,
  };
}

function checkingInterval(limits: HttpLimits): number {
  const shortest = Math.min(
    limits.headersTimeoutMs,
    limits.requestTimeoutMs > 0 ? limits.requestTimeoutMs : Number.POSITIVE_INFINITY,
  );
  return Math.max(50, Math.min(1000, Math.floor(shortest / 4)));
}

/**
 * What Node's parser refuses (a malformed request, headers too large, a request that did not
 * arrive in time) is answered as problem details on the raw socket, which is then closed.
 */
function onClientError(this: FastifyInstance, error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, detail] =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'REQUEST_TIMEOUT', 'the request did not arrive in time; the connection is closed']
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'HEADERS_TOO_LARGE', 'the request headers are too large']
        : [400, 'MALFORMED_REQUEST', 'the request is not valid HTTP'];
  this.log.debug({ code: error.code }, 'client error');
  if (socket.writable) {
    const body = JSON.stringify(problemOf(status, code, detail));
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

function problemOf(status: number, code: string, detail: string): Problem {
  return { type: problemType(code), title: STATUS_CODES[status] ?? 'Error', status, detail, code };
}

/**
 * Caps on open connections, overall (Node's own `maxConnections`) and per client address. A
 * connection beyond a cap is closed as soon as it is accepted, before a byte of it is read: no
 * request on it runs. Behind a proxy every client has the proxy's address; raise or switch off
 * (0) the per-address cap there.
 */
export function capConnections(
  server: Server,
  limits: HttpLimits,
  onRefused: (reason: string) => void,
): void {
  if (limits.maxConnections > 0) {
    server.maxConnections = limits.maxConnections;
    server.on('drop', () => onRefused('overall'));
  }
  if (limits.maxConnectionsPerAddress === 0) return;
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const count = open.get(address) ?? 0;
    if (count >= limits.maxConnectionsPerAddress) {
      onRefused('per-address');
      socket.destroy();
      return;
    }
    open.set(address, count + 1);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left === 0) open.delete(address);
      else open.set(address, left);
    });
  });
}

/**
 * Path parameters and query values reach SQL as text: NUL and lone surrogates are refused there by
 * PostgreSQL (a 500), and mean nothing anywhere. Refused here as 400 for every route.
 */
export function installUrlTextCheck(instance: FastifyInstance): void {
  instance.addHook('preValidation', (request, _reply, done) => {
    try {
      for (const [where, values] of [
        ['path', request.params],
        ['query', request.query],
      ] as const) {
        for (const [name, value] of Object.entries((values ?? {}) as Record<string, unknown>)) {
          for (const text of Array.isArray(value) ? value : [value]) {
            if (typeof text === 'string') checkUrlText(text, `${where} ${name}`);
          }
        }
      }
      done();
    } catch (error) {
      done(error as ProblemError & Error);
    }
  });
}
