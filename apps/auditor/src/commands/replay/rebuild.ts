import { claimRecordFrom, type ClaimView, deriveClaimView, EventCodec } from '@app/claims';
import type { EventStore } from '@app/event-store';
import { openSqliteDatabase } from '@app/event-store/sqlite/sqlite-database';
import { ProjectionRunner, SqliteReadModels } from '@app/projections';

/**
 * The heavy half of `replay` (the domain, the projections and what they load), imported only when a
 * replay runs so that every other command starts without it.
 */
export interface ReplayedReadModels {
  /** Claims in opening order, a page at a time; with statedBefore, re-derived from the records. */
  claims(statedBefore: string | undefined): Generator<ClaimView>;
  close(): void;
}

const PAGE = 500;

/**
 * Rebuilds every read model up to `cut` into a new SQLite file with the API's own projection. The
 * runner reads the log in batches and keeps the read models in SQLite, so memory stays flat.
 */
export async function rebuildReadModels(
  store: EventStore,
  dbFile: string,
  cut: bigint,
  onProgress: (position: bigint) => void,
): Promise<ReplayedReadModels> {
  const db = openSqliteDatabase(dbFile);
  try {
    const readModels = new SqliteReadModels(db);
    const codec = new EventCodec();
    const runner = new ProjectionRunner(store, readModels, (stored) => codec.decode(stored));
    await runner.rebuild((at) => onProgress(at.position), cut);
    return { claims: (statedBefore) => claimViews(readModels, statedBefore), close: () => db.close() };
  } catch (error) {
    db.close();
    throw error;
  }
}

function* claimViews(readModels: SqliteReadModels, statedBefore: string | undefined): Generator<ClaimView> {
  let after = 0n;
  for (;;) {
    const rows = readModels.listClaims({ afterOpened: after, limit: PAGE });
    for (const row of rows) {
      if (statedBefore === undefined) yield row.view;
      else {
        const state = readModels.claim(row.view.claimId);
        if (state !== undefined) {
          const record = claimRecordFrom(state, readModels.statementsOfClaim(state.claimId));
          yield deriveClaimView(record, (id) => readModels.source(id), { statedBefore });
        }
      }
    }
    const last = rows.at(-1);
    if (last === undefined || rows.length < PAGE) return;
    after = last.openedPosition;
  }
}
