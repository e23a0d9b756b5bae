/**
 * The Raqqa demo: the Arabic wire story of 15 October 2017 (`seed/raqqa-2017-10-15.ar.txt`, a
 * byte-for-byte copy of the shared seed) as an ordered list of public API commands. Each step's
 * body is exactly the JSON body of the POST in API.md, with every id given by the client as a
 * fixed UUID, so the demo loads to the same ids every time.
 *
 * CONVENTIONS (read before editing)
 *
 * Stated time (`statedAt`). Syria was on UTC+3 in October 2017. An instant stands for the START of
 * the local period the report names, and the precision says how wide that period is:
 *   - "Saturday" (14 Oct)          -> 2017-10-14T00:00+03:00 = 2017-10-13T21:00:00.000Z, 'day'
 *   - "Sunday" (15 Oct), "today",
 *     "later on Sunday"            -> 2017-10-15T00:00+03:00 = 2017-10-14T21:00:00.000Z, 'day'
 *     ("later" orders the remark within the day but gives no hour, so it stays 'day')
 *   - "Saturday evening"           -> 18:00 local = 2017-10-14T15:00:00.000Z, 'part-of-day'
 *     (parts of the day start at morning 06:00, afternoon 12:00, evening 18:00, night 21:00 local)
 *   - no day given at all          -> the start of the local month, 2017-09-30T21:00:00.000Z, 'month'
 * Where the seed gives no day but its context fixes one, the day is inferred and the step says so
 * in a comment (Talal Silo's "surrender or die" and Col. Dillon's remarks: Saturday). The tribal
 * elders' statement is undated and only known to precede the departures, so it is 'month'.
 *
 * Channel (`via`). The channel the seed names for that remark: Reuters or AFP ('wire'), the
 * coalition's or the elders' own statement ('statement'). Where the seed names none, the statement
 * reached us through the publishing outlet itself ('online': the piece is a web article with
 * hashtags). The seed gives no publication times, so `reportedAt` is left out rather than invented.
 *
 * Quotes. `quote.text` is the shortest span of the seed, verbatim (odd spacing and all), that
 * carries the statement; most are reported speech, which is all the seed gives. The English
 * `translation` is ours. One quote that bears on several claims is several statements.
 *
 * Voices. Talal Silo and Mustafa Bali are affiliated with the SDF, Omar Alloush with the Raqqa
 * Civil Council, Col. Ryan Dillon with the coalition; the SDF, the council and the coalition are
 * registered before them. The publishing outlet is a voice of its own (its headline and its own,
 * unattributed narration).
 *
 * Order. Steps run in the order a desk would have logged the story: sources, then claims, then the
 * Saturday statements, then Sunday's, then our one correction and the desk's verdict. Recorded
 * order is not stated order: the coalition's Saturday statement was said BEFORE Alloush's reply
 * to it, but is logged after both "yes" statements on foreign fighters, so a read as of the
 * position just before the coalition's denial shows the claim corroborated, then contested.
 *
 * No retraction: nothing in the story was withdrawn, misattributed or corrected by an outlet, and
 * a fake one would teach the wrong thing, so the demo has none.
 */
import type {
  Attribution,
  ClaimValue,
  Proposition,
  Quote,
  RetractionFault,
  RetractionReason,
  SourceKind,
  Stance,
  StatedAt,
  StatementBasis,
  ValueKind,
  VerdictRating,
  Via,
} from '../domain/values';

// ---------------------------------------------------------------- the POST bodies of API.md

/** `POST /sources` */
export interface RegisterSourceBody {
  sourceId: string;
  name: string;
  nameLatin?: string;
  kind: SourceKind;
  role?: string;
  affiliationId?: string;
  protected?: boolean;
}

/** `POST /claims` */
export interface OpenClaimBody {
  claimId: string;
  storyId: string;
  proposition: Proposition;
  valueKind: ValueKind;
  unit?: string;
}

/** `POST /claims/{id}/statements` */
export interface ReportStatementBody {
  statementId: string;
  sourceId: string;
  stance: Stance;
  value?: ClaimValue;
  /** What the statement relays (DOMAIN.md rule 3). */
  basis?: StatementBasis;
  quote: Quote;
  statedAt: StatedAt;
  via?: Via;
  attribution: Attribution;
}

/** The fields a correction may change; `null` removes an optional one (`value`, `via`). */
export interface StatementChangesBody {
  stance?: Stance;
  value?: ClaimValue | null;
  quote?: Quote;
  statedAt?: StatedAt;
  via?: Via | null;
  attribution?: Attribution;
}

/** `POST /claims/{id}/statements/{statementId}/corrections` */
export interface CorrectStatementBody {
  changes: StatementChangesBody;
  reason: string;
}

/** `POST /claims/{id}/statements/{statementId}/retraction` */
export interface RetractStatementBody {
  reason: RetractionReason;
  faultOf?: RetractionFault;
  note?: string;
}

/** `POST /claims/{id}/verdicts` (editor) */
export interface IssueVerdictBody {
  verdictId: string;
  rating: VerdictRating;
  rationale: string;
  evidence: string[];
}

export type DemoStep =
  | { op: 'registerSource'; body: RegisterSourceBody }
  | { op: 'openClaim'; body: OpenClaimBody }
  | { op: 'reportStatement'; claimId: string; body: ReportStatementBody }
  | { op: 'correctStatement'; claimId: string; statementId: string; body: CorrectStatementBody }
  | { op: 'retractStatement'; claimId: string; statementId: string; body: RetractStatementBody }
  | { op: 'issueVerdict'; claimId: string; body: IssueVerdictBody };

export type DemoOp = DemoStep['op'];

// ---------------------------------------------------------------- ids

/** The story all the demo's claims belong to. */
export const RAQQA_STORY_ID = 'raqqa-2017-10-15';

