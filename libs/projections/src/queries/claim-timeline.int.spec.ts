import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ClaimEvent,
  claimReadStateStatus,
  EventCodec,
  type RecordedClaimEvent,
  type TimelineEntry,
  timelineEntry,
} from '@app/claims';
import { type Database, openSqliteDatabase, type SqliteEventStore } from '@app/event-store';
import { projectEvent } from '../newsroom.projection';
import { ProjectionRunner } from '../runner/projection-runner';
import { demoLog } from '../runner/testing/demo-log';
import { SqliteReadModels } from '../sqlite/sqlite-read-models';
import { MapReadModel } from '../testing/map-read-model';
import { ClaimTimeline } from './claim-timeline';

/**
 * What a stored timeline held (PROJECTION_VERSION 9 and before): the projection applied event by
 * event, each claim event's entry made right after it from the claim's state, the statement it
 * touched and the status by the rules with the sources as they stood then.
 */
async function storedTimelines(store: SqliteEventStore): Promise<Map<string, TimelineEntry[]>> {
  const codec = new EventCodec();
  const rm = new MapReadModel();
  const timelines = new Map<string, TimelineEntry[]>();
  for (const stored of await store.readAll({ after: 0n, limit: 1_000_000 })) {
    const event = codec.decode(stored) as ClaimEvent;
    const projectable = {
      event,
      position: stored.position,
      recordedAt: stored.metadata.recordedAt,
      streamVersion: stored.streamVersion,
    };
    rm.apply(projectEvent(rm, projectable));
    if (!('claimId' in event.data) || stored.streamId.startsWith('source-')) continue;
    const claimId = event.data.claimId;
    const state = rm.claim(claimId)!;
    const statementId = 'statementId' in event.data ? event.data.statementId : undefined;
    const statement = statementId === undefined ? undefined : rm.statement(claimId, statementId);
    const recorded: RecordedClaimEvent = { ...projectable, position: stored.position.toString() };
    const entry = timelineEntry(
      recorded,
      { ...state, ...(statement && { statement }) },
      claimReadStateStatus(state, rm.source),
    );
    timelines.set(claimId, [...(timelines.get(claimId) ?? []), JSON.parse(JSON.stringify(entry))]);
  }
  return timelines;
}

describe('a claim timeline answered from the log', () => {
  let dir: string;
  let db: Database;
  let store: SqliteEventStore;
  let timeline: ClaimTimeline;
  let expected: Map<string, TimelineEntry[]>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'newsroom-timeline-'));
    db = openSqliteDatabase(join(dir, 'newsroom.db'));
    // Corrections, retractions and affiliation changes between the busy claim's statements, and
    // snapshots of its state for pages to start from.
    store = await demoLog(db, { busyClaimStatements: 160, churn: true });
    const codec = new EventCodec();
    const readModels = new SqliteReadModels(db);
    await new ProjectionRunner(store, readModels, (e) => codec.decode(e)).catchUp();
    timeline = new ClaimTimeline(store, codec, readModels);
    expected = await storedTimelines(store);
  }, 120_000);
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('equals what the projection stored, entry for entry, for every claim', async () => {
    expect(expected.size).toBeGreaterThan(5);
    for (const [claimId, entries] of expected) {
      expect(JSON.parse(JSON.stringify(await timeline.page(claimId, 0n)))).toEqual(entries);
    }
  });

  it('pages from any cursor with any limit, as the stored rows paged', async () => {
    const [busy, entries] = [...expected].sort((a, b) => b[1].length - a[1].length)[0]!;
    expect(entries.length).toBeGreaterThan(160);
    for (let i = 0; i < entries.length; i += 7) {
      const after = BigInt(entries[i]!.position);
      const page = await timeline.page(busy, after, 5);
      expect(JSON.parse(JSON.stringify(page))).toEqual(entries.slice(i + 1, i + 6));
    }
    expect(await timeline.page(busy, BigInt(entries.at(-1)!.position))).toEqual([]);
  });

  it('answers nothing for a claim that has no events', async () => {
    expect(await timeline.page('00000000-0000-4000-8000-000000000000', 0n)).toEqual([]);
  });
});
