import type { StatementChanges, StatementFields } from '../claim.events';
import type { ClaimValue, Proposition, Quote, StatedAt, StatementBasis, Via } from '../values';

/**
 * A statement's fields rebuilt in a fixed key order, optional keys omitted rather than undefined:
 * read models are rebuilt byte for byte, and stores hand event data back in whatever key order
 * they like (PostgreSQL jsonb reorders keys). Split out of statement-record.ts.
 */

/** `null` removes an optional field, `undefined` keeps it, anything else replaces it. */
export function applyChanges(current: StatementFields, changes: StatementChanges): StatementFields {
  return canonicalFields({
    stance: changes.stance ?? current.stance,
    value: pick(changes.value, current.value),
    quote: changes.quote ?? current.quote,
    statedAt: changes.statedAt ?? current.statedAt,
    asOf: pick(changes.asOf, current.asOf),
    via: pick(changes.via, current.via),
    attribution: changes.attribution ?? current.attribution,
  });
}

function pick<T>(change: T | null | undefined, current: T | undefined): T | undefined {
  if (change === null) return undefined;
  return change === undefined ? current : change;
}

type LooseFields = Omit<StatementFields, 'value' | 'via' | 'asOf'> & {
  value?: ClaimValue | undefined;
  via?: Via | undefined;
  asOf?: StatedAt | undefined;
};

/** Copies only the statement's own fields (the event also carries ids) in a fixed key order. */
export function canonicalFields(fields: LooseFields): StatementFields {
  return {
    stance: fields.stance,
    ...(fields.value !== undefined && { value: canonicalValue(fields.value) }),
    quote: canonicalQuote(fields.quote),
    statedAt: canonicalStatedAt(fields.statedAt),
    ...(fields.asOf !== undefined && { asOf: canonicalStatedAt(fields.asOf) }),
    ...(fields.via !== undefined && { via: canonicalVia(fields.via) }),
    attribution: fields.attribution,
  };
}

export function canonicalChanges(changes: StatementChanges): StatementChanges {
  return {
    ...(changes.stance !== undefined && { stance: changes.stance }),
    ...(changes.value !== undefined && {
      value: changes.value === null ? null : canonicalValue(changes.value),
    }),
    ...(changes.quote !== undefined && { quote: canonicalQuote(changes.quote) }),
    ...(changes.statedAt !== undefined && { statedAt: canonicalStatedAt(changes.statedAt) }),
    ...(changes.asOf !== undefined && {
      asOf: changes.asOf === null ? null : canonicalStatedAt(changes.asOf),
    }),
    ...(changes.via !== undefined && { via: changes.via === null ? null : canonicalVia(changes.via) }),
    ...(changes.attribution !== undefined && { attribution: changes.attribution }),
  };
}

export function canonicalBasis(basis: StatementBasis): StatementBasis {
  return 'statementId' in basis ? { statementId: basis.statementId } : { sourceId: basis.sourceId };
}

export function canonicalProposition(proposition: Proposition): Proposition {
  return { text: proposition.text, language: proposition.language };
}

function canonicalQuote(quote: Quote): Quote {
  return {
    text: quote.text,
    language: quote.language,
    ...(quote.translatedFrom !== undefined && { translatedFrom: quote.translatedFrom }),
    ...(quote.translation !== undefined && {
      translation: { text: quote.translation.text, language: quote.translation.language },
    }),
  };
}

function canonicalStatedAt(statedAt: StatedAt): StatedAt {
  return { at: statedAt.at, precision: statedAt.precision };
}

function canonicalVia(via: Via): Via {
  return {
    outlet: via.outlet,
    kind: via.kind,
    ...(via.url !== undefined && { url: via.url }),
    ...(via.reportedAt !== undefined && { reportedAt: via.reportedAt }),
  };
}

/** Quantity and date values in their documented key order; anything unexpected is kept as stored. */
function canonicalValue(value: ClaimValue): ClaimValue {
  if (typeof value !== 'object' || value === null) return value;
  if ('exact' in value) return { exact: value.exact };
  if ('approx' in value) return { approx: value.approx };
  if ('min' in value && 'max' in value) return { min: value.min, max: value.max };
  if ('min' in value) return { min: value.min };
  if ('max' in value) return { max: value.max };
  if ('date' in value) {
    return {
      date: value.date,
      precision: value.precision,
      ...(value.timeZone !== undefined && { timeZone: value.timeZone }),
    };
  }
  return value;
}