/** Sources. */
export const SRC = {
  sdf: '4a507479-b69e-49aa-8b87-d482fbab6181',
  raqqaCivilCouncil: '7169e779-c370-4a6d-a8f4-1e887f4b70a4',
  sohr: '9ed36bd7-6f06-4855-ad62-c0274caf20c8',
  coalition: 'be0a2f6d-4674-4371-8754-526d6256c884',
  outlet: '6f46a8b7-ccbc-4676-8514-752eecb5e7b8',
  tribalElders: 'c3d0b649-69aa-4143-9c13-aad4ff32965a',
  localSources: 'decf8393-b3d7-4624-a205-a68f8546585f',
  talalSilo: '59a9a038-ae59-4016-a5a0-ddd375d0fcbe',
  mustafaBali: '7a502dfa-57d0-493c-8654-94a3a98893ee',
  omarAlloush: '00444ff1-2df6-4ac6-83bc-3d37b1852fc8',
  ryanDillon: '4e19e7de-99aa-4f88-a95e-ac3bd89dae0d',
  frenchIntelligence: 'cd7a2941-500e-4acc-b263-82d9ec4c295a',
} as const;

/** Claims. The first eleven are DOMAIN.md's table; the rest are the article's other propositions. */
export const CLM = {
  syrianFightersLeft: '31b37622-9ef0-4760-a470-e146f003dfd0',
  fightersRemaining: '9fb2b881-96af-47e5-9a84-56184930f17f',
  civiliansLeft: '68e3bd8e-b26d-4a08-b108-3695e53743fd',
  foreignFightersIncluded: 'c7a97629-970b-4803-a842-1f54fd01505f',
  someForeignFightersLeft: 'd93f0b72-b3b5-44ff-b9c6-81ef26252cbb',
  humanShieldsTaken: 'afd109ba-d4a8-4f12-8326-669a5e8cc72e',
  humanShieldsCount: 'f077e0d7-dbc3-48b8-b926-281d3dc08c3e',
  civilianEvacuation: 'a64f4042-891e-4d1d-bfe4-bc874baff7bb',
  sdfAgreedSafePassage: 'b8dd9607-f82e-48d7-9fcd-872a45560265',
  dateAgreed: 'c95ba231-0c0e-4b97-87ff-fd9e44d609f2',
  busesEntered: '75964904-c4bd-4e9b-a013-bbfef92ca91d',
  civiliansSafePassage: '804ba200-c7e0-4685-a113-e407b4756172',
  convoyInSdfAreas: '683cecd1-50f4-4aa3-886c-e31e7c4371fc',
  finalAssaultDate: '7920f589-b283-4ada-8fb0-d876e3bd3f2e',
  fightersLeftOvernight: 'e9e99dcd-dfa9-4d72-9e49-78faddedf30f',
  syrianPartCompleted: '56d952e7-f6d0-4241-8ed8-c8a8698c1a57',
  foreignPartDelayed: '5c95a495-7e95-4135-a689-5400f38f0146',
  coalitionWontCondone: 'ee02d112-a2cb-47bc-80d7-2bcd7d762bfa',
  battleContinues: '2d5f911a-d6ef-42b5-84aa-aad317b89cf8',
  remainingNoChoice: 'a91d8e68-9468-483b-9747-a7c9e1f7a348',
  fightersEvacuatedSinceSaturday: 'd4053397-137d-4a9e-8c86-1107e9233854',
  evacueesDestination: 'f41ac606-feb0-4127-9eeb-4fe9ceb66539',
} as const;

/** Statements, named after the speaker and what they said. */
export const STM = {
  localBusesEntered: '99b48b9c-7597-4d79-b7c2-ff982f03019b',
  alloushForeignIncluded: '7a8f1774-603a-4365-9f8a-b0cc6d14226d',
  alloushExitOvernight: '5eb3f313-1e6c-4480-8911-a5d2285e0ff1',
  alloushHumanShields: '868b05ee-7a37-45e7-8053-d7a20b5c3cac',
  alloushHumanShieldsCount: '3db1f98e-c390-4859-b55c-6881e7c2ed0d',
  sohrForeignIncluded: '040cf698-85d2-463e-8c1a-f0741e58ee7b',
  sohrSyrianPartCompleted: '97cf531f-856f-46de-9903-05dfc375a12d',
  sohrNotCivilianOnly: '825bc9f0-905b-4c5c-b49e-b65798884d63',
  sohrForeignPartDelayed: 'c24a46e9-c5dc-4f6b-9a95-0f48a1a7f9f8',
  coalitionExcludesForeign: '951a29e6-1bd7-41e2-932a-a6bd6c87146d',
  coalitionDateAgreed: 'c8573d3d-e1bd-4a0f-8b65-a2c1cebbf578',
  coalitionCivilianEvacuation: '7f3cb57a-fdcc-4799-8aa0-e8de9d8ef3e2',
  coalitionWontCondone: 'e14cc3c9-2c2b-4968-85c6-554d94e920c0',
  siloSurrenderOrDie: '0d841766-c107-48f2-99aa-625a8f62106b',
  siloNoForeignLeave: '1d921100-0c45-479d-a037-d398af6f6620',
  siloRemainingSurrenderOrDie: '666b28c2-1cd1-4f94-b18d-0e5450cf7cb8',
  dillonDeclined: 'ffbb9acf-5360-47c9-bb63-be78de94b9d5',
  dillonHardFighting: 'd6a8eb0d-f06e-4fe6-8be4-87971fb8cf62',
  eldersSafePassage: '8ffc692d-2305-4a03-afb3-8ee19018276d',
  eldersNoChoice: '733adc87-54d4-4026-835a-5380f54f7752',
  sdfFinalPhase: '74367b35-456e-4722-87fa-25f9d50b0e05',
  siloSyrianLeft: 'bd9586af-6805-4560-b512-c79bd0d293bd',
  siloRemaining: '194c6c51-81c2-41b9-b5e2-6b464ec47fcb',
  siloCiviliansLeft: '5bb75907-ad96-4845-b139-6d96bbf93a38',
  siloCiviliansSafePassage: '8caf0a50-2c16-4ff3-a0bf-c37a22c8ea51',
  siloConvoyInSdfAreas: '3b828cae-2cda-4c9d-bc4e-e0485aa86095',
  alloushSomeForeignLeft: 'f5df6eb6-1ed1-41c8-8542-3f34ea4ef16a',
  alloushCountUnconfirmed: '32aaee04-36fa-4c7f-ba51-2e5ebf287a64',
  alloushDestinationUnconfirmed: '9a100a1d-8e16-4fb1-aa79-92ee9a8fab33',
  baliLeftOvernight: '4fa4a87b-04d7-4594-8694-c7a133b5a328',
  baliHumanShields: '6ff55766-fdcd-4b96-94f1-8a4e61ed3421',
  baliNotAllForeignLeft: '8ce286bf-5c59-47ae-906e-9b2b6eae406d',
  baliFightingContinues: 'afe3c3f0-37c6-4c3a-b884-0f7df8f2286c',
  baliLastBatch: '0a7d9b1d-2b2d-485a-a5ef-f86dfdfd93fe',
  outletHeadline: '27bbe0e2-06a8-4cc1-9bf6-6127a7e0e9da',
  outletDateAgreed: 'ffea6e5a-8dad-4d36-8ae6-79aadcf55789',
  outletSyrianPartCompleted: '4028660f-7994-46a4-9802-0f01dbca7732',
  outletFinalAssault: '424a4536-2b7a-416d-8c43-8e8ed19751de',
  outletConvoyLeftOvernight: 'fe4f575b-4c6a-493a-bb66-57ae90652bc2',
} as const;

