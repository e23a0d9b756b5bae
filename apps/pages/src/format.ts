import type { ClaimStatus, ConflictSide, Source, Stance, StatedAt, ValueKind } from './view-types';

/** Contested first: the order of the story page's groups (issue 11). */
export const STATUS_ORDER: ClaimStatus[] = [
  'contested',
  'corroborated',
  'single-source',
  'unconfirmed',
  'retracted',
  'unsourced',
];

/** A word and a symbol for each status, so colour is never the only signal. */
export const STATUS_LABEL: Record<ClaimStatus, { label: string; symbol: string }> = {
  contested: { label: 'Contested', symbol: '⚡' },
  corroborated: { label: 'Corroborated', symbol: '✔' },
  'single-source': { label: 'Single source', symbol: '①' },
  unconfirmed: { label: 'Unconfirmed', symbol: '?' },
  retracted: { label: 'Retracted', symbol: '⊘' },
  unsourced: { label: 'Unsourced', symbol: '∅' },
};

/** Stances: word, symbol and the mark's shape on the claim timeline. */
export const STANCE_LABEL: Record<Stance, { label: string; symbol: string; shape: string }> = {
  affirms: { label: 'affirms', symbol: '●', shape: 'circle' },
  denies: { label: 'denies', symbol: '■', shape: 'square' },
  uncertain: { label: 'uncertain', symbol: '▲', shape: 'triangle' },
  declined: { label: 'declined to say', symbol: '◆', shape: 'diamond' },
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;
const num = (value: unknown): string =>
  typeof value === 'number' ? value.toLocaleString('en') : String(value);

/** A value as an editor reads it: yes/no, 275, 200–300, at least 20, about 3,000, a date. */
export function formatValue(value: unknown, kind: ValueKind, unit?: string | null): string {
  if (value === undefined || value === null) return '';
  if (kind === 'boolean' || typeof value === 'boolean') return value === true ? 'yes' : 'no';
  if (kind === 'quantity' && isObject(value)) {
    const suffix = unit ? ` ${unit}` : '';
    if ('exact' in value) return `${num(value.exact)}${suffix}`;
    if ('approx' in value) return `about ${num(value.approx)}${suffix}`;
    if ('min' in value && 'max' in value) return `${num(value.min)}–${num(value.max)}${suffix}`;
    if ('min' in value) return `at least ${num(value.min)}${suffix}`;
    if ('max' in value) return `at most ${num(value.max)}${suffix}`;
  }
  if (kind === 'date' && isObject(value) && typeof value.date === 'string') {
    const zone = typeof value.timeZone === 'string' ? ` ${value.timeZone}` : '';
    return `${value.date.replace('T', ' ')}${zone}`;
  }
  if (typeof value === 'string') return `“${value}”`;
  return JSON.stringify(value);
}

/** What one side of a conflict says: its value, or "no" for a denial of the whole proposition. */
export function formatSideValue(side: ConflictSide, kind: ValueKind, unit?: string | null): string {
  if (side.value !== undefined && side.value !== null) {
    const value = formatValue(side.value, kind, unit);
    return side.stance === 'denies' && kind !== 'boolean' ? `not ${value}` : value;
  }
  return side.stance === 'denies' ? 'no' : side.stance;
}

/** What one statement says, in a few words: the mark's label on the claim timeline. */
export function formatStance(stance: Stance, value: unknown, kind: ValueKind, unit?: string | null): string {
  const shown = formatValue(value, kind, unit);
  switch (stance) {
    case 'affirms':
      return shown || 'yes';
    case 'denies':
      return shown === '' ? 'no' : kind === 'boolean' ? shown : `not ${shown}`;
    case 'uncertain':
      return shown === '' ? 'uncertain' : `uncertain, leans ${shown}`;
    case 'declined':
      return 'declined';
  }
}

/**
 * The name an editor uses for a source: the acronym a Latin name ends with ("… (SDF)"), else the
 * Latin name, else the name as registered (often Arabic).
 */
export const plural = (count: number, word: string): string =>
  `${count.toLocaleString('en')} ${word}${count === 1 ? '' : 's'}`;

export function shortName(source: Source | undefined, fallback: string): string {
  if (source === undefined) return fallback;
  const latin = source.nameLatin ?? undefined;
  if (latin) return /\(([A-Z][A-Za-z0-9.&-]{1,11})\)\s*$/.exec(latin)?.[1] ?? latin;
  return source.name;
}

export function fullName(source: Source | undefined, fallback: string): string {
  if (source === undefined) return fallback;
  return source.nameLatin ? `${source.nameLatin} — ${source.name}` : source.name;
}

const PRECISION_FORMAT: Record<string, Intl.DateTimeFormatOptions> = {
  year: { year: 'numeric' },
  month: { year: 'numeric', month: 'short' },
  day: { year: 'numeric', month: 'short', day: 'numeric', weekday: 'short' },
};

/**
 * A stated time at its precision. A day (month, year) is stored as its first instant in the zone
 * it was said in (21:00Z the evening before, for Syria's +03:00); twelve hours later is inside the
 * same day for any offset from -12:00 to +12:00, so that instant's UTC date names the day.
 */
export function formatStatedAt(statedAt: StatedAt): string {
  const options = PRECISION_FORMAT[statedAt.precision];
  if (options !== undefined) {
    const inside = new Date(Date.parse(statedAt.at) + 12 * 3_600_000);
    const day = new Intl.DateTimeFormat('en-GB', { ...options, timeZone: 'UTC' }).format(inside);
    return `${day} (${statedAt.precision})`;
  }
  return `${formatUtc(statedAt.at)} (${statedAt.precision})`;
}

export const isStatedAt = (value: unknown): value is StatedAt =>
  isObject(value) && typeof value.at === 'string' && typeof value.precision === 'string';

export const formatUtc = (iso: string): string => `${iso.slice(0, 16).replace('T', ' ')} UTC`;
