import { getAllPages, getSource } from './api';
import { h, inLanguage } from './dom';
import {
  formatSideValue,
  formatStatedAt,
  isStatedAt,
  formatValue,
  fullName,
  plural,
  shortName,
  STATUS_LABEL,
  STATUS_ORDER,
} from './format';
import { followStory, liveText, type LiveState } from './live-feed';
import type { ClaimStatus, ClaimSummary, Conflict, Source } from './view-types';

interface Filters {
  status: ClaimStatus | '';
  sourceId: string;
}

/**
 * GET /ui/stories/{storyId}: the story's claims as cards grouped by status, contested first.
 * Filters go to the API (`status`, `sourceId`), so "by source" means every claim the source made a
 * statement on, not only those where it holds a position.
 */
export async function storyPage(root: HTMLElement, storyId: string): Promise<void> {
  const filters: Filters = { status: '', sourceId: '' };
  const heading = h('h1', {}, 'Story ', h('bdi', {}, storyId));
  const summary = h('p', { class: 'summary', id: 'story-summary' });
  const statusSelect = h(
    'select',
    { id: 'filter-status', name: 'status' },
    h('option', { value: '' }, 'All statuses'),
    ...STATUS_ORDER.map((status) => h('option', { value: status }, STATUS_LABEL[status].label)),
  );
  const sourceSelect = h(
    'select',
    { id: 'filter-source', name: 'source' },
    h('option', { value: '' }, 'All sources'),
  );
  const refresh = h('button', { type: 'button', id: 'refresh' }, 'Refresh');
  const live = h('span', { class: 'live-state', id: 'live-state', role: 'status' });
  const toolbar = h(
    'form',
    { class: 'toolbar', 'aria-label': 'Filter the claims' },
    h('label', { for: 'filter-status' }, 'Status'),
    statusSelect,
    h('label', { for: 'filter-source' }, 'Source'),
    sourceSelect,
    refresh,
    live,
  );
  const groups = h('div', { id: 'claim-groups' });
  root.replaceChildren(heading, summary, toolbar, groups);

  let loading: Promise<void> | undefined;
  /** The newest event the cards show: the live feed starts after it. */
  let latestPosition: string | undefined;
  const load = async (): Promise<void> => {
    groups.setAttribute('aria-busy', 'true');
    const query = new URLSearchParams({ storyId, limit: '200' });
    if (filters.status) query.set('status', filters.status);
    if (filters.sourceId) query.set('sourceId', filters.sourceId);
    const claims = await getAllPages<ClaimSummary>(`/claims?${query.toString()}`, (body) => body as never);
    const names = await sourcesOf(claims);
    for (const claim of claims) {
      if (latestPosition === undefined || BigInt(claim.position) > BigInt(latestPosition)) {
        latestPosition = claim.position;
      }
    }
    if (!filters.status && !filters.sourceId) fillSourceOptions(sourceSelect, names);
    groups.replaceChildren(...renderGroups(claims, names));
    summary.textContent = `${claims.length} claim${claims.length === 1 ? '' : 's'}${
      filters.status || filters.sourceId ? ' match the filters' : ''
    } · updated ${new Date().toLocaleTimeString('en-GB')}`;
    groups.removeAttribute('aria-busy');
  };
  const reload = (): Promise<void> => {
    // One load at a time; a change during a load loads again after it.
    loading = (loading ?? Promise.resolve()).then(load, load);
    return loading;
  };

  statusSelect.addEventListener('change', () => {
    filters.status = statusSelect.value as Filters['status'];
    void reload();
  });
  sourceSelect.addEventListener('change', () => {
    filters.sourceId = sourceSelect.value;
    void reload();
  });
  refresh.addEventListener('click', () => void reload());
  toolbar.addEventListener('submit', (event) => event.preventDefault());

  await reload();
  followStory(storyId, {
    after: latestPosition,
    onChange: () => void reload(),
    onState: (state: LiveState) => {
      live.textContent = liveText(state, 'use Refresh');
      live.dataset.state = state;
    },
  });
}

/** Every source a card names (the voices, and who holds each position), read once. */
async function sourcesOf(claims: ClaimSummary[]): Promise<Map<string, Source | undefined>> {
  const ids = new Set<string>();
  for (const claim of claims) {
    for (const voice of claim.voices) ids.add(voice.voice).add(voice.sourceId);
  }
  const entries = await Promise.all([...ids].map(async (id) => [id, await getSource(id)] as const));
  return new Map(entries);
}

function fillSourceOptions(select: HTMLSelectElement, names: Map<string, Source | undefined>): void {
  const chosen = select.value;
  const options = [...names.entries()]
    .filter((entry): entry is [string, Source] => entry[1] !== undefined)
    .map(([id, source]) => ({ id, label: fullName(source, id) }))
    .sort((a, b) => a.label.localeCompare(b.label));
  select.replaceChildren(
    h('option', { value: '' }, 'All sources'),
    ...options.map((option) => h('option', { value: option.id }, option.label)),
  );
  select.value = chosen;
}