/** The desk's verdicts. */
export const VRD = {
  foreignFightersIncluded: 'f321db97-3871-43e2-804f-4c765ed8d679',
} as const;

// ---------------------------------------------------------------- stated times and channels

/** Saturday 14 Oct 2017, local day (UTC+3). */
const SATURDAY: StatedAt = { at: '2017-10-13T21:00:00.000Z', precision: 'day' };
/** Saturday 14 Oct 2017, evening (from 18:00 local). */
const SATURDAY_EVENING: StatedAt = { at: '2017-10-14T15:00:00.000Z', precision: 'part-of-day' };
/** Sunday 15 Oct 2017, local day (UTC+3): "Sunday", "today", "later on Sunday". */
const SUNDAY: StatedAt = { at: '2017-10-14T21:00:00.000Z', precision: 'day' };
/** October 2017, local month: undated, known only to precede the departures. */
const OCTOBER_2017: StatedAt = { at: '2017-09-30T21:00:00.000Z', precision: 'month' };

/** The seed's outlet is not named in the text; its hashtags mark a web article. */
const OUTLET_NAME = 'The publishing outlet (unnamed in the seed)';
const VIA_OUTLET: Via = { outlet: OUTLET_NAME, kind: 'online' };
const VIA_REUTERS: Via = { outlet: 'Reuters', kind: 'wire' };
const VIA_AFP: Via = { outlet: 'AFP', kind: 'wire' };
const VIA_COALITION_STATEMENT: Via = { outlet: 'US-led coalition against ISIS', kind: 'statement' };
const VIA_ELDERS_STATEMENT: Via = { outlet: 'Statement by Raqqa tribal elders', kind: 'statement' };

/** A verbatim Arabic quote with our English translation. */
function ar(text: string, english: string): Quote {
  return { text, language: 'ar', translation: { text: english, language: 'en' } };
}

function en(text: string): Proposition {
  return { text, language: 'en' };
}

// ---------------------------------------------------------------- sources

const SOURCES: readonly DemoStep[] = [
  // Organizations first: people are registered with an affiliation that must already exist.
  {
    op: 'registerSource',
    body: {
      sourceId: SRC.sdf,
      name: 'قوات سوريا الديمقراطية',
      nameLatin: 'Syrian Democratic Forces (SDF)',
      kind: 'organization',
    },
  },
  {
    op: 'registerSource',
    body: {
      sourceId: SRC.raqqaCivilCouncil,
      name: 'مجلس الرقة المدني',
      nameLatin: 'Raqqa Civil Council',
      kind: 'organization',
    },
  },
  {
    op: 'registerSource',
    body: {
      sourceId: SRC.sohr,
      name: 'المرصد السوري لحقوق الإنسان',
      nameLatin: 'Syrian Observatory for Human Rights (SOHR)',
      kind: 'organization',
    },
  },
  {
    // Named by SOHR only, as the holder of the belief it relays (see STM.sohrForeignPartDelayed).
    op: 'registerSource',
    body: {
      sourceId: SRC.frenchIntelligence,
      name: 'المخابرات الفرنسية',
      nameLatin: 'French intelligence',
      kind: 'organization',
    },
  },
  {
    op: 'registerSource',
    body: {
      sourceId: SRC.coalition,
      name: 'التحالف الذي تقوده الولايات المتحدة ضد داعش',
      nameLatin: 'US-led coalition against ISIS',
      kind: 'organization',
    },
  },
  {
    op: 'registerSource',
    body: {
      sourceId: SRC.outlet,
      // Not named in the seed (an Al Arabiya-style Arabic web piece): named for what it is.
      name: 'الجهة الناشرة',
      nameLatin: 'The publishing outlet (headline and own narration; unnamed in the seed)',
      kind: 'outlet',
    },
  },
  {
    op: 'registerSource',
    body: {
      sourceId: SRC.tribalElders,
      name: 'شيوخ عشائر من الرقة',
      nameLatin: 'Raqqa tribal elders',
      kind: 'group',
    },
  },
  {
    op: 'registerSource',
    body: {
      sourceId: SRC.localSources,
      name: 'مصادر محلية في المدينة',
      nameLatin: 'Local sources in the city',
      kind: 'anonymous',
    },
  },
  {
    op: 'registerSource',
    body: {
      sourceId: SRC.talalSilo,
      // The seed spells him both سيلو and سلو.
      name: 'طلال سيلو',
      nameLatin: 'Talal Silo',
      kind: 'person',
      role: 'spokesman',
      affiliationId: SRC.sdf,
    },
  },
  {
    op: 'registerSource',
    body: {
      sourceId: SRC.mustafaBali,
      name: 'مصطفى بالي',
      nameLatin: 'Mustafa Bali',
      kind: 'person',
      role: 'spokesman',
      affiliationId: SRC.sdf,
    },
  },
  {
    op: 'registerSource',
    body: {
      sourceId: SRC.omarAlloush,
      name: 'عمر علوش',
      nameLatin: 'Omar Alloush',
      kind: 'person',
      role: 'senior official',
      affiliationId: SRC.raqqaCivilCouncil,
    },
  },
  {
    op: 'registerSource',
    body: {
      sourceId: SRC.ryanDillon,
      name: 'الكولونيل ريان ديلون',
      nameLatin: 'Col. Ryan Dillon',
      kind: 'person',
      role: 'spokesman',
      affiliationId: SRC.coalition,
    },
  },
];

