import {
  type ClaimEvent,
  type ClaimReadState,
  type ClaimReadStep,
  type EventCodec,
  evolveClaimReadState,
  type RecordedClaimEvent,
} from '@app/claims';
import type { StoredEvent } from '@app/event-store';
import type { StoredSnapshot } from '../sqlite/sqlite-statement-rows';
import { HistoricalStatements, type StatementRows } from './historical-statements';

/** A stored claim event as the folds take it: decoded, with its place in the log. */
export function recordedClaimEvent(codec: EventCodec, event: StoredEvent): RecordedClaimEvent {
  return {
    event: codec.decode(event) as ClaimEvent,
    position: event.position.toString(),
    recordedAt: event.metadata.recordedAt,
    streamVersion: event.streamVersion,
  };
}

/**
 * A claim's incremental state folded from a snapshot (none: from its first event) over the events
 * after it, the statements reported before the snapshot read from the statement rows as they stood
 * then (HistoricalStatements): what a cut read (HistoricalClaims) and a timeline page
 * (ClaimTimeline) both fold. `visit` sees each step, in order, with the event's index.
 */
export async function foldClaimSince(
  rows: StatementRows,
  claimId: string,
  snapshot: StoredSnapshot | undefined,
  events: readonly RecordedClaimEvent[],
  visit?: (step: ClaimReadStep, index: number) => Promise<void>,
): Promise<ClaimReadState | undefined> {
  const statements = new HistoricalStatements(rows, claimId, snapshot?.position);
  // The fold mutates the state's top level in place (its nested records it replaces, never writes
  // into): a copy of that level keeps the snapshot's state, which readers share, as it was (0041).
  let state = snapshot === undefined ? undefined : { ...snapshot.state };
  for (const [index, recorded] of events.entries()) {
    await statements.prepare(recorded.event);
    const step = evolveClaimReadState(state, recorded, statements);
    state = step.state;
    if (step.statement) statements.remember(step.statement);
    for (const absorbed of step.absorbed ?? []) statements.remember(absorbed);
    if (visit) await visit(step, index);
  }
  return state;
}
