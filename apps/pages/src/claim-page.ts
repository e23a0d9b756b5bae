import { getAllPages, getJson, getSource } from './api';
import { h, inLanguage } from './dom';
import { formatUtc, shortName } from './format';
import {
  type Cut,
  legend,
  readCutFromUrl,
  renderBand,
  renderState,
  renderStatements,
  writeCutToUrl,
} from './claim-sections';
import { followClaim, liveText, type LiveState } from './live-feed';
import { MarkDetail, relaysText } from './mark-detail';
import { drawTimeline, precisionEnd } from './timeline-chart';
import { laneOrder, marksAt } from './timeline-model';
import type { ClaimView, Source, StatementFields, Timeline, TimelineEntry } from './view-types';

/**
 * GET /ui/claims/{claimId}: the claim along stated time (lanes of voices) over a band of its status
 * along recorded time. The slider (or a click on the band) picks a recorded position, the date
 * field a stated-time cut; both are read from the API as `asOfPosition` and `statedBefore`.
 */
export async function claimPage(root: HTMLElement, claimId: string): Promise<void> {
  const base = `/claims/${encodeURIComponent(claimId)}`;
  let { current, entries } = await readClaim(base);
  const sources = await loadSources(entries, new Map());
  const source = (id: string) => sources.get(id);
  const name = (id: string, fallback = id) => shortName(source(id), fallback);
  const voiceOfSource = (sourceId: string, basis: StatementFields['basis']): string => {
    if (basis && 'sourceId' in basis) return source(basis.sourceId)?.voice ?? basis.sourceId;
    if (basis && 'statementId' in basis) {
      const relayed = entries.find((entry) => entry.statementId === basis.statementId)?.statement;
      if (relayed) return source(relayed.sourceId)?.voice ?? relayed.sourceId;
    }
    return source(sourceId)?.voice ?? sourceId;
  };

  // The axis and lanes of the whole history, so nothing moves but what the cut changes.
  let lanes: string[] = [];
  let domain: [Date, Date] = paddedDomain([]);
  const frame = () => {
    const all = marksAt(entries, current, {}, voiceOfSource);
    lanes = laneOrder(all);
    domain = paddedDomain(
      all.flatMap((mark) => [Date.parse(mark.fields.statedAt.at), precisionEnd(mark.fields.statedAt)]),
    );
  };
  frame();

  document.title = `${current.proposition.text} · Newsroom ledger`;
  const crumbs = document.getElementById('crumbs');
  crumbs?.replaceChildren(
    h(
      'a',
      { href: `/ui/stories/${encodeURIComponent(current.storyId)}` },
      'Story ',
      h('bdi', {}, current.storyId),
    ),
  );

  const heading = h(
    'h1',
    {},
    inLanguage(current.proposition.text, current.proposition.language, 'proposition'),
  );
  const state = h('div', { class: 'claim-state', id: 'claim-state' });
  const slider = h('input', {
    type: 'range',
    id: 'as-of',
    min: 0,
    max: Math.max(0, entries.length - 1),
    step: 1,
    value: Math.max(0, entries.length - 1),
  });
  const sliderText = h('output', { id: 'as-of-text', for: 'as-of' });
  const statedBefore = h('input', { type: 'datetime-local', id: 'stated-before', step: 60 });
  const clearStated = h('button', { type: 'button', id: 'stated-before-clear' }, 'Any time');
  const band = h('ol', {
    class: 'status-band',
    id: 'status-band',
    'aria-label': "The claim's status after each recorded event",
  });
  const chartBox = h('div', { class: 'chart-box', id: 'chart' });
  // The detail sits outside the scrolling box, which would clip it under a one-lane chart.
  const chartFrame = h('div', { class: 'chart-frame' }, chartBox);
  const detail = new MarkDetail(
    (mark) => ({
      source: `${name(mark.fields.sourceId)} (${name(mark.voice)})`,
      via: mark.fields.via ? `via ${mark.fields.via.outlet} (${mark.fields.via.kind})` : undefined,
      relays: relaysText(mark, name),
    }),
    chartFrame,
  );
  chartFrame.append(detail.element);
  const statements = h('section', { class: 'statements', 'aria-labelledby': 'statements-title' });
  const live = h('span', { class: 'live-state', id: 'live-state', role: 'status' });

  root.replaceChildren(
    heading,
    state,
    h(
      'section',
      { class: 'controls', 'aria-label': 'Time controls' },
      h(
        'div',
        { class: 'control' },
        h('label', { for: 'as-of' }, 'Recorded time: as the ledger knew it after event'),
        slider,
        sliderText,
      ),
      h(
        'div',
        { class: 'control' },
        h('label', { for: 'stated-before' }, 'Stated time: only what was said before (UTC)'),
        statedBefore,
        clearStated,
      ),
      live,
    ),
    h('h2', { id: 'chart-title' }, 'Who said what, when'),
    legend(),
    chartFrame,
    h('h2', { id: 'band-title' }, 'Status along recorded time'),
    band,
    statements,
  );

  const initial = readCutFromUrl(entries);
  const cut: Cut = { index: initial.index ?? entries.length - 1, statedBefore: initial.statedBefore };
  slider.value = String(cut.index);
  if (cut.statedBefore) statedBefore.value = cut.statedBefore.slice(0, 16);

  /** The slider's range and text and the status band: all that new events change at a chosen cut. */
  const renderControls = () => {
    const entry = entries[cut.index];
    const position = entry ? `position ${entry.position}` : 'no events';
    const text = `${cut.index + 1} of ${entries.length} (${position}${entry ? `, ${entry.type}, recorded ${formatUtc(entry.recordedAt)}` : ''})`;
    slider.max = String(Math.max(0, entries.length - 1));
    slider.value = String(cut.index);
    sliderText.textContent = cut.index === entries.length - 1 ? `${text} — now` : text;
    slider.setAttribute('aria-valuetext', `${text}: ${entry?.statusAfter ?? ''}`);
    renderBand(band, entries, cut.index, (index) => {
      cut.index = index;
      void redraw();
    });
  };

  let drawing = 0;
  const redraw = async () => {
    const mine = ++drawing;
    const entry = entries[cut.index];
    const latest = cut.index === entries.length - 1;
    const query = new URLSearchParams();
    if (!latest && entry) query.set('asOfPosition', entry.position);
    if (cut.statedBefore) query.set('statedBefore', cut.statedBefore);
    const view = query.size === 0 ? current : await getJson<ClaimView>(`${base}?${query.toString()}`);
    if (mine !== drawing) return; // a later cut was asked for meanwhile
    writeCutToUrl(query);
    const marks = marksAt(
      entries,
      view,
      { position: latest ? undefined : entry && BigInt(entry.position), statedBefore: cut.statedBefore },
      voiceOfSource,
    );
    renderControls();
    renderState(state, view, cut, entry, name);
    const width = Math.max(720, chartBox.clientWidth || 960);
    chartBox.replaceChildren(
      drawTimeline(
        {
          marks,
          view,
          domain,
          lanes,
          laneName: (voice) => ({ short: name(voice), original: source(voice)?.name }),
          sourceName: (id) => name(id),
          width,
        },
        detail,
      ),
    );
    detail.element.hidden = true;
    renderStatements(statements, marks, view, name);
  };

  slider.addEventListener('input', () => {
    cut.index = Number(slider.value);
    void redraw();
  });
  statedBefore.addEventListener('change', () => {
    cut.statedBefore = statedBefore.value ? new Date(`${statedBefore.value}Z`).toISOString() : undefined;
    void redraw();
  });
  clearStated.addEventListener('click', () => {
    statedBefore.value = '';
    cut.statedBefore = undefined;
    void redraw();
  });
  await redraw();

  // Live: at the present (no cut chosen) the page follows the claim; at a cut, the cut stays put
  // and new events only lengthen the band and the slider's range.
  let following: Promise<void> = Promise.resolve();
  const follow = async () => {
    const next = await readClaim(base);
    await loadSources(next.entries, sources);
    const present = cut.index === entries.length - 1 && cut.statedBefore === undefined;
    ({ current, entries } = next);
    if (!present) return renderControls();
    cut.index = entries.length - 1;
    frame();
    await redraw();
  };
  followClaim(claimId, {
    after: entries.reduce((latest, entry) => maxPosition(latest, entry.position), current.position),
    onChange: () => {
      following = following.then(follow, follow);
    },
    onState: (liveState: LiveState) => {
      live.textContent = liveText(liveState, 'reload the page');
      live.dataset.state = liveState;
    },
  });
}