// ---------------------------------------------------------------- claims

function claim(claimId: string, proposition: string, valueKind: ValueKind, unit?: string): DemoStep {
  const body: OpenClaimBody = { claimId, storyId: RAQQA_STORY_ID, proposition: en(proposition), valueKind };
  if (unit !== undefined) body.unit = unit;
  return { op: 'openClaim', body };
}

const CLAIMS: readonly DemoStep[] = [
  // DOMAIN.md's table.
  claim(
    CLM.syrianFightersLeft,
    'Number of Syrian ISIS fighters who left Raqqa under the deal',
    'quantity',
    'fighters',
  ),
  claim(
    CLM.fightersRemaining,
    'Number of ISIS fighters, most of them foreign, remaining in Raqqa city after the departures under the deal',
    'quantity',
    'fighters',
  ),
  claim(CLM.civiliansLeft, 'Number of civilians who left Raqqa under the deal', 'quantity', 'civilians'),
  claim(
    CLM.foreignFightersIncluded,
    'Foreign ISIS fighters are included in the Raqqa evacuation deal',
    'boolean',
  ),
  claim(CLM.someForeignFightersLeft, 'Some foreign ISIS fighters have left Raqqa under the deal', 'boolean'),
  claim(
    CLM.humanShieldsTaken,
    'ISIS fighters leaving Raqqa under the deal took civilians with them as human shields',
    'boolean',
  ),
  claim(
    CLM.humanShieldsCount,
    'Number of civilians taken by departing ISIS fighters as human shields',
    'quantity',
    'civilians',
  ),
  claim(
    CLM.civilianEvacuation,
    'The Raqqa arrangement is a civilian evacuation rather than a way out for ISIS fighters',
    'boolean',
  ),
  claim(
    CLM.sdfAgreedSafePassage,
    'The SDF agreed to allow ISIS fighters safe passage out of Raqqa',
    'boolean',
  ),
  claim(CLM.dateAgreed, 'Date on which the Raqqa evacuation arrangement was agreed', 'date'),
  claim(CLM.busesEntered, 'Buses entered Raqqa to evacuate ISIS fighters and some civilians', 'boolean'),
  // The rest of the article.
  claim(
    CLM.civiliansSafePassage,
    'Under the deal, safe passage was provided to almost all civilians in the ISIS-held pocket of Raqqa',
    'boolean',
  ),
  claim(
    CLM.convoyInSdfAreas,
    'On the morning of Sunday 15 October 2017 the evacuation convoy was still inside SDF-held areas',
    'boolean',
  ),
  claim(CLM.finalAssaultDate, 'Date on which the SDF launched its final assault on Raqqa', 'date'),
  claim(
    CLM.fightersLeftOvernight,
    'ISIS fighters left Raqqa under the deal during the night of Saturday 14 to Sunday 15 October 2017',
    'boolean',
  ),
  claim(
    CLM.syrianPartCompleted,
    'The part of the deal that takes Syrian ISIS fighters out of Raqqa has been carried out',
    'boolean',
  ),
  claim(
    CLM.foreignPartDelayed,
    'The foreign-fighter part of the deal was delayed because French intelligence believes the planner of the ' +
      'Paris attacks is among the foreign ISIS fighters remaining in Raqqa',
    'boolean',
  ),
  claim(
    CLM.coalitionWontCondone,
    'The US-led coalition will not condone arrangements that let ISIS terrorists escape Raqqa without facing justice',
    'boolean',
  ),
  claim(
    CLM.battleContinues,
    'The battle for Raqqa is not over: fighting against the ISIS fighters still in the city goes on',
    'boolean',
  ),
  claim(
    CLM.remainingNoChoice,
    'The ISIS fighters remaining in Raqqa have no choice but to surrender or die',
    'boolean',
  ),
  claim(
    CLM.fightersEvacuatedSinceSaturday,
    'Number of ISIS fighters evacuated from Raqqa since Saturday 14 October 2017',
    'quantity',
    'fighters',
  ),
  claim(CLM.evacueesDestination, 'Where the ISIS fighters evacuated from Raqqa were taken', 'text'),
];

// ---------------------------------------------------------------- statements

interface StatementSpec {
  statementId: string;
  sourceId: string;
  stance: Stance;
  value?: ClaimValue;
  quote: Quote;
  statedAt: StatedAt;
  via: Via;
  attribution?: Attribution;
  basis?: StatementBasis;
}

function statement(claimId: string, spec: StatementSpec): DemoStep {
  const body: ReportStatementBody = {
    statementId: spec.statementId,
    sourceId: spec.sourceId,
    stance: spec.stance,
    quote: spec.quote,
    statedAt: spec.statedAt,
    via: spec.via,
    attribution: spec.attribution ?? 'on-record',
  };
  if (spec.value !== undefined) body.value = spec.value;
  if (spec.basis !== undefined) body.basis = spec.basis;
  return { op: 'reportStatement', claimId, body };
}

