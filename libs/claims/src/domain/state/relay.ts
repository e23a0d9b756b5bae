import type { StatementBasis } from '../values';
import { isLive, type StatementRecord } from './statement-record';

/**
 * DOMAIN.md rule 3, relayed statements: a statement with a `basis` counts as a statement of the
 * voice it relays, never as a voice of its own, so an outlet repeating an official or one
 * government relaying another's findings adds no line of evidence.
 *
 * Where a relay leads is fixed when it is reported, except for one thing: a relayed statement may
 * be retracted later. A relay of a retracted statement (directly or down a chain) rests on
 * nothing, so it counts for nothing: it is shown among the positions, but no voice stands behind
 * it (decision 0019).
 */

/** Where a relay leads: the origin source, the statements relayed on the way, and whether one is retracted. */
export interface RelayOrigin {
  /** The source whose information it is: the basis source, or the end of a chain of statements. */
  sourceId: string;
  /** The statements relayed, nearest first (A relays B relays C: [B, C]); empty for a source basis. */
  statementIds: string[];
  /** A statement on the way was retracted: the relay rests on nothing. */
  retracted: boolean;
}

/**
 * Follows the basis down to the source whose information it is. An unknown statement (only a
 * corrupt stream would name one; the decider refuses it) or a loop ends the chain: the relay then
 * leads nowhere and counts for nothing, rather than as a voice it cannot be.
 */
export function relayOrigin(
  basis: StatementBasis | undefined,
  statementOf: (statementId: string) => StatementRecord | undefined,
): RelayOrigin | undefined {
  if (basis === undefined) return undefined;
  if (!('statementId' in basis)) return { sourceId: basis.sourceId, statementIds: [], retracted: false };
  const statementIds: string[] = [];
  let retracted = false;
  let next: string = basis.statementId;
  for (;;) {
    const relayed = statementIds.includes(next) ? undefined : statementOf(next);
    if (relayed === undefined)
      return { sourceId: next, statementIds: [...statementIds, next], retracted: true };
    statementIds.push(next);
    if (!isLive(relayed)) retracted = true;
    if (relayed.basis === undefined) return { sourceId: relayed.sourceId, statementIds, retracted };
    if (!('statementId' in relayed.basis))
      return { sourceId: relayed.basis.sourceId, statementIds, retracted };
    next = relayed.basis.statementId;
  }
}

/** The origin source of a relay whose chain is read asynchronously (the ClaimReview export). */
export async function relayOriginLoaded(
  statement: StatementRecord,
  load: (statementId: string) => StatementRecord | undefined | Promise<StatementRecord | undefined>,
): Promise<string | undefined> {
  const chain = new Map<string, StatementRecord>();
  let basis = statement.basis;
  while (basis !== undefined && 'statementId' in basis && !chain.has(basis.statementId)) {
    const relayed = await load(basis.statementId);
    // A chain that names a statement we cannot read has no origin to name.
    if (relayed === undefined) return undefined;
    chain.set(relayed.statementId, relayed);
    basis = relayed.basis;
  }
  return relayOrigin(statement.basis, (id) => chain.get(id))?.sourceId;
}

/**
 * DOMAIN.md rule 1 per line: a source's position is its latest live statement among those on the
 * same basis. An outlet that relays the SDF and also speaks for itself holds two positions, one
 * counted with the SDF's voice and one with its own.
 */
export function slotOf(statement: { sourceId: string; basis?: StatementBasis }): string {
  const { basis } = statement;
  if (basis === undefined) return statement.sourceId;
  return 'statementId' in basis
    ? `${statement.sourceId}\u0000statement\u0000${basis.statementId}`
    : `${statement.sourceId}\u0000source\u0000${basis.sourceId}`;
}
