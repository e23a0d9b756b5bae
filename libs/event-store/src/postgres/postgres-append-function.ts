/**
 * The SQL of event-store migration 3: `append_events`, a group commit in ONE round trip
 * (docs/decisions/0024). Shipped: never edit it; a change is a new migration that replaces the
 * function (`CREATE OR REPLACE FUNCTION`).
 *
 * The client plans the batch in memory (hashes, versions, outcomes: core/batch-plan) against what
 * it ASSUMES the log holds: a tip (version and hash) for every stream of the batch, which of the
 * batch's ids are not stored, and a `recordedAt` no earlier than the last recorded event. The
 * function, called outside any explicit transaction so that its implicit transaction commits in
 * the same round trip:
 *
 * 1. takes the log-wide append lock (`pg_advisory_xact_lock`, the same key as every other writer,
 *    in a statement of its own: each later statement of a VOLATILE function takes a fresh snapshot
 *    in READ COMMITTED, so it sees every commit made before the lock was granted);
 * 2. checks every assumption under the lock: each tip, each id, the last `recorded_at`;
 * 3. if one is wrong, writes nothing and returns what the log really holds, as the `batchBase`
 *    rows ('id' / 'tip' / 'head'): the client plans again from that and calls again;
 * 4. else inserts the rows at `head + 1, head + 2, ...` in the order given (positions dense and in
 *    commit order, as before: the lock is released only once the commit is visible), queues the
 *    NOTIFY, and returns one 'ok' row carrying the head before the batch.
 *
 * The outcome of every append therefore equals what planning against the base read under the lock
 * would give (the four-round-trip path, still used for imports and as the fallback): the base the
 * plan used is exactly the one under the lock, in everything the plan depends on (the head only
 * offsets positions, which the function assigns).
 */
export function appendEventsFunction(s: string): string {
  const events = `${s}.events`;
  return `
    CREATE FUNCTION ${s}.append_events(
      p_lock bigint,
      p_tip_streams text[], p_tip_versions integer[], p_tip_hashes text[],
      p_new_ids text[],
      p_recorded_at text,
      p_event_ids text[], p_stream_ids text[], p_stream_versions integer[], p_types text[],
      p_schema_versions integer[], p_data json[], p_metadata json[], p_hashes text[],
      p_prev_hashes text[], p_recorded_ats text[],
      p_channel text
    ) RETURNS TABLE (o_kind text, o_key text, o_version integer, o_value text)
    LANGUAGE plpgsql VOLATILE
    -- The plans do not depend on the arrays' contents; re-planning them per call cost ~0.15 ms.
    SET plan_cache_mode = force_generic_plan
    AS $fn$
    DECLARE
      v_head bigint;
      v_last text;
    BEGIN
      PERFORM pg_advisory_xact_lock(p_lock);
      SELECT e.position, e.recorded_at INTO v_head, v_last
        FROM ${events} AS e ORDER BY e.position DESC LIMIT 1;
      v_head := COALESCE(v_head, 0);
      IF (v_last IS NOT NULL AND p_recorded_at COLLATE "C" < v_last COLLATE "C")
        OR EXISTS (
          SELECT 1 FROM unnest(p_tip_streams, p_tip_versions, p_tip_hashes) AS a(id, v, h)
            LEFT JOIN LATERAL (SELECT e.stream_version, e.hash FROM ${events} AS e
              WHERE e.stream_id = a.id ORDER BY e.stream_version DESC LIMIT 1) AS t ON true
           WHERE COALESCE(t.stream_version, 0) <> a.v OR (a.v > 0 AND t.hash IS DISTINCT FROM a.h))
        OR EXISTS (
          SELECT 1 FROM unnest(p_new_ids) AS b(id)
           WHERE EXISTS (SELECT 1 FROM ${events} AS e WHERE e.event_id = b.id))
      THEN
        RETURN QUERY
          SELECT 'id'::text, b.id, NULL::integer, NULL::text
            FROM unnest(p_new_ids) AS b(id)
           WHERE EXISTS (SELECT 1 FROM ${events} AS e WHERE e.event_id = b.id)
          UNION ALL
          SELECT 'tip', a.id, t.stream_version, t.hash
            FROM unnest(p_tip_streams) AS a(id)
            CROSS JOIN LATERAL (SELECT e.stream_version, e.hash FROM ${events} AS e
              WHERE e.stream_id = a.id ORDER BY e.stream_version DESC LIMIT 1) AS t
          UNION ALL
          SELECT 'head', v_head::text, NULL, v_last
           WHERE v_last IS NOT NULL;
        RETURN;
      END IF;
      INSERT INTO ${events}
          (position, event_id, stream_id, stream_version, type, schema_version, data, metadata, hash, prev_hash, recorded_at)
        SELECT v_head + r.n, r.event_id, r.stream_id, r.stream_version, r.type, r.schema_version, r.data,
               r.metadata, r.hash, r.prev_hash, r.recorded_at
          FROM unnest(p_event_ids, p_stream_ids, p_stream_versions, p_types, p_schema_versions, p_data,
                      p_metadata, p_hashes, p_prev_hashes, p_recorded_ats)
               WITH ORDINALITY AS r(event_id, stream_id, stream_version, type, schema_version, data,
                                    metadata, hash, prev_hash, recorded_at, n);
      IF p_channel IS NOT NULL AND cardinality(p_event_ids) > 0 THEN
        PERFORM pg_notify(p_channel, (v_head + cardinality(p_event_ids))::text);
      END IF;
      RETURN QUERY SELECT 'ok'::text, v_head::text, NULL::integer, NULL::text;
    END
    $fn$;
  `;
}
