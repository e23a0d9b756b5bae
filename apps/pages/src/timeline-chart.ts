import { scaleTime } from 'd3-scale';
import { svg } from './dom';
import { formatStance, formatStatedAt, STANCE_LABEL } from './format';
import { type MarkDetail, relaysText } from './mark-detail';
import { conflictLinks, laneOrder, type StatementMark } from './timeline-model';
import type { ClaimView, Stance, StatedAt } from './view-types';

export interface ChartInput {
  marks: StatementMark[];
  view: Pick<ClaimView, 'conflicts' | 'valueKind' | 'unit'>;
  /** The stated-time axis: the same at every cut, so marks stay put while the cut moves. */
  domain: [Date, Date];
  /** Every voice that ever spoke on the claim, in lane order; lanes empty at this cut stay drawn. */
  lanes: string[];
  laneName: (voice: string) => { short: string; original?: string };
  sourceName: (sourceId: string) => string;
  width: number;
}

const MARGIN = { top: 34, right: 24, bottom: 12, left: 230 };
const ROW = 30;
const LANE_PAD = 10;
/** Room a mark's label takes; closer marks of one lane go on another row. */
const MARK_ROOM = 150;
/** A generous width of one label character at 12px, to tell whether a label fits. */
const LABEL_CHAR = 7;
const SPAN_MS: Record<string, number> = {
  minute: 60_000,
  hour: 3_600_000,
  'part-of-day': 6 * 3_600_000,
  day: 86_400_000,
  month: 31 * 86_400_000,
  year: 366 * 86_400_000,
};

const clip = (text: string, length: number): string =>
  text.length <= length ? text : `${text.slice(0, length - 1)}…`;

export const precisionEnd = (statedAt: StatedAt): number =>
  Date.parse(statedAt.at) + (SPAN_MS[statedAt.precision] ?? 0);

/**
 * One lane per voice along stated time; each statement a mark whose colour, shape and label all
 * say its stance; superseded marks grey with an arrow to their replacement, retracted ones struck
 * through, corrected ones flagged; conflicts as links between the marks of the two sides.
 */
export function drawTimeline(input: ChartInput, detail: MarkDetail): SVGSVGElement {
  const { marks, width } = input;
  const lanes = [...input.lanes, ...laneOrder(marks).filter((voice) => !input.lanes.includes(voice))];
  const x = scaleTime()
    .domain(input.domain)
    .range([MARGIN.left, width - MARGIN.right]);

  // Rows within each lane, so marks said close together do not cover each other.
  const place = new Map<string, { x: number; y: number }>();
  const laneTop = new Map<string, number>();
  let top = MARGIN.top;
  for (const lane of lanes) {
    const rowsEnd: number[] = [];
    const inLane = marks.filter((mark) => mark.voice === lane);
    const rowOf = inLane.map((mark) => {
      const at = x(new Date(mark.fields.statedAt.at));
      let row = rowsEnd.findIndex((end) => end + MARK_ROOM <= at);
      if (row < 0) row = rowsEnd.push(at) - 1;
      else rowsEnd[row] = at;
      return { mark, at, row };
    });
    laneTop.set(lane, top);
    for (const { mark, at, row } of rowOf)
      place.set(mark.statementId, { x: at, y: top + LANE_PAD + ROW / 2 + row * ROW });
    top += LANE_PAD * 2 + Math.max(1, rowsEnd.length) * ROW;
  }
  const height = top + MARGIN.bottom;

  const chart = svg('svg', {
    class: 'timeline',
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    role: 'group',
    'aria-label': `Statements along stated time, one lane per voice (${lanes.length})`,
  });
  chart.append(defs());

  // Axis along stated time, with a grid line per tick.
  const axis = svg('g', { class: 'axis', 'aria-hidden': 'true' });
  const format = x.tickFormat();
  for (const tick of x.ticks(Math.max(2, Math.floor((width - MARGIN.left) / 110)))) {
    const at = x(tick);
    axis.append(
      svg('line', { x1: at, x2: at, y1: MARGIN.top - 6, y2: height - MARGIN.bottom, class: 'grid' }),
      svg('text', { x: at, y: MARGIN.top - 12, 'text-anchor': 'middle' }, format(tick)),
    );
  }
  chart.append(axis, svg('text', { x: 8, y: 16, class: 'axis-title' }, 'stated time (UTC) →'));

  // Lanes: a band and a label per voice.
  for (const [index, lane] of lanes.entries()) {
    const y = laneTop.get(lane) ?? 0;
    const next = lanes[index + 1];
    const laneHeight = (next === undefined ? height - MARGIN.bottom : (laneTop.get(next) ?? 0)) - y;
    const name = input.laneName(lane);
    chart.append(
      svg(
        'g',
        { class: 'lane', 'data-voice': lane, role: 'group', 'aria-label': `Voice: ${name.short}` },
        svg('rect', {
          x: 0,
          y,
          width,
          height: laneHeight,
          class: index % 2 === 0 ? 'lane-bg even' : 'lane-bg',
        }),
        svg(
          'text',
          { x: MARGIN.left - 12, y: y + 20, 'text-anchor': 'end', class: 'lane-name' },
          clip(name.short, 30),
        ),
        name.original && name.original !== name.short
          ? svg(
              'text',
              { x: MARGIN.left - 12, y: y + 36, 'text-anchor': 'end', class: 'lane-original', lang: 'ar' },
              clip(name.original, 34),
              svg('title', {}, name.original),
            )
          : null,
      ),
    );
  }

  // Precision spans under the marks: "Saturday" covers the whole day.
  const spans = svg('g', { class: 'spans', 'aria-hidden': 'true' });
  for (const mark of marks) {
    const at = place.get(mark.statementId);
    if (at === undefined) continue;
    const end = Math.min(x(new Date(precisionEnd(mark.fields.statedAt))), width - MARGIN.right);
    if (end - at.x > 2)
      spans.append(svg('rect', { x: at.x, y: at.y + 9, width: end - at.x, height: 3, rx: 1.5 }));
  }
  chart.append(spans);

  // Supersession arrows, then conflict links, under the marks.
  const arrows = svg('g', { class: 'supersessions' });
  for (const mark of marks) {
    const from = place.get(mark.statementId);
    const to = mark.replacedBy === undefined ? undefined : place.get(mark.replacedBy);
    if (from === undefined || to === undefined) continue;
    arrows.append(
      svg(
        'path',
        {
          class: 'supersession-arrow',
          d: curve(from, to, 18),
          'marker-end': 'url(#arrow-head)',
          'data-from': mark.statementId,
          'data-to': mark.replacedBy,
        },
        svg('title', {}, 'superseded by a later statement of the same source'),
      ),
    );
  }
  const links = svg('g', { class: 'conflicts' });
  for (const link of conflictLinks(input.view)) {
    const a = place.get(link.a);
    const b = place.get(link.b);
    if (a === undefined || b === undefined) continue;
    links.append(
      svg(
        'path',
        { class: 'conflict-link', d: curve(a, b, 36), 'data-a': link.a, 'data-b': link.b },
        svg('title', {}, `conflict ${link.index + 1}: these two positions cannot both be true`),
      ),
    );
  }
  chart.append(arrows, links);

  const layer = svg('g', { class: 'marks' });
  for (const mark of marks) {
    const at = place.get(mark.statementId);
    if (at !== undefined) layer.append(drawMark(mark, at, input, detail));
  }
  chart.append(layer);
  return chart;
}

