import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ATTRIBUTIONS,
  DATE_PRECISIONS,
  RETRACTION_REASONS,
  SOURCE_KINDS,
  STANCES,
  STATED_PRECISIONS,
  VALUE_KINDS,
  VERDICT_RATINGS,
  VIA_KINDS,
  type ClaimValue,
  type DateValue,
  type QuantityValue,
  type SourceKind,
  type StatedAt,
  type ValueKind,
} from '../domain/values';
import {
  CLM,
  RAQQA_DEMO,
  RAQQA_STORY_ID,
  SRC,
  STM,
  VRD,
  type DemoStep,
  type OpenClaimBody,
  type RegisterSourceBody,
  type ReportStatementBody,
} from './raqqa.fixture';

const SEED_PATH = join(__dirname, 'seed', 'raqqa-2017-10-15.ar.txt');
/** sha256 of /work/shared/seed/raqqa-2017-10-15.ar.txt: the copy must stay byte-for-byte. */
const SEED_SHA256 = '823075ab8c393dbd2f9eefe1eabebfc67771d6f6d0d90a03bbac055ccf0e0072';
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const UTC_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/;

const seedBytes = readFileSync(SEED_PATH);
const seed = seedBytes.toString('utf8');
const squash = (text: string): string => text.replace(/\s+/gu, ' ').trim();

type Step<O extends DemoStep['op']> = Extract<DemoStep, { op: O }>;
const stepsOf = <O extends DemoStep['op']>(op: O, steps: readonly DemoStep[] = RAQQA_DEMO): Step<O>[] =>
  steps.filter((step): step is Step<O> => step.op === op);

const sources = new Map(stepsOf('registerSource').map((s) => [s.body.sourceId, s.body]));
const claims = new Map(stepsOf('openClaim').map((s) => [s.body.claimId, s.body]));

// ---------------------------------------------------------------- a small model of DOMAIN.md's derivation

function kindOf(value: ClaimValue): ValueKind | undefined {
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'string') return value.trim() === '' ? undefined : 'text';
  if ('date' in value) {
    const spelled = value.date.length === 10 ? 'day' : value.date.length === 7 ? 'month' : 'year';
    const ok = /^\d{4}(-\d{2}(-\d{2})?)?$/.test(value.date) && spelled === value.precision;
    return ok && DATE_PRECISIONS.includes(value.precision) ? 'date' : undefined;
  }
  const keys = Object.keys(value).sort().join(',');
  const numbers = Object.values(value as Record<string, unknown>).every(
    (n) => typeof n === 'number' && Number.isFinite(n) && n >= 0,
  );
  if (!numbers) return undefined;
  if (keys === 'exact' || keys === 'approx') return 'quantity';
  if (keys === 'max,min') {
    const range = value as { min: number; max: number };
    return range.min <= range.max ? 'quantity' : undefined;
  }
  return undefined;
}

function interval(q: QuantityValue): [number, number] {
  if ('exact' in q) return [q.exact, q.exact];
  if ('approx' in q) return [0.9 * q.approx, 1.1 * q.approx];
  return 'min' in q && 'max' in q ? [q.min, q.max] : [Number.NaN, Number.NaN];
}

function compatible(a: ClaimValue, b: ClaimValue): boolean {
  if (typeof a === 'boolean' || typeof b === 'boolean') return a === b;
  if (typeof a === 'string' || typeof b === 'string') {
    return (
      typeof a === 'string' &&
      typeof b === 'string' &&
      a.normalize('NFC').toLowerCase() === b.normalize('NFC').toLowerCase()
    );
  }
  if ('date' in a || 'date' in b) {
    const [x, y] = [a as DateValue, b as DateValue];
    const len = Math.min(x.date.length, y.date.length);
    return x.date.slice(0, len) === y.date.slice(0, len);
  }
  const [[a0, a1], [b0, b1]] = [interval(a), interval(b)];
  return a0 <= b1 && b0 <= a1;
}

interface Live {
  body: ReportStatementBody;
  order: number;
}