async function readClaim(base: string): Promise<{ current: ClaimView; entries: TimelineEntry[] }> {
  const [current, entries] = await Promise.all([
    getJson<ClaimView>(base),
    getAllPages<TimelineEntry>(`${base}/timeline?limit=1000`, (body) => {
      const page = body as Timeline;
      return { items: page.entries, nextCursor: page.nextCursor };
    }),
  ]);
  return { current, entries };
}

const maxPosition = (a: string, b: string): string => (BigInt(b) > BigInt(a) ? b : a);

/** The sources the statements name (and their voices), added to `found`: only the new ones are read. */
async function loadSources(
  entries: TimelineEntry[],
  found: Map<string, Source | undefined>,
): Promise<Map<string, Source | undefined>> {
  const fetchAll = async (ids: Iterable<string>) => {
    const missing = [...new Set(ids)].filter((id) => !found.has(id));
    const read = await Promise.all(missing.map(async (id) => [id, await getSource(id)] as const));
    for (const [id, source] of read) found.set(id, source);
  };
  await fetchAll(
    entries.flatMap((entry) => {
      const statement = entry.statement;
      if (!statement) return [];
      const basis = statement.basis && 'sourceId' in statement.basis ? [statement.basis.sourceId] : [];
      return [statement.sourceId, ...basis];
    }),
  );
  // The voices: the organizations at the top of each chain, named on the lanes.
  await fetchAll([...found.values()].flatMap((source) => (source?.voice ? [source.voice] : [])));
  return found;
}

function paddedDomain(times: number[]): [Date, Date] {
  if (times.length === 0) return [new Date(Date.now() - 86_400_000), new Date()];
  const low = Math.min(...times);
  const high = Math.max(...times);
  const pad = Math.max((high - low) * 0.04, 3 * 3_600_000);
  return [new Date(low - pad), new Date(high + pad)];
}
