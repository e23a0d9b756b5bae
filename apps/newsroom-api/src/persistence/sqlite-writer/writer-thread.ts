import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { AppendResult, ExpectedVersion, NewEvent } from '@app/event-store';
import { MessageOutbox, unbatch } from './message-outbox';
import {
  type FromWriter,
  fromWire,
  type IdempotencyCall,
  type ToWriter,
  type WriterStart,
} from './writer-protocol';

export interface WriterEvents {
  appended(head: bigint): void;
  projected(position: bigint): void;
  log(level: 'warn' | 'error', message: string): void;
}

/**
 * The main thread's end of the SQLite writer thread (writer.worker.ts): starts it, sends appends
 * and answers each from its reply, and hands commits and projected positions to `events`.
 */
export class WriterThread {
  private readonly worker: Worker;
  /** Appends and idempotency calls sent and not yet answered, by id. */
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(e: Error): void }>();
  private nextId = 1;
  private exited = false;
  private readonly started: Promise<bigint>;
  private readonly closed: Promise<void>;
  /** The appends of every request read in one poll of the loop cross as one message. */
  private readonly outbox = new MessageOutbox<ToWriter>(
    (batch) => this.worker.postMessage(batch),
    (flush) => setImmediate(flush),
  );

  constructor(path: string, events: WriterEvents) {
    this.worker = spawnWriter({ path });
    // The HTTP server keeps a running app alive; a start that failed half-way must not hang on it.
    this.worker.unref();
    let ready!: (projected: bigint) => void;
    let failed!: (error: Error) => void;
    this.started = new Promise<bigint>((resolve, reject) => {
      ready = resolve;
      failed = reject;
    });
    this.worker.on(
      'message',
      unbatch((message: FromWriter) => {
        switch (message.kind) {
          case 'ready':
            return ready(message.projected);
          case 'failed-to-start':
            return failed(fromWire(message.error));
          case 'appended':
            return events.appended(message.head);
          case 'projected':
            return events.projected(message.position);
          case 'append-done':
            return this.settle(message.id)?.resolve(message.result);
          case 'append-failed':
            return this.settle(message.id)?.reject(fromWire(message.error));
          case 'call-done':
            return this.settle(message.id)?.resolve(message.value);
          case 'call-failed':
            return this.settle(message.id)?.reject(fromWire(message.error));
          case 'log':
            return events.log(message.level, message.message);
          case 'closed':
            return;
        }
      }),
    );
    this.worker.on('error', (error) => {
      events.log('error', `SQLite writer thread failed: ${error.stack ?? error.message}`);
      failed(error);
    });
    this.closed = new Promise<void>((resolve) =>
      this.worker.once('exit', () => {
        this.exited = true;
        // An append (or key) still unanswered may or may not have committed: say so, never "it failed".
        for (const [id, waiter] of this.pending) {
          this.pending.delete(id);
          waiter.reject(
            new Error('the SQLite writer thread stopped before answering: the append may have been recorded'),
          );
        }
        failed(new Error('the SQLite writer thread stopped while starting'));
        resolve();
      }),
    );
  }

  /** Resolves with the projected position once the file is open and the read models current. */
  ready(): Promise<bigint> {
    return this.started;
  }

  append(streamId: string, events: readonly NewEvent[], expected: ExpectedVersion): Promise<AppendResult> {
    return this.request<AppendResult>((id) => ({ kind: 'append', id, streamId, events, expected }));
  }

  /** Runs an IdempotencyStore method on the writer's connection; resolves with what it answered. */
  idempotency<T>(call: IdempotencyCall): Promise<T> {
    return this.request<T>((id) => ({ kind: 'idempotency', id, call }));
  }

  private request<T>(message: (id: number) => ToWriter): Promise<T> {
    if (this.exited) return Promise.reject(new Error('the SQLite writer thread has stopped'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.send(message(id));
    });
  }

  catchUp(): void {
    if (!this.exited) this.send({ kind: 'catch-up' });
  }

  /** Accepted appends are written and projected first; resolves when the thread has exited. */
  async close(): Promise<void> {
    if (!this.exited) {
      // Held again: the process must not exit before the accepted appends are written.
      this.worker.ref();
      this.send({ kind: 'close' });
      this.outbox.flush();
    }
    await this.closed;
  }

  private send(message: ToWriter): void {
    this.outbox.push(message);
  }

  private settle(id: number) {
    const waiter = this.pending.get(id);
    this.pending.delete(id);
    return waiter;
  }
}

/**
 * The built worker is writer.worker.js beside this file. Under Jest the sources are TypeScript, so
 * the thread compiles them itself with SWC (Jest's transformer), resolving the `@app/*` aliases.
 */
function spawnWriter(start: WriterStart): Worker {
  const built = join(__dirname, 'writer.worker.js');
  if (existsSync(built)) return new Worker(built, { workerData: start });
  const source = join(__dirname, 'writer.worker.ts');
  return new Worker(TS_BOOTSTRAP, { eval: true, workerData: { ...start, source, root: ROOT_OF_SOURCES } });
}

const ROOT_OF_SOURCES = join(__dirname, '..', '..', '..', '..', '..');

/** Test runs only (no writer.worker.js): a require hook for .ts files and the tsconfig aliases. */
const TS_BOOTSTRAP = `
const Module = require('node:module');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { workerData } = require('node:worker_threads');
const { transformSync } = require('@swc/core');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const alias = /^@app\\/([^/]+)(\\/.*)?$/.exec(request);
  if (alias) request = join(workerData.root, 'libs', alias[1], 'src', alias[2] ?? '');
  return resolve.call(this, request, ...rest);
};
Module._extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
require(workerData.source);
`;