/** Status of a claim after `steps`, counting only statements stated before `statedBefore` if given. */
function statusOf(claimId: string, steps: readonly DemoStep[], statedBefore?: string): string {
  const kind = claims.get(claimId)!.valueKind;
  const statements = new Map<string, Live>();
  const retracted = new Set<string>();
  steps.forEach((step, order) => {
    if (step.op === 'reportStatement' && step.claimId === claimId) {
      statements.set(step.body.statementId, { body: { ...step.body }, order });
    } else if (step.op === 'correctStatement' && step.claimId === claimId) {
      const live = statements.get(step.statementId)!;
      const patched: Record<string, unknown> = { ...live.body };
      for (const [key, value] of Object.entries(step.body.changes)) {
        if (value === null) delete patched[key];
        else if (value !== undefined) patched[key] = value;
      }
      live.body = patched as unknown as ReportStatementBody;
    } else if (step.op === 'retractStatement' && step.claimId === claimId) {
      retracted.add(step.statementId);
    }
  });
  const all = [...statements.values()].filter(
    (s) => statedBefore === undefined || s.body.statedAt.at < statedBefore,
  );
  if (all.length === 0) return 'unsourced';
  const live = all.filter((s) => !retracted.has(s.body.statementId));
  if (live.length === 0) return 'retracted';
  const later = (a: Live, b: Live): Live =>
    a.body.statedAt.at > b.body.statedAt.at ||
    (a.body.statedAt.at === b.body.statedAt.at && a.order > b.order)
      ? a
      : b;
  const voices = new Map<string, Live>();
  for (const s of live) {
    const voice = sources.get(s.body.sourceId)!.affiliationId ?? s.body.sourceId;
    const current = voices.get(voice);
    voices.set(voice, current === undefined ? s : later(current, s));
  }
  const asserting = [...voices.values()].filter(
    (s) => s.body.stance === 'affirms' || s.body.stance === 'denies',
  );
  if (asserting.length === 0) return 'unconfirmed';
  if (asserting.length === 1) return 'single-source';
  const normal = ({ body }: Live): { affirms: boolean; value?: ClaimValue } =>
    kind === 'boolean' && body.stance === 'denies'
      ? { affirms: true, value: false }
      : { affirms: body.stance === 'affirms', value: body.value };
  const conflict = (x: Live, y: Live): boolean => {
    const [a, b] = [normal(x), normal(y)];
    if (a.affirms && b.affirms) return !compatible(a.value!, b.value!);
    if (!a.affirms && !b.affirms) return false;
    const [yes, no] = a.affirms ? [a, b] : [b, a];
    return no.value === undefined || compatible(yes.value!, no.value);
  };
  const contested = asserting.some((x, i) => asserting.slice(i + 1).some((y) => conflict(x, y)));
  return contested ? 'contested' : 'corroborated';
}

const indexOfStatement = (statementId: string): number =>
  RAQQA_DEMO.findIndex((step) => step.op === 'reportStatement' && step.body.statementId === statementId);

// ---------------------------------------------------------------- the checks

