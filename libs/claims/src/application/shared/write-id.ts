import type { ClaimEvent } from '../../domain/claim.events';
import type { SourceEvent } from '../../domain/source.events';
import type { DomainEvent } from './decider';

/** The id a write answers with, read back from the event it appended (for idempotency recovery). */
export function writeIdOf(event: DomainEvent): string {
  const known = event as ClaimEvent | SourceEvent;
  switch (known.type) {
    case 'SourceRegistered':
    case 'SourceAmended':
    case 'SourceIdentityShredded':
      return known.data.sourceId;
    case 'ClaimOpened':
    case 'ClaimReworded':
    case 'ClaimsMerged':
      return known.data.claimId;
    case 'ClaimAbsorbed':
      return known.data.mergedClaimId;
    case 'StatementReported':
    case 'StatementCorrected':
    case 'StatementRetracted':
      return known.data.statementId;
    case 'VerdictIssued':
    case 'VerdictWithdrawn':
      return known.data.verdictId;
    default: {
      const _exhaustive: never = known;
      throw new Error(`no write id for event ${JSON.stringify(_exhaustive)}`);
    }
  }
}