// Quotes used by more than one statement.
const SOHR_SYRIAN_PART = ar(
  'صفقة إخراج مقاتلي #داعش من #الرقة انتهت في الشق المتعلق بالمدنيين والعناصر الإرهابية من الجنسية السورية',
  'the deal to get #ISIS fighters out of #Raqqa has been completed in the part concerning civilians and ' +
    'terrorist elements of Syrian nationality',
);
const SILO_SURRENDER_OR_DIE = ar(
  'المقاتلين الأجانب سيُتركون بالمدينة "للاستسلام أو الموت"',
  'the foreign fighters will be left in the city "to surrender or die"',
);
const ALLOUSH_HUMAN_SHIELDS = ar(
  'مقاتلي داعش سيصطحبون معهم نحو 400 مدني محتجزين في مستشفى الرقة الوطني كدروع بشرية',
  'ISIS fighters will take with them about 400 civilians held at Raqqa National Hospital as human shields',
);
const SILO_TO_REUTERS_275 = ar(
  '275 من مقاتلي داعش السوريين غادروا المدينة بموجب اتفاق الانسحاب',
  '275 Syrian ISIS fighters left the city under the withdrawal agreement',
);
const ALLOUSH_COULD_NOT_CONFIRM = ar(
  'لم يكن بوسعه تأكيد عدد المقاتلين الذين تم إجلاؤهم منذ السبت، ولا الوجهة التي نقلوا إليها',
  'he was not able to confirm the number of fighters evacuated since Saturday, nor the destination to which ' +
    'they were taken',
);
const BALI_LEFT_OVERNIGHT = ar(
  'مجموعة من مقاتلي تنظيم داعش غادروا مدينة الرقة السورية خلال الليل، مصطحبين معهم مدنيين لاستخدامهم دروعا بشرية',
  'a group of ISIS fighters left the Syrian city of Raqqa during the night, taking civilians with them to use ' +
    'as human shields',
);
const OUTLET_FINAL_ASSAULT = ar(
  'وشنت قوات سوريا الديمقراطية المدعومة من الولايات المتحدة هجومها الأخير في الرقة اليوم الأحد بعد مغادرة القافلة خلال الليل',
  'The US-backed Syrian Democratic Forces launched their final assault in Raqqa today, Sunday, after the ' +
    'convoy left during the night',
);

/**
 * Saturday 14 October, as the desk logged it. Foreign fighters: the two "yes" statements (Alloush
 * to AFP, SOHR) come before the first denial (the coalition's statement), so the claim reads
 * corroborated at any position before that denial and contested from it on.
 */