function drawMark(
  mark: StatementMark,
  at: { x: number; y: number },
  input: ChartInput,
  detail: MarkDetail,
): SVGGElement {
  const said = formatStance(mark.stance, mark.fields.value, input.view.valueKind, input.view.unit);
  const state = [
    mark.retracted ? 'retracted' : '',
    mark.superseded ? 'superseded' : '',
    mark.corrections.length > 0 ? 'corrected' : '',
  ].filter(Boolean);
  const label = `${said}${state.length > 0 ? ` (${state.join(', ')})` : ''}`;
  const classes = ['mark', `stance-${mark.stance}`, ...state];
  const group = svg(
    'g',
    {
      class: classes.join(' '),
      transform: `translate(${at.x},${at.y})`,
      tabindex: 0,
      role: 'button',
      'data-statement-id': mark.statementId,
      'data-stance': mark.stance,
      'aria-label': `${input.sourceName(mark.fields.sourceId)}${mark.relays ? ` (${relaysText(mark, input.sourceName)})` : ''}: ${STANCE_LABEL[mark.stance].label}, ${said}; said ${formatStatedAt(mark.fields.statedAt)}${state.length > 0 ? `; ${state.join(', ')}` : ''}`,
    },
    shape(mark.stance),
    // Near the right edge the label goes on the mark's left, so it is never cut off.
    at.x + 11 + label.length * LABEL_CHAR > input.width
      ? svg('text', { x: -11, y: 4, class: 'mark-label', 'text-anchor': 'end' }, label)
      : svg('text', { x: 11, y: 4, class: 'mark-label' }, label),
    mark.corrections.length > 0
      ? svg('text', { x: -4, y: -10, class: 'corrected-flag', 'aria-hidden': 'true' }, '✎')
      : null,
    mark.retracted
      ? svg('line', { x1: -10, x2: 10, y1: 0, y2: 0, class: 'strike', 'aria-hidden': 'true' })
      : null,
  );
  const show = () => detail.show(mark, group, label);
  group.addEventListener('mouseenter', show);
  group.addEventListener('focus', show);
  group.addEventListener('mouseleave', () => detail.hide(group));
  group.addEventListener('blur', () => detail.hide(group));
  group.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') detail.hide(group, true);
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      show();
    }
  });
  return group;
}

/** The stance's shape, so colour is never the only signal: ● affirms, ■ denies, ▲ uncertain, ◆ declined. */
export function shape(stance: Stance, size = 7): SVGElement {
  switch (stance) {
    case 'affirms':
      return svg('circle', { r: size, class: 'shape' });
    case 'denies':
      return svg('rect', { x: -size, y: -size, width: size * 2, height: size * 2, class: 'shape' });
    case 'uncertain':
      return svg('path', {
        d: `M0,${-size - 1} L${size + 1},${size} L${-size - 1},${size} Z`,
        class: 'shape',
      });
    case 'declined':
      return svg('path', {
        d: `M0,${-size - 2} L${size + 2},0 L0,${size + 2} L${-size - 2},0 Z`,
        class: 'shape',
      });
  }
}

/** A gentle bow between two marks (at most `bow` pixels off the straight line), kept inside the chart. */
const curve = (a: { x: number; y: number }, b: { x: number; y: number }, bow: number): string => {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const length = Math.hypot(dx, dy) || 1;
  const offset = Math.min(bow, length / 2);
  const mx = (a.x + b.x) / 2 - (dy / length) * offset;
  const my = (a.y + b.y) / 2 + (dx / length) * offset;
  return `M${a.x},${a.y} Q${mx},${my} ${b.x},${b.y}`;
};

function defs(): SVGDefsElement {
  return svg(
    'defs',
    {},
    svg(
      'marker',
      {
        id: 'arrow-head',
        viewBox: '0 0 10 10',
        refX: 16,
        refY: 5,
        markerWidth: 7,
        markerHeight: 7,
        orient: 'auto',
      },
      svg('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrow-head' }),
    ),
  );
}
