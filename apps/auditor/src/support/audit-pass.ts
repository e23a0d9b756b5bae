import { LogVerifier, type LogVerifierOptions, PackedLink, type VerificationReport } from '@app/integrity';
import type { StoredEvent } from '@app/event-store';
import type { CliIo } from './cli-io';
import { type LogSource, readLog } from './log-source';
import { startProgress } from './progress';
import { type HashedPage, type HashedRow, hashedPages, hashingThreads, MATCHED, ODD } from './hashed-pages';
import { hashPage } from './hash-page';
import { LOG_END } from './byte-pages';

/** What a pass shows of each event it reads (a proof needs no more). */
export interface LeafEvent {
  eventId: string;
  streamId: string;
  streamVersion: number;
  position: bigint;
  hash: string;
}

export interface AuditPassOptions {
  json: boolean;
  against?: LogVerifierOptions['against'];
  /** Sees every event read, e.g. to find the one a proof is for. */
  visit?: (event: LeafEvent, ordinal: number) => void;
  label?: string;
  /** Hashing threads for the SQLite fast path; default one per core (0: in this thread). */
  threads?: number;
}

/**
 * Rows per page of the text path. Bounded memory (a page is a few MB of text), and small enough
 * that a page's strings die young instead of being promoted and collected by a full GC.
 */
const TEXT_PAGE = 2_048;

/**
 * One streaming pass over the whole log through the verifier. Every command that signs or proves
 * something runs it first, so the log never vouches for a history that does not verify.
 */
export async function auditPass(
  source: LogSource,
  io: CliIo,
  options: AuditPassOptions,
): Promise<VerificationReport> {
  const verifier = new LogVerifier({ densePositions: source.densePositions, against: options.against });
  const head = await source.store.headPosition();
  const progress = startProgress(io, options.label ?? 'verify', Number(head), options);
  try {
    const threads = source.sqliteFile === undefined ? 0 : hashingThreads(options.threads);
    if (source.sqliteFile !== undefined && threads > 0) {
      const warn = (message: string): void => void io.stderr.write(`audit: ${message}\n`);
      await threadedPass(source, source.sqliteFile, threads, verifier, progress, options, warn);
    } else if (source.hashPages !== undefined || source.textPages !== undefined) {
      await textPass(source, verifier, progress, options);
    } else {
      await parsedPass(source, verifier, progress, options);
    }
  } finally {
    progress.stop();
  }
  return verifier.finish();
}

type Progress = ReturnType<typeof startProgress>;

/** Every event read and parsed by the store: the definition, and the path of stores without text pages. */
async function parsedPass(
  source: LogSource,
  verifier: LogVerifier,
  progress: Progress,
  options: AuditPassOptions,
): Promise<void> {
  let ordinal = 0;
  for await (const event of readLog(source.store)) {
    options.visit?.(leafOf(event), ordinal);
    verifier.accept(event);
    progress.tick();
    ordinal += 1;
    if (verifier.settled) return;
  }
}

/** Where a pass has got to: a pass that gives up hands it to the next one. */
export interface PassState {
  /** Events verified so far (the next event's leaf index). */
  ordinal: number;
  /** The position of the last event verified. */
  after: bigint;
}

/**
 * The fast path: rows as stored, hashed from their text. A row the text path cannot vouch for is
 * read again through the store and verified parsed, so every verdict is the definition's.
 */
async function textPass(
  source: LogSource,
  verifier: LogVerifier,
  progress: Progress,
  options: AuditPassOptions,
  state: PassState = { ordinal: 0, after: 0n },
): Promise<void> {
  const eventIds = options.visit !== undefined;
  for (;;) {
    const page = await readHashedPage(source, state.after, eventIds);
    if (page === undefined || page.count === 0) return;
    if (await verifyPage(source, page, verifier, options, state)) return;
    progress.tick(page.count);
  }
}

/** The next page after `after`: SQLite's bytes path where there is one, else its text rows. */
async function readHashedPage(
  source: LogSource,
  after: bigint,
  eventIds: boolean,
): Promise<HashedPage | undefined> {
  if (source.hashPages !== undefined) return source.hashPages(after, LOG_END, TEXT_PAGE, eventIds);
  if (source.textPages === undefined) return undefined;
  const rows = await source.textPages(after, TEXT_PAGE);
  return hashPage(after, rows, rows.length, eventIds);
}

/**
 * The text path with the hashing spread over worker threads (hashed-pages.ts); same verdicts. If
 * the threads fail (one cannot start, or runs out of its heap on a page of huge events), the pass
 * carries on in this thread from the last page verified rather than failing the audit.
 */