describe('the Raqqa demo fixture', () => {
  it('ships a byte-for-byte copy of the seed story', () => {
    expect(createHash('sha256').update(seedBytes).digest('hex')).toBe(SEED_SHA256);
  });

  it('quotes the seed verbatim: every Arabic quote occurs in it (runs of white space aside)', () => {
    const text = squash(seed);
    const missing = stepsOf('reportStatement')
      .map((s) => s.body.quote)
      .filter((quote) => !text.includes(squash(quote.text)))
      .map((quote) => quote.text);
    expect(missing).toEqual([]);
    for (const { body } of stepsOf('reportStatement')) {
      expect(body.quote.language).toBe('ar');
      expect(body.quote.translation?.language).toBe('en');
      expect(body.quote.translation?.text.trim()).not.toBe('');
    }
  });

  it('gives every entity a unique UUID, and the constants name them all', () => {
    const ids = [
      ...stepsOf('registerSource').map((s) => s.body.sourceId),
      ...stepsOf('openClaim').map((s) => s.body.claimId),
      ...stepsOf('reportStatement').map((s) => s.body.statementId),
      ...stepsOf('issueVerdict').map((s) => s.body.verdictId),
    ];
    for (const id of ids) expect(id).toMatch(UUID_V4);
    expect(new Set(ids).size).toBe(ids.length);
    const constants = [SRC, CLM, STM, VRD].flatMap((group) => Object.values(group) as string[]);
    expect(new Set(constants).size).toBe(constants.length);
    expect([...constants].sort()).toEqual([...ids].sort());
  });

  it('registers each source before it is used, organizations before their people', () => {
    const seen = new Map<string, SourceKind>();
    for (const step of RAQQA_DEMO) {
      if (step.op === 'registerSource') {
        const body: RegisterSourceBody = step.body;
        expect(SOURCE_KINDS).toContain(body.kind);
        expect(body.name.trim()).not.toBe('');
        if (body.affiliationId !== undefined) {
          expect(body.kind).toBe('person');
          expect(seen.get(body.affiliationId)).toBe('organization');
        }
        seen.set(body.sourceId, body.kind);
      } else if (step.op === 'reportStatement') {
        expect(seen.has(step.body.sourceId)).toBe(true);
      }
    }
  });

  it('has the sources DOMAIN.md lists, with their kinds and affiliations', () => {
    const expected: [string, SourceKind, string | undefined][] = [
      [SRC.talalSilo, 'person', SRC.sdf],
      [SRC.mustafaBali, 'person', SRC.sdf],
      [SRC.sdf, 'organization', undefined],
      [SRC.omarAlloush, 'person', SRC.raqqaCivilCouncil],
      [SRC.raqqaCivilCouncil, 'organization', undefined],
      [SRC.sohr, 'organization', undefined],
      [SRC.coalition, 'organization', undefined],
      [SRC.ryanDillon, 'person', SRC.coalition],
      [SRC.tribalElders, 'group', undefined],
      [SRC.localSources, 'anonymous', undefined],
      [SRC.outlet, 'outlet', undefined],
      // Not in DOMAIN.md's list: the source of the belief SOHR relays (issue 10).
      [SRC.frenchIntelligence, 'organization', undefined],
    ];
    for (const [id, kind, affiliationId] of expected) {
      expect(sources.get(id)).toMatchObject({ kind });
      expect(sources.get(id)?.affiliationId).toBe(affiliationId);
      expect(sources.get(id)?.nameLatin).toBeDefined();
    }
    expect(sources.size).toBe(expected.length);
  });

  it("marks SOHR's relayed intelligence with its basis, and only that", () => {
    const relays = RAQQA_DEMO.flatMap((step) =>
      step.op === 'reportStatement' && step.body.basis !== undefined ? [step.body] : [],
    );
    expect(relays.map((body) => [body.statementId, body.sourceId, body.basis])).toEqual([
      [STM.sohrForeignPartDelayed, SRC.sohr, { sourceId: SRC.frenchIntelligence }],
    ]);
    // The seed's words for it: "because of the French intelligence's belief".
    expect(relays[0]?.quote.text).toContain('لاعتقاد المخابرات الفرنسية');
  });

  it('opens every claim before its statements, in the story, with a valid kind and unit', () => {
    const opened = new Set<string>();
    for (const step of RAQQA_DEMO) {
      if (step.op === 'openClaim') {
        const body: OpenClaimBody = step.body;
        expect(body.storyId).toBe(RAQQA_STORY_ID);
        expect(body.proposition.language).toBe('en');
        expect(VALUE_KINDS).toContain(body.valueKind);
        expect(body.unit !== undefined).toBe(body.valueKind === 'quantity');
        opened.add(body.claimId);
      } else if (step.op !== 'registerSource') {
        expect(opened.has(step.claimId)).toBe(true);
      }
    }
  });

  it('reports values that fit the claim kind and the stance, with valid metadata', () => {
    for (const { claimId, body } of stepsOf('reportStatement')) {
      const kind = claims.get(claimId)!.valueKind;
      expect(STANCES).toContain(body.stance);
      expect(ATTRIBUTIONS).toContain(body.attribution);
      if (body.stance === 'affirms') expect(body.value).toBeDefined();
      if (body.stance === 'uncertain' || body.stance === 'declined') expect(body.value).toBeUndefined();
      if (body.value !== undefined) expect(kindOf(body.value)).toBe(kind);
      if (body.via !== undefined) {
        expect(VIA_KINDS).toContain(body.via.kind);
        expect(body.via.outlet.trim()).not.toBe('');
      }
      const source = sources.get(body.sourceId)!;
      expect(body.attribution).toBe(source.kind === 'anonymous' ? 'anonymous' : 'on-record');
    }
  });

  it('uses honest stated times: local (UTC+3) period starts with a valid precision', () => {
    const check = (statedAt: StatedAt): void => {
      expect(STATED_PRECISIONS).toContain(statedAt.precision);
      expect(statedAt.at).toMatch(UTC_INSTANT);
      const local = new Date(Date.parse(statedAt.at) + 3 * 3600_000).toISOString();
      if (statedAt.precision === 'day') expect(local.slice(11)).toBe('00:00:00.000Z');
      if (statedAt.precision === 'month') expect(local.slice(8)).toBe('01T00:00:00.000Z');
      // Nothing in the story was said before the deal (12 Oct) month or after publication day (15 Oct).
      expect(statedAt.at >= '2017-09-30T21:00:00.000Z' && statedAt.at < '2017-10-15T21:00:00.000Z').toBe(
        true,
      );
    };
    for (const { body } of stepsOf('reportStatement')) check(body.statedAt);
  });

  it('corrects and retracts only statements already reported on that claim, validly', () => {
    const reported = new Map<string, string>();
    for (const step of RAQQA_DEMO) {
      if (step.op === 'reportStatement') reported.set(step.body.statementId, step.claimId);
      if (step.op === 'correctStatement') {
        expect(reported.get(step.statementId)).toBe(step.claimId);
        expect(step.body.reason.trim()).not.toBe('');
        const { value, statedAt } = step.body.changes;
        if (value !== undefined && value !== null) {
          expect(kindOf(value)).toBe(claims.get(step.claimId)!.valueKind);
        }
        if (statedAt !== undefined) expect(STATED_PRECISIONS).toContain(statedAt.precision);
      }
      if (step.op === 'retractStatement') {
        expect(reported.get(step.statementId)).toBe(step.claimId);
        expect(RETRACTION_REASONS).toContain(step.body.reason);
      }
    }
    expect(stepsOf('correctStatement')).toHaveLength(1);
    expect(stepsOf('retractStatement')).toHaveLength(0);
  });

  it('issues verdicts on evidence from the same claim, reported before the verdict', () => {
    for (const step of stepsOf('issueVerdict')) {
      expect(VERDICT_RATINGS).toContain(step.body.rating);
      expect(step.body.evidence.length).toBeGreaterThan(0);
      const at = RAQQA_DEMO.indexOf(step);
      for (const statementId of step.body.evidence) {
        const index = indexOfStatement(statementId);
        expect(index).toBeGreaterThanOrEqual(0);
        expect(index).toBeLessThan(at);
        expect((RAQQA_DEMO[index] as Step<'reportStatement'>).claimId).toBe(step.claimId);
      }
    }
  });

  it("has DOMAIN.md's claims, with their kinds and units", () => {
    const expected: [string, ValueKind, string?][] = [
      [CLM.syrianFightersLeft, 'quantity', 'fighters'],
      [CLM.fightersRemaining, 'quantity', 'fighters'],
      [CLM.civiliansLeft, 'quantity', 'civilians'],
      [CLM.foreignFightersIncluded, 'boolean'],
      [CLM.someForeignFightersLeft, 'boolean'],
      [CLM.humanShieldsTaken, 'boolean'],
      [CLM.humanShieldsCount, 'quantity', 'civilians'],
      [CLM.civilianEvacuation, 'boolean'],
      [CLM.sdfAgreedSafePassage, 'boolean'],
      [CLM.dateAgreed, 'date'],
      [CLM.busesEntered, 'boolean'],
    ];
    for (const [claimId, valueKind, unit] of expected) {
      expect(claims.get(claimId)).toMatchObject({ valueKind });
      expect(claims.get(claimId)?.unit).toBe(unit);
    }
    expect(claims.size).toBeGreaterThanOrEqual(15);
    for (const claimId of claims.keys()) {
      expect(stepsOf('reportStatement').some((s) => s.claimId === claimId)).toBe(true);
    }
  });

  it('records both "yes" statements on foreign fighters before the first denial', () => {
    const onClaim = stepsOf('reportStatement').filter((s) => s.claimId === CLM.foreignFightersIncluded);
    const firstDenial = onClaim.findIndex((s) => s.body.stance === 'denies' || s.body.value === false);
    const yes = onClaim.filter((s) => s.body.stance === 'affirms' && s.body.value === true);
    expect(yes.map((s) => s.body.sourceId).sort()).toEqual([SRC.omarAlloush, SRC.sohr].sort());
    expect(firstDenial).toBeGreaterThan(-1);
    for (const s of yes) expect(onClaim.indexOf(s)).toBeLessThan(firstDenial);
    const denialAt = RAQQA_DEMO.indexOf(onClaim[firstDenial]!);
    expect(statusOf(CLM.foreignFightersIncluded, RAQQA_DEMO.slice(0, denialAt))).toBe('corroborated');
    expect(statusOf(CLM.foreignFightersIncluded, RAQQA_DEMO)).toBe('contested');
    expect(onClaim.find((s) => s.body.sourceId === SRC.ryanDillon)?.body.stance).toBe('declined');
  });

  it('shows single-source, unconfirmed, overlap and supersession as the demo promises', () => {
    expect(statusOf(CLM.syrianFightersLeft, RAQQA_DEMO)).toBe('single-source');
    expect(statusOf(CLM.fightersEvacuatedSinceSaturday, RAQQA_DEMO)).toBe('unconfirmed');
    expect(statusOf(CLM.evacueesDestination, RAQQA_DEMO)).toBe('unconfirmed');
    // 200-300 and a flat 300 overlap.
    expect(statusOf(CLM.fightersRemaining, RAQQA_DEMO)).toBe('corroborated');
    expect(statusOf(CLM.civilianEvacuation, RAQQA_DEMO)).toBe('contested');
    expect(statusOf(CLM.dateAgreed, RAQQA_DEMO)).toBe('corroborated');
    // Supersession: Silo (SDF, Saturday) says no; Bali (SDF, Sunday) says some left, so the SDF's
    // word agrees with the Raqqa Civil Council's, where a naive reading would see a conflict.
    const beforeBali = RAQQA_DEMO.slice(0, indexOfStatement(STM.baliNotAllForeignLeft));
    expect(statusOf(CLM.someForeignFightersLeft, beforeBali)).toBe('contested');
    expect(statusOf(CLM.someForeignFightersLeft, RAQQA_DEMO)).toBe('corroborated');
    expect(statusOf(CLM.someForeignFightersLeft, RAQQA_DEMO, '2017-10-14T21:00:00.000Z')).toBe(
      'single-source',
    );
  });

  it('corrects the 275 typed as 257', () => {
    const reported = stepsOf('reportStatement').find((s) => s.body.statementId === STM.siloSyrianLeft)!;
    const [correction] = stepsOf('correctStatement');
    expect(reported.body.value).toEqual({ exact: 257 });
    expect(correction).toMatchObject({
      claimId: CLM.syrianFightersLeft,
      statementId: STM.siloSyrianLeft,
      body: { changes: { value: { exact: 275 } } },
    });
    expect(reported.body.quote.text).toContain('275');
  });
});