const SATURDAY_STATEMENTS: readonly DemoStep[] = [
  statement(CLM.busesEntered, {
    statementId: STM.localBusesEntered,
    sourceId: SRC.localSources,
    stance: 'affirms',
    value: true,
    quote: ar(
      'بدخول عدد من الباصات من أجل إجلاء الدواعش وبعض المدنيين',
      'that a number of buses had entered in order to evacuate the ISIS members and some civilians',
    ),
    statedAt: SATURDAY,
    via: VIA_OUTLET,
    attribution: 'anonymous',
  }),
  // Alloush to AFP: Saturday, shortly after the coalition's statement (he rebuts it, and speaks of
  // the exit "Saturday night into Sunday" as still to come).
  statement(CLM.foreignFightersIncluded, {
    statementId: STM.alloushForeignIncluded,
    sourceId: SRC.omarAlloush,
    stance: 'affirms',
    value: true,
    quote: ar('نعم.. المقاتلون الأجانب ضمن الاتفاق', 'Yes.. the foreign fighters are part of the agreement'),
    statedAt: SATURDAY,
    via: VIA_AFP,
  }),
  statement(CLM.fightersLeftOvernight, {
    statementId: STM.alloushExitOvernight,
    sourceId: SRC.omarAlloush,
    // Said before the night in question: he affirms the schedule, which Bali and the outlet confirm on Sunday.
    stance: 'affirms',
    value: true,
    quote: ar(
      'خروج عناصر داعش سيتم خلال ليل السبت وحتى الأحد',
      'the exit of the ISIS members will take place during Saturday night and into Sunday',
    ),
    statedAt: SATURDAY,
    via: VIA_OUTLET,
  }),
  statement(CLM.humanShieldsTaken, {
    statementId: STM.alloushHumanShields,
    sourceId: SRC.omarAlloush,
    stance: 'affirms',
    value: true,
    quote: ALLOUSH_HUMAN_SHIELDS,
    statedAt: SATURDAY,
    via: VIA_OUTLET,
  }),
  statement(CLM.humanShieldsCount, {
    statementId: STM.alloushHumanShieldsCount,
    sourceId: SRC.omarAlloush,
    stance: 'affirms',
    value: { approx: 400 },
    quote: ALLOUSH_HUMAN_SHIELDS,
    statedAt: SATURDAY,
    via: VIA_OUTLET,
  }),
  statement(CLM.foreignFightersIncluded, {
    statementId: STM.sohrForeignIncluded,
    sourceId: SRC.sohr,
    stance: 'affirms',
    value: true,
    quote: ar(
      'أنها تشمل أيضاً المقاتلين الأجانب، إلا أن الشق المتعلق بهؤلاء تأخر',
      'that it also includes the foreign fighters, but the part concerning them has been delayed',
    ),
    statedAt: SATURDAY_EVENING,
    via: VIA_OUTLET,
  }),
  statement(CLM.syrianPartCompleted, {
    statementId: STM.sohrSyrianPartCompleted,
    sourceId: SRC.sohr,
    stance: 'affirms',
    value: true,
    quote: SOHR_SYRIAN_PART,
    statedAt: SATURDAY_EVENING,
    via: VIA_OUTLET,
  }),
  // SOHR calls it a deal to get ISIS fighters out, covering civilians and Syrian fighters: it
  // denies that it is (only) a civilian evacuation.
  statement(CLM.civilianEvacuation, {
    statementId: STM.sohrNotCivilianOnly,
    sourceId: SRC.sohr,
    stance: 'denies',
    quote: SOHR_SYRIAN_PART,
    statedAt: SATURDAY_EVENING,
    via: VIA_OUTLET,
  }),
  // SOHR gives the reason as French intelligence's belief ("لاعتقاد المخابرات الفرنسية"): relayed
  // information, so the statement rests on that source and counts with its voice, not SOHR's.
  statement(CLM.foreignPartDelayed, {
    statementId: STM.sohrForeignPartDelayed,
    sourceId: SRC.sohr,
    basis: { sourceId: SRC.frenchIntelligence },
    stance: 'affirms',
    value: true,
    quote: ar(
      'الشق المتعلق بهؤلاء تأخر لاعتقاد المخابرات الفرنسية بأن مخطط هجمات باريس لايزال بيد من تبقى من المقاتلين الأجانب وسط مدينة الرقة',
      'the part concerning them was delayed because French intelligence believes that the planner of the Paris ' +
        'attacks is still with (literally "in the hand of") those of the foreign fighters who remain in the centre ' +
        'of Raqqa',
    ),
    statedAt: SATURDAY_EVENING,
    via: VIA_OUTLET,
  }),
  // Col. Dillon: no day given. Saturday is inferred: he speaks of the convoy as still to leave
  // ("who will be in the convoy"), and the coalition said it was to leave on Saturday. Recorded
  // before the coalition's written statement on purpose: both are "Saturday", ties go to the later
  // recorded, and a spokesman's no-comment must not stand as the coalition's word over its own
  // written position.
  statement(CLM.foreignFightersIncluded, {
    statementId: STM.dillonDeclined,
    sourceId: SRC.ryanDillon,
    stance: 'declined',
    quote: ar('لن يعلق على من سيكون في القافلة', 'he would not comment on who would be in the convoy'),
    statedAt: SATURDAY,
    via: VIA_OUTLET,
  }),
  // The coalition's statement (Saturday: the convoy "is scheduled to leave Saturday"). Logged only
  // now, after both "yes" statements on foreign fighters: the first denial.
  statement(CLM.foreignFightersIncluded, {
    statementId: STM.coalitionExcludesForeign,
    sourceId: SRC.coalition,
    stance: 'denies',
    quote: ar('وتستثني الإرهابيين الأجانب في تنظيم داعش', 'and exclude the foreign terrorists in ISIS'),
    statedAt: SATURDAY,
    via: VIA_COALITION_STATEMENT,
  }),
  statement(CLM.dateAgreed, {
    statementId: STM.coalitionDateAgreed,
    sourceId: SRC.coalition,
    stance: 'affirms',
    value: { date: '2017-10-12', precision: 'day' },
    quote: ar(
      'الترتيبات التي توسط فيها مجلس الرقة المدني وزعماء عشائر عرب في 12 أكتوبر',
      'the arrangements brokered by the Raqqa Civil Council and Arab tribal leaders on 12 October',
    ),
    statedAt: SATURDAY,
    via: VIA_COALITION_STATEMENT,
  }),
  statement(CLM.civilianEvacuation, {
    statementId: STM.coalitionCivilianEvacuation,
    sourceId: SRC.coalition,
    stance: 'affirms',
    value: true,
    quote: ar(
      'ووصف الترتيبات بأنها "إجلاء مدني"',
      'and it described the arrangements as a "civilian evacuation"',
    ),
    statedAt: SATURDAY,
    via: VIA_COALITION_STATEMENT,
  }),
  statement(CLM.coalitionWontCondone, {
    statementId: STM.coalitionWontCondone,
    sourceId: SRC.coalition,
    stance: 'affirms',
    value: true,
    quote: ar(
      'لن يتغاضى عن أي ترتيبات تتيح "للإرهابيين الهرب من الرقة دون مواجهة العدالة"',
      'it will not condone any arrangements that allow "terrorists to escape from Raqqa without facing justice"',
    ),
    statedAt: SATURDAY,
    via: VIA_COALITION_STATEMENT,
  }),
  // Talal Silo, "surrender or die": the seed gives no day. Saturday is inferred: it is set against
  // SOHR's Saturday-evening report, officials' accounts "conflicted on Saturday and Sunday
  // morning", and he named no date for evacuating the Syrian fighters, who left Saturday night.
  statement(CLM.foreignFightersIncluded, {
    statementId: STM.siloSurrenderOrDie,
    sourceId: SRC.talalSilo,
    stance: 'denies',
    quote: SILO_SURRENDER_OR_DIE,
    statedAt: SATURDAY,
    via: VIA_OUTLET,
  }),
  // Supersession within one voice. Silo's Saturday word (foreign fighters are left behind, so none
  // leave) is the SDF's position until Mustafa Bali, another SDF spokesman, says on Sunday that
  // "not all the foreign fighters have left under the withdrawal agreement". We read Bali as
  // affirming that some did: "not all" is how one says "some but not all"; had none left, "none"
  // was the word, and the outlet frames it amid conflicting reports on the foreigners' fate. Bali's
  // later-stated word becomes the SDF's, so the claim goes single-source (SDF: no) -> contested
  // (SDF: no, Raqqa Civil Council: yes) -> corroborated (SDF and council: yes).
  statement(CLM.someForeignFightersLeft, {
    statementId: STM.siloNoForeignLeave,
    sourceId: SRC.talalSilo,
    stance: 'denies',
    quote: SILO_SURRENDER_OR_DIE,
    statedAt: SATURDAY,
    via: VIA_OUTLET,
  }),
  statement(CLM.remainingNoChoice, {
    statementId: STM.siloRemainingSurrenderOrDie,
    sourceId: SRC.talalSilo,
    stance: 'affirms',
    value: true,
    quote: SILO_SURRENDER_OR_DIE,
    statedAt: SATURDAY,
    via: VIA_OUTLET,
  }),
  statement(CLM.battleContinues, {
    statementId: STM.dillonHardFighting,
    sourceId: SRC.ryanDillon,
    stance: 'affirms',
    value: true,
    quote: ar('يتوقع قتالا صعبا في الأيام القادمة', 'he expects hard fighting in the coming days'),
    statedAt: SATURDAY,
    via: VIA_OUTLET,
  }),
  // The tribal elders' statement: undated, but it speaks of the fighters' exit as still to come.
  statement(CLM.sdfAgreedSafePassage, {
    statementId: STM.eldersSafePassage,
    sourceId: SRC.tribalElders,
    stance: 'affirms',
    value: true,
    quote: ar(
      'قوات سوريا الديمقراطية وافقت على السماح بممر آمن لخروج مقاتلي داعش من المدينة، وإنها تضع "آلية" لمغادرتهم',
      'the Syrian Democratic Forces agreed to allow safe passage for ISIS fighters to leave the city, and they ' +
        'are putting in place a "mechanism" for their departure',
    ),
    statedAt: OCTOBER_2017,
    via: VIA_ELDERS_STATEMENT,
  }),
  statement(CLM.remainingNoChoice, {
    statementId: STM.eldersNoChoice,
    sourceId: SRC.tribalElders,
    stance: 'affirms',
    value: true,
    quote: ar(
      'المقاتلين الذين سيظلون في المدينة ليسوا سوى "عدد محدود محاصر في مكان أو أكثر في المدينة، وليس أمامهم أي خيار سوى الاستسلام أو الموت"',
      'the fighters who will remain in the city are nothing but "a limited number besieged in one or more places ' +
        'in the city, and they have no choice but to surrender or die"',
    ),
    statedAt: OCTOBER_2017,
    via: VIA_ELDERS_STATEMENT,
  }),
];

