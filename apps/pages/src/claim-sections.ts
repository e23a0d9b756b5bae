import { h, inLanguage, svg } from './dom';
import { formatStance, formatStatedAt, formatUtc, formatValue, STANCE_LABEL, STATUS_LABEL } from './format';
import { conflictLine, latestFigureLine, statusBadge } from './story-page';
import { relaysText, translatedFromText } from './mark-detail';
import { shape } from './timeline-chart';
import type { StatementMark } from './timeline-model';
import type { ClaimView, TimelineEntry } from './view-types';

/** The parts of the claim page around the chart: state at the cut, the band, the table, the legend. */
export interface Cut {
  /** Index into the timeline entries; the last one is "now". */
  index: number;
  statedBefore?: string;
}

export function renderState(
  box: HTMLElement,
  view: ClaimView,
  cut: Cut,
  entry: TimelineEntry | undefined,
  name: (id: string, fallback?: string) => string,
): void {
  const cutText = [
    entry && cut.index >= 0 ? `as known after position ${entry.position}` : '',
    cut.statedBefore ? `said before ${formatUtc(cut.statedBefore)}` : '',
  ].filter(Boolean);
  box.replaceChildren(
    h(
      'p',
      { class: 'status-line' },
      h('span', { id: 'claim-status', 'data-status': view.status }, statusBadge(view.status)),
      cutText.length > 0 ? h('span', { class: 'cut' }, ` — ${cutText.join(', ')}`) : null,
    ),
    view.agreedValue !== undefined && view.agreedValue !== null
      ? h(
          'p',
          {},
          'Agreed value: ',
          h('strong', {}, formatValue(view.agreedValue, view.valueKind, view.unit)),
        )
      : '',
    view.latestFigure ? latestFigureLine(view, view.latestFigure) : '',
    view.mergedInto
      ? h(
          'p',
          { class: 'merged' },
          'Merged: its statements now count in ',
          h('a', { href: `/ui/claims/${encodeURIComponent(view.mergedInto)}` }, 'the surviving claim'),
          '.',
        )
      : '',
    ...view.conflicts.map((conflict) => conflictLine(conflict, view, name)),
    view.verdict
      ? h(
          'details',
          { class: 'verdict' },
          h('summary', {}, 'Verdict: ', h('strong', {}, view.verdict.rating)),
          h('p', {}, view.verdict.rationale),
        )
      : h('p', { class: 'verdict none' }, 'No verdict.'),
  );
}

export function renderBand(
  band: HTMLElement,
  entries: TimelineEntry[],
  chosen: number,
  choose: (index: number) => void,
) {
  band.replaceChildren(
    ...entries.map((entry, index) => {
      const { label, symbol } = STATUS_LABEL[entry.statusAfter];
      const button = h(
        'button',
        {
          type: 'button',
          class: `band-step status-${entry.statusAfter}`,
          'data-position': entry.position,
          'data-status': entry.statusAfter,
          'aria-pressed': index === chosen ? 'true' : 'false',
          'aria-label': `Position ${entry.position}: ${entry.type}, then ${label}`,
          title: `Position ${entry.position} · ${entry.type} · ${formatUtc(entry.recordedAt)} → ${label}`,
        },
        h('span', { class: 'band-symbol', 'aria-hidden': 'true' }, symbol),
        h('span', { class: 'band-position', 'aria-hidden': 'true' }, entry.position),
      );
      button.addEventListener('click', () => choose(index));
      return h('li', {}, button);
    }),
  );
}