async function threadedPass(
  source: LogSource,
  file: string,
  threads: number,
  verifier: LogVerifier,
  progress: Progress,
  options: AuditPassOptions,
  warn: (message: string) => void,
): Promise<void> {
  const state: PassState = { ordinal: 0, after: 0n };
  const pages = hashedPages(file, threads, () => source.store.headPosition(), {
    eventIds: options.visit !== undefined,
  });
  try {
    for (;;) {
      let page: IteratorResult<HashedPage>;
      try {
        page = await pages.next();
      } catch (error) {
        warn(`hashing threads failed (${(error as Error).message}); carrying on in one thread`);
        return await textPass(source, verifier, progress, options, state);
      }
      if (page.done === true) return;
      if (await verifyPage(source, page.value, verifier, options, state)) return;
      progress.tick(page.value.count);
    }
  } finally {
    await pages.return(undefined);
  }
}

/**
 * One hashed page through the verifier, row by row in position order; true once it has settled.
 * Rows come as columns (one PackedLink serves them all); an ODD row as the text path's tuple.
 */
export async function verifyPage(
  source: LogSource,
  page: HashedPage,
  verifier: LogVerifier,
  options: AuditPassOptions,
  state: PassState,
): Promise<boolean> {
  const link = new PackedLink();
  const bytes = Buffer.from(page.hashes.buffer, page.hashes.byteOffset, page.hashes.byteLength);
  link.bytes = bytes;
  // The first row whose leaf is not pushed yet, while the page's leaves are deferred to its root.
  const root = page.subtreeRoot;
  let deferredFrom = root !== undefined && verifier.canDeferLeaves(page.count) ? 0 : -1;
  const pushDeferred = (to: number): void => {
    for (let j = deferredFrom; j < to; j += 1) verifier.merkle.pushEventHashBytes(bytes, j * 64);
    deferredFrom = -1;
  };
  let odd = 0;
  for (let i = 0; i < page.count; i += 1) {
    let leaf: LeafEvent | undefined;
    let position: bigint;
    let accepted: boolean;
    const kind = page.kinds[i];
    if (deferredFrom >= 0 && kind !== MATCHED) pushDeferred(i);
    if (kind === ODD) {
      const row = page.odd[odd] as HashedRow;
      odd += 1;
      position = positionOfHashed(row);
      leaf = acceptOdd(row, verifier);
      accepted = leaf !== undefined;
    } else {
      position = page.positions[i] as bigint;
      link.position = position;
      link.streamId = page.streamIds[i] as string;
      link.streamVersion = page.versions[i] as number;
      link.recordedAt = page.recordedAts[i] as string;
      link.bytesAt = i * 64;
      if (deferredFrom >= 0) {
        verifier.linkDeferred(link);
        accepted = true;
        if (verifier.settled || verifier.inLookahead) pushDeferred(i + 1);
      } else {
        accepted = verifier.acceptHashed(link, kind === MATCHED);
      }
      if (accepted && options.visit !== undefined) {
        const { streamId, streamVersion } = link;
        const eventId = page.eventIds?.[i] as string;
        leaf = { eventId, streamId, streamVersion, position, hash: link.hash };
      }
    }
    if (!accepted) {
      const event = await readOne(source, position);
      verifier.accept(event);
      leaf = leafOf(event);
    }
    if (options.visit !== undefined && leaf !== undefined) options.visit(leaf, state.ordinal);
    state.ordinal += 1;
    state.after = position;
    if (verifier.settled) return true;
  }
  if (deferredFrom >= 0 && root !== undefined) verifier.merkle.pushSubtree(root, page.count);
  return false;
}

/** An ODD row as the text path takes it; undefined when the definition must read it. */
function acceptOdd(row: HashedRow, verifier: LogVerifier): LeafEvent | undefined {
  if (row.length !== 8) return undefined;
  const [position, eventId, streamId, streamVersion, recordedAt, hash, prevHash, recomputed] = row;
  const link = { position, streamId, streamVersion, recordedAt, hash, prevHash };
  if (!verifier.acceptRecomputed(link, recomputed)) return undefined;
  return { eventId, streamId, streamVersion, position, hash };
}

function positionOfHashed(row: HashedRow): bigint {
  return row[0];
}

async function readOne(source: LogSource, position: bigint): Promise<StoredEvent> {
  const [event] = await source.store.readAll({ after: position - 1n, to: position, limit: 1 });
  if (event === undefined) throw new Error(`position ${position} vanished while it was being verified`);
  return event;
}

function leafOf(event: StoredEvent): LeafEvent {
  return {
    eventId: event.eventId,
    streamId: event.streamId,
    streamVersion: event.streamVersion,
    position: event.position,
    hash: event.metadata.hash,
  };
}

/** How a failed report reads to a person. */
export function describeProblem(report: VerificationReport): string {
  const problem = report.problem;
  if (problem === undefined) return '';
  const where =
    problem.streamId === undefined ? '' : ` (${problem.streamId} version ${problem.streamVersion ?? '?'})`;
  return `${problem.kind} at position ${problem.position}${where}\n  ${problem.detail}\n`;
}