function renderGroups(claims: ClaimSummary[], names: Map<string, Source | undefined>): HTMLElement[] {
  if (claims.length === 0) return [h('p', { class: 'empty' }, 'No claims.')];
  return STATUS_ORDER.flatMap((status) => {
    const inGroup = claims.filter((claim) => claim.status === status);
    if (inGroup.length === 0) return [];
    const id = `group-${status}`;
    return [
      h(
        'section',
        { class: `group status-${status}`, 'aria-labelledby': id, 'data-status': status },
        h('h2', { id }, statusBadge(status), ` (${inGroup.length})`),
        h('ul', { class: 'cards' }, ...inGroup.map((claim) => h('li', {}, card(claim, names)))),
      ),
    ];
  });
}

export function statusBadge(status: ClaimStatus): HTMLElement {
  const { label, symbol } = STATUS_LABEL[status];
  return h(
    'span',
    { class: `badge status-${status}`, 'data-status': status },
    h('span', { 'aria-hidden': 'true' }, symbol),
    ` ${label}`,
  );
}

function card(claim: ClaimSummary, names: Map<string, Source | undefined>): HTMLElement {
  const name = (id: string, fallback = id) => shortName(names.get(id), fallback);
  const asserted = claim.values.map((entry) =>
    h(
      'li',
      {},
      h('strong', {}, formatValue(entry.value, claim.valueKind, claim.unit)),
      // A varying claim's figures each describe a moment.
      isStatedAt(entry.asOf) ? ` (as of ${formatStatedAt(entry.asOf)})` : '',
      ' — ',
      entry.voices.map((voice) => name(voice, voiceName(claim, voice))).join(', '),
    ),
  );
  const others = claim.voices.filter((voice) => voice.stance === 'uncertain' || voice.stance === 'declined');
  return h(
    'article',
    { class: `card status-${claim.status}`, 'data-claim-id': claim.claimId, 'data-status': claim.status },
    h(
      'h3',
      {},
      h(
        'a',
        { href: `/ui/claims/${encodeURIComponent(claim.claimId)}` },
        inLanguage(claim.proposition.text, claim.proposition.language, 'proposition'),
      ),
    ),
    claim.proposition.translation
      ? inLanguage(
          claim.proposition.translation.text,
          claim.proposition.translation.language,
          'translation',
          'p',
        )
      : null,
    h(
      'p',
      { class: 'card-status' },
      statusBadge(claim.status),
      ` · ${plural(claim.statementCount, 'statement')}`,
    ),
    claim.latestFigure ? latestFigureLine(claim, claim.latestFigure) : null,
    asserted.length > 0
      ? h('ul', { class: 'values', 'aria-label': 'Values and the voices behind them' }, ...asserted)
      : null,
    others.length > 0
      ? h(
          'p',
          { class: 'others' },
          others.map((voice) => `${name(voice.voice, voice.voiceName)}: ${voice.stance}`).join('; '),
        )
      : null,
    ...claim.conflicts.map((conflict) => conflictLine(conflict, claim, name)),
    claim.verdict
      ? h(
          'details',
          { class: 'verdict' },
          h('summary', {}, 'Verdict: ', h('strong', {}, claim.verdict.rating)),
          h('p', {}, claim.verdict.rationale),
        )
      : null,
    claim.mergedInto
      ? h(
          'p',
          {},
          'Merged into ',
          h('a', { href: `/ui/claims/${encodeURIComponent(claim.mergedInto)}` }, 'another claim'),
        )
      : null,
  );
}

/** A varying claim's figure of the latest moment: "Latest figure: 3,000 fighters (as of …)". */
export function latestFigureLine(
  claim: Pick<ClaimSummary, 'valueKind' | 'unit'>,
  figure: NonNullable<ClaimSummary['latestFigure']>,
): HTMLElement {
  return h(
    'p',
    { class: 'latest-figure' },
    'Latest figure: ',
    h('strong', {}, formatValue(figure.value, claim.valueKind, claim.unit)),
    isStatedAt(figure.asOf) ? ` (as of ${formatStatedAt(figure.asOf)})` : '',
  );
}

const voiceName = (claim: ClaimSummary, voice: string): string =>
  claim.voices.find((entry) => entry.voice === voice)?.voiceName ?? voice;

/** One conflict in one line: "SDF, US-led coalition: no — Raqqa Civil Council, SOHR: yes". */
export function conflictLine(
  conflict: Conflict,
  claim: Pick<ClaimSummary, 'valueKind' | 'unit'>,
  name: (id: string, fallback?: string) => string,
): HTMLElement {
  const side = (which: Conflict['a']) =>
    `${which.voices.map((voice) => name(voice.voice, voice.voiceName)).join(', ')}: ${formatSideValue(which, claim.valueKind, claim.unit)}`;
  return h(
    'p',
    { class: 'conflict' },
    h('span', { class: 'conflict-mark', 'aria-hidden': 'true' }, '⚡ '),
    h('span', { class: 'visually-hidden' }, 'Conflict: '),
    `${side(conflict.a)} — ${side(conflict.b)}`,
  );
}