export function renderStatements(
  box: HTMLElement,
  marks: StatementMark[],
  view: ClaimView,
  name: (id: string, fallback?: string) => string,
): void {
  const rows = marks.map((mark) => {
    const quote = mark.fields.quote;
    const state = mark.retracted ? 'retracted' : mark.superseded ? 'superseded' : 'live';
    return h(
      'tr',
      {
        class: `statement ${state}${mark.corrections.length > 0 ? ' corrected' : ''}`,
        'data-statement-id': mark.statementId,
      },
      h('td', {}, name(mark.voice)),
      h('td', {}, name(mark.fields.sourceId), mark.relays ? `, ${relaysText(mark, name)}` : ''),
      h(
        'td',
        { class: `stance stance-${mark.stance}` },
        svg(
          'svg',
          { width: 16, height: 16, viewBox: '-9 -9 18 18', 'aria-hidden': 'true' },
          shape(mark.stance, 6),
        ),
        ` ${formatStance(mark.stance, mark.fields.value, view.valueKind, view.unit)}`,
      ),
      h('td', {}, formatStatedAt(mark.fields.statedAt)),
      h(
        'td',
        { class: 'quote' },
        inLanguage(quote.text, quote.language, 'quote-original', 'blockquote'),
        quote.translatedFrom
          ? h('p', { class: 'translated-from' }, translatedFromText(quote.translatedFrom))
          : '',
        quote.translation
          ? inLanguage(quote.translation.text, quote.translation.language, 'quote-translation', 'p')
          : '',
      ),
      h(
        'td',
        {},
        [stateText(mark), mark.corrections.length > 0 ? 'corrected' : ''].filter(Boolean).join(', '),
      ),
    );
  });
  box.replaceChildren(
    h('h2', { id: 'statements-title' }, `Statements at this cut (${marks.length})`),
    h(
      'table',
      {},
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...['Voice', 'Source', 'Stance', 'Said', 'Quote', 'State'].map((title) =>
            h('th', { scope: 'col' }, title),
          ),
        ),
      ),
      h('tbody', {}, ...rows),
    ),
  );
}

/** "retracted (outlet-corrected; fault of the channel)": why, and whose error it was when said. */
function stateText(mark: StatementMark): string {
  if (!mark.retracted) return mark.superseded ? 'superseded' : 'live';
  const why = [
    typeof mark.retractionReason === 'string' ? mark.retractionReason : '',
    mark.retractionFault ? `fault of the ${mark.retractionFault}` : '',
  ].filter(Boolean);
  return why.length > 0 ? `retracted (${why.join('; ')})` : 'retracted';
}

export function legend(): HTMLElement {
  const stances = (Object.keys(STANCE_LABEL) as (keyof typeof STANCE_LABEL)[]).map((stance) => {
    const icon = svg(
      'svg',
      { width: 18, height: 18, viewBox: '-9 -9 18 18', 'aria-hidden': 'true' },
      shape(stance, 6),
    );
    return h('li', { class: `stance-${stance}` }, icon, ` ${STANCE_LABEL[stance].label}`);
  });
  return h(
    'ul',
    { class: 'legend', 'aria-label': 'Legend' },
    ...stances,
    h('li', { class: 'legend-superseded' }, 'grey, arrow → superseded by'),
    h('li', { class: 'legend-retracted' }, h('s', {}, 'struck through'), ' retracted'),
    h('li', {}, '✎ corrected'),
    h('li', { class: 'legend-conflict' }, 'red dashed link: conflict'),
  );
}

export function readCutFromUrl(entries: TimelineEntry[]): { index?: number; statedBefore?: string } {
  const params = new URLSearchParams(location.search);
  const asOf = params.get('asOfPosition');
  const stated = params.get('statedBefore') ?? undefined;
  let index: number | undefined;
  if (asOf !== null && /^\d+$/.test(asOf)) {
    const wanted = BigInt(asOf);
    const at = entries.findLastIndex((entry) => BigInt(entry.position) <= wanted);
    index = at >= 0 ? at : 0;
  }
  return {
    index,
    statedBefore: stated && !Number.isNaN(Date.parse(stated)) ? new Date(stated).toISOString() : undefined,
  };
}

export function writeCutToUrl(query: URLSearchParams): void {
  const search = query.size === 0 ? '' : `?${query.toString()}`;
  if (location.search !== search) history.replaceState(null, '', `${location.pathname}${search}`);
}
