/** The JSON shapes the pages read: the parts of API.md's views they draw, nothing more. */
export type Stance = 'affirms' | 'denies' | 'uncertain' | 'declined';
export type ClaimStatus =
  'contested' | 'corroborated' | 'single-source' | 'unconfirmed' | 'retracted' | 'unsourced';
export type ValueKind = 'boolean' | 'quantity' | 'date' | 'text';

export interface Text {
  text: string;
  language: string;
  translation?: { text: string; language: string };
  translatedFrom?: string;
}
export interface StatedAt {
  at: string;
  precision: string;
}
export interface VoiceRef {
  voice: string;
  voiceName?: string;
  sourceId: string;
  statementId: string;
  stance?: Stance;
}
export interface ConflictSide {
  stance: Stance;
  value?: unknown;
  voices: VoiceRef[];
}
export interface Conflict {
  a: ConflictSide;
  b: ConflictSide;
  reason: string;
}
export interface Verdict {
  verdictId: string;
  rating: string;
  rationale: string;
  evidence: string[];
}
export interface VoicePosition extends VoiceRef {
  value?: unknown;
}
export interface ValueGroup {
  value: unknown;
  asOf?: unknown;
  voices: string[];
}
export interface ClaimCommon {
  claimId: string;
  storyId: string;
  proposition: Text;
  valueKind: ValueKind;
  unit?: string | null;
  status: ClaimStatus;
  agreedValue?: unknown;
  voices: VoicePosition[];
  /** A varying claim: its figures describe moments (`asOf`), and conflict only at the same moment. */
  varies?: true;
  values: ValueGroup[];
  /** Varying claims: the figure of the latest moment. */
  latestFigure?: ValueGroup | null;
  conflicts: Conflict[];
  verdict: Verdict | null;
  mergedInto?: string | null;
  position: string;
}
export interface ClaimSummary extends ClaimCommon {
  statementCount: number;
}
export interface Position {
  sourceId: string;
  sourceName?: string;
  voice: string;
  voiceName?: string;
  stance: Stance;
  value?: unknown;
  statementId: string;
  statedAt: StatedAt;
  basis?: StatementFields['basis'];
  relay?: { sourceId: string; statementIds: string[]; retracted: boolean };
}
export interface ClaimView extends ClaimCommon {
  positions: Position[];
  cut?: { asOfPosition?: string; statedBefore?: string; asOf?: string };
}
export interface Page<T> {
  items: T[];
  nextCursor?: string | null;
}
export interface StatementFields {
  sourceId: string;
  stance: Stance;
  value?: unknown;
  asOf?: unknown;
  basis?: { sourceId: string } | { statementId: string } | null;
  quote: Text;
  statedAt: StatedAt;
  via?: { outlet: string; kind: string; url?: string };
  attribution: string;
  live?: boolean;
}
export interface TimelineEntry {
  position: string;
  recordedAt: string;
  type: string;
  statementId?: string;
  statement?: StatementFields;
  reason?: unknown;
  faultOf?: string;
  statusAfter: ClaimStatus;
}
export interface Timeline {
  entries: TimelineEntry[];
  nextCursor?: string | null;
}
export interface Source {
  sourceId: string;
  name: string;
  nameLatin?: string | null;
  kind: string;
  voice?: string;
}
