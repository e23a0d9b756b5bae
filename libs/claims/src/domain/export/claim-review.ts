import type { ClaimView } from '../state/claim-view';
import type { StatementView } from '../state/statement-view';
import type { VerdictRating } from '../values';

/**
 * The desk's verdict as a schema.org ClaimReview (JSON-LD), the form fact-check aggregators read.
 * Pure: the caller supplies who publishes it and how sources may be named in public.
 */
export interface ClaimReviewPublisher {
  name: string;
  url?: string;
}

/** How a source may appear in public: its name, or undefined for a protected source. */
export type PublicSourceName = (sourceId: string) => string | undefined;

/**
 * Where a relayed statement's information comes from (the end of its chain of relays, DOMAIN.md
 * rule 3), by statement id; undefined when it is not a relay or the chain is not known.
 */
export type RelayOriginOf = (statementId: string) => string | undefined;

/** 5 = true … 1 = false; `unverifiable` has no place on that scale, so it carries no number. */
const RATING_SCALE: Record<VerdictRating, { value?: number; name: string }> = {
  true: { value: 5, name: 'True' },
  'mostly-true': { value: 4, name: 'Mostly true' },
  mixed: { value: 3, name: 'Mixed' },
  'mostly-false': { value: 2, name: 'Mostly false' },
  false: { value: 1, name: 'False' },
  unverifiable: { name: 'Unverifiable' },
};

export type ClaimReview = Record<string, unknown> & { '@type': 'ClaimReview' };

/**
 * Undefined when the claim has no active verdict: there is nothing to publish. The view is the
 * bounded one; `statements` are the statements the verdict cites (read from the paged history),
 * shown in the verdict's order, any it does not find skipped.
 */
export function toClaimReview(
  view: ClaimView,
  statements: readonly StatementView[],
  publisher: ClaimReviewPublisher,
  publicName: PublicSourceName,
  originOf: RelayOriginOf = () => undefined,
): ClaimReview | undefined {
  const verdict = view.verdict;
  if (!verdict) return undefined;
  const scale = RATING_SCALE[verdict.rating];
  const evidence = verdict.evidence
    .map((id) => statements.find((s) => s.statementId === id))
    .filter((s): s is StatementView => s !== undefined);
  const organization = {
    '@type': 'Organization',
    name: publisher.name,
    ...(publisher.url ? { url: publisher.url } : {}),
  };
  return {
    '@context': 'https://schema.org',
    '@type': 'ClaimReview',
    identifier: verdict.verdictId,
    datePublished: verdict.issuedAt.slice(0, 10),
    claimReviewed: view.proposition.text,
    inLanguage: view.proposition.language,
    author: organization,
    reviewBody: verdict.rationale,
    reviewRating: {
      '@type': 'Rating',
      ...(scale.value === undefined ? {} : { ratingValue: scale.value, bestRating: 5, worstRating: 1 }),
      alternateName: scale.name,
    },
    itemReviewed: {
      '@type': 'Claim',
      appearance: evidence.map((statement) => appearance(statement, publicName, originOf)),
    },
  };
}

/**
 * One statement the verdict rests on, as it appeared; never naming a source the desk may not. A
 * relayed statement's author is the origin of the information and the relayer is the channel it
 * came through (`publisher`), the outlet that carried the relay then its `provider`.
 */
function appearance(
  statement: StatementView,
  publicName: PublicSourceName,
  originOf: RelayOriginOf,
): Record<string, unknown> {
  const named = statement.attribution === 'on-record' ? publicName(statement.sourceId) : undefined;
  const via = statement.via;
  const basis = statement.basis;
  const origin =
    basis === undefined ? undefined : 'sourceId' in basis ? basis.sourceId : originOf(statement.statementId);
  if (origin !== undefined) {
    const originName = publicName(origin);
    return {
      '@type': 'CreativeWork',
      author:
        originName === undefined
          ? { '@type': 'Person', name: 'Unnamed source' }
          : { '@type': 'Thing', name: originName },
      publisher:
        named === undefined
          ? { '@type': 'Person', name: 'Unnamed source' }
          : { '@type': 'Thing', name: named },
      text: statement.quote.text,
      inLanguage: statement.quote.language,
      ...(via?.url ? { url: via.url } : {}),
      ...(via ? { provider: { '@type': 'Organization', name: via.outlet } } : {}),
      ...(via?.reportedAt ? { datePublished: via.reportedAt.slice(0, 10) } : {}),
      ...(statement.retraction ? { creativeWorkStatus: 'Retracted' } : {}),
    };
  }
  return {
    '@type': 'CreativeWork',
    author:
      named === undefined ? { '@type': 'Person', name: 'Unnamed source' } : { '@type': 'Thing', name: named },
    text: statement.quote.text,
    inLanguage: statement.quote.language,
    ...(via?.url ? { url: via.url } : {}),
    ...(via ? { publisher: { '@type': 'Organization', name: via.outlet } } : {}),
    ...(via?.reportedAt ? { datePublished: via.reportedAt.slice(0, 10) } : {}),
    ...(statement.retraction ? { creativeWorkStatus: 'Retracted' } : {}),
  };
}