/** Sunday 15 October. */
const SUNDAY_STATEMENTS: readonly DemoStep[] = [
  statement(CLM.finalAssaultDate, {
    statementId: STM.sdfFinalPhase,
    sourceId: SRC.sdf,
    stance: 'affirms',
    value: { date: '2017-10-15', precision: 'day' },
    quote: ar(
      'أعلنت قوات سوريا الديمقراطية، الأحد، عن انطلاق الفصل الأخير أو المرحلة النهائية من معركة #الرقة',
      'the Syrian Democratic Forces announced on Sunday the launch of the final chapter, or the final phase, of ' +
        'the battle of #Raqqa',
    ),
    statedAt: SUNDAY,
    via: VIA_OUTLET,
  }),
  // Silo to Reuters, "later on Sunday". DEMO TRANSCRIPTION ERROR: first typed as 257 (digits
  // transposed); corrected to the quoted 275 by the correction step below.
  statement(CLM.syrianFightersLeft, {
    statementId: STM.siloSyrianLeft,
    sourceId: SRC.talalSilo,
    stance: 'affirms',
    value: { exact: 257 },
    quote: SILO_TO_REUTERS_275,
    statedAt: SUNDAY,
    via: VIA_REUTERS,
  }),
  statement(CLM.fightersRemaining, {
    statementId: STM.siloRemaining,
    sourceId: SRC.talalSilo,
    stance: 'affirms',
    value: { min: 200, max: 300 },
    quote: ar(
      'وتركوا خلفهم ما بين 200 و300 مقاتل معظمهم أجانب',
      'and left behind them between 200 and 300 fighters, most of them foreigners',
    ),
    statedAt: SUNDAY,
    via: VIA_REUTERS,
  }),
  statement(CLM.civiliansLeft, {
    statementId: STM.siloCiviliansLeft,
    sourceId: SRC.talalSilo,
    stance: 'affirms',
    value: { approx: 3000 },
    quote: ar('غادر قرابة 3 آلاف مدني', 'nearly 3,000 civilians left'),
    statedAt: SUNDAY,
    via: VIA_REUTERS,
  }),
  // "The spokesman Talal Silo said": the same Reuters report continues.
  statement(CLM.civiliansSafePassage, {
    statementId: STM.siloCiviliansSafePassage,
    sourceId: SRC.talalSilo,
    stance: 'affirms',
    value: true,
    quote: ar(
      'تم توفير ممر آمن لجميع المدنيين تقريباً في الجيب الذي يسيطر عليه داعش في الرقة في إطار الاتفاق',
      'safe passage was provided to almost all the civilians in the pocket controlled by ISIS in Raqqa under ' +
        'the agreement',
    ),
    statedAt: SUNDAY,
    via: VIA_REUTERS,
  }),
  statement(CLM.convoyInSdfAreas, {
    statementId: STM.siloConvoyInSdfAreas,
    sourceId: SRC.talalSilo,
    stance: 'affirms',
    value: true,
    quote: ar(
      'بحلول صباح اليوم كانت القافلة لا تزال داخل المناطق التي تسيطر عليها قوات سوريا الديمقراطية',
      'by this morning the convoy was still inside the areas controlled by the Syrian Democratic Forces',
    ),
    statedAt: SUNDAY,
    via: VIA_REUTERS,
  }),
  // Alloush on Sunday: he cannot confirm how many were evacuated "since Saturday".
  statement(CLM.someForeignFightersLeft, {
    statementId: STM.alloushSomeForeignLeft,
    sourceId: SRC.omarAlloush,
    stance: 'affirms',
    value: true,
    quote: ar('قسما من الأجانب خرجوا', 'some of the foreigners have left'),
    statedAt: SUNDAY,
    via: VIA_OUTLET,
  }),
  statement(CLM.fightersEvacuatedSinceSaturday, {
    statementId: STM.alloushCountUnconfirmed,
    sourceId: SRC.omarAlloush,
    stance: 'uncertain',
    quote: ALLOUSH_COULD_NOT_CONFIRM,
    statedAt: SUNDAY,
    via: VIA_OUTLET,
  }),
  statement(CLM.evacueesDestination, {
    statementId: STM.alloushDestinationUnconfirmed,
    sourceId: SRC.omarAlloush,
    stance: 'uncertain',
    quote: ALLOUSH_COULD_NOT_CONFIRM,
    statedAt: SUNDAY,
    via: VIA_OUTLET,
  }),
  // "An SDF spokesman told Reuters on Sunday ... the spokesman Mustafa Bali added".
  statement(CLM.fightersLeftOvernight, {
    statementId: STM.baliLeftOvernight,
    sourceId: SRC.mustafaBali,
    stance: 'affirms',
    value: true,
    quote: BALI_LEFT_OVERNIGHT,
    statedAt: SUNDAY,
    via: VIA_REUTERS,
  }),
  statement(CLM.humanShieldsTaken, {
    statementId: STM.baliHumanShields,
    sourceId: SRC.mustafaBali,
    stance: 'affirms',
    value: true,
    quote: BALI_LEFT_OVERNIGHT,
    statedAt: SUNDAY,
    via: VIA_REUTERS,
  }),
  // Supersedes Silo's Saturday denial as the SDF's position (see above).
  statement(CLM.someForeignFightersLeft, {
    statementId: STM.baliNotAllForeignLeft,
    sourceId: SRC.mustafaBali,
    stance: 'affirms',
    value: true,
    quote: ar(
      'ولم يغادر كل المقاتلين الأجانب بموجب اتفاق الانسحاب',
      'and not all the foreign fighters have left under the withdrawal agreement',
    ),
    statedAt: SUNDAY,
    via: VIA_REUTERS,
  }),
  statement(CLM.battleContinues, {
    statementId: STM.baliFightingContinues,
    sourceId: SRC.mustafaBali,
    stance: 'affirms',
    value: true,
    quote: ar(
      'قوات سوريا الديمقراطية تواصل القتال ضد فلول داعش الذين لا يزالون في المدينة',
      'the Syrian Democratic Forces are continuing to fight the remnants of ISIS who are still in the city',
    ),
    statedAt: SUNDAY,
    via: VIA_REUTERS,
  }),
  // A second statement by the same person on the same claim: the later recorded is his position.
  statement(CLM.fightersLeftOvernight, {
    statementId: STM.baliLastBatch,
    sourceId: SRC.mustafaBali,
    stance: 'affirms',
    value: true,
    quote: ar(
      'الليلة الماضية غادرت الدفعة الأخيرة من المقاتلين الذين وافقوا على الرحيل',
      'last night the last batch of the fighters who agreed to leave departed',
    ),
    statedAt: SUNDAY,
    via: VIA_REUTERS,
  }),
  // The outlet's own voice: the headline, and its unattributed narration.
  statement(CLM.fightersRemaining, {
    statementId: STM.outletHeadline,
    sourceId: SRC.outlet,
    stance: 'affirms',
    // As printed: 300, no hedge. It overlaps Silo's 200-300, so the two are compatible.
    value: { exact: 300 },
    quote: ar('300 داعشي أجنبي باقون بالمدينة', '300 foreign ISIS members remain in the city'),
    statedAt: SUNDAY,
    via: VIA_OUTLET,
  }),
  statement(CLM.dateAgreed, {
    statementId: STM.outletDateAgreed,
    sourceId: SRC.outlet,
    stance: 'affirms',
    value: { date: '2017-10-12', precision: 'day' },
    quote: ar('الصفقة (التي أقرت في 12 أكتوبر)', 'the deal (which was approved on 12 October)'),
    statedAt: SUNDAY,
    via: VIA_OUTLET,
  }),
  statement(CLM.syrianPartCompleted, {
    statementId: STM.outletSyrianPartCompleted,
    sourceId: SRC.outlet,
    stance: 'affirms',
    value: true,
    quote: ar(
      'وجرى استكمال تطبيقها ليل السبت واليوم الأحد من أجل إخراج عناصر داعش السوريين',
      'and its implementation was completed on Saturday night and today, Sunday, in order to get the Syrian ISIS ' +
        'members out',
    ),
    statedAt: SUNDAY,
    via: VIA_OUTLET,
  }),
  statement(CLM.finalAssaultDate, {
    statementId: STM.outletFinalAssault,
    sourceId: SRC.outlet,
    stance: 'affirms',
    value: { date: '2017-10-15', precision: 'day' },
    quote: OUTLET_FINAL_ASSAULT,
    statedAt: SUNDAY,
    via: VIA_OUTLET,
  }),
  statement(CLM.fightersLeftOvernight, {
    statementId: STM.outletConvoyLeftOvernight,
    sourceId: SRC.outlet,
    stance: 'affirms',
    value: true,
    quote: OUTLET_FINAL_ASSAULT,
    statedAt: SUNDAY,
    via: VIA_OUTLET,
  }),
];

/** Our own transcription error, put right; the original stays in history. */
const CORRECTIONS: readonly DemoStep[] = [
  {
    op: 'correctStatement',
    claimId: CLM.syrianFightersLeft,
    statementId: STM.siloSyrianLeft,
    body: {
      changes: { value: { exact: 275 } },
      reason: 'Transcription error: the digits were transposed when typing (257). The quote says 275.',
    },
  },
];

/** The desk's verdict on the contested claim, resting on every statement about it. */
const VERDICTS: readonly DemoStep[] = [
  {
    op: 'issueVerdict',
    claimId: CLM.foreignFightersIncluded,
    body: {
      verdictId: VRD.foreignFightersIncluded,
      rating: 'unverifiable',
      rationale:
        'As of 15 October 2017 the parties contradict each other and nothing independent settles it. The Raqqa ' +
        'Civil Council official Omar Alloush (to AFP) and the Syrian Observatory for Human Rights say foreign ' +
        'fighters are included (SOHR: that part is delayed); the coalition statement says the arrangement excludes ' +
        'foreign terrorists, and SDF spokesman Talal Silo says they will be left to surrender or die; the coalition ' +
        'spokesman, Col. Ryan Dillon, would not say who is in the convoy.',
      evidence: [
        STM.alloushForeignIncluded,
        STM.sohrForeignIncluded,
        STM.coalitionExcludesForeign,
        STM.siloSurrenderOrDie,
        STM.dillonDeclined,
      ],
    },
  },
];

/** The whole demo, in order. */
export const RAQQA_DEMO: readonly DemoStep[] = [
  ...SOURCES,
  ...CLAIMS,
  ...SATURDAY_STATEMENTS,
  ...SUNDAY_STATEMENTS,
  ...CORRECTIONS,
  ...VERDICTS,
];
