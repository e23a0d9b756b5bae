import { h, inLanguage } from './dom';
import { formatStatedAt, isStatedAt } from './format';
import type { StatementMark } from './timeline-model';

/** The quote of the mark in focus or under the pointer: original script, its direction, translation. */
export class MarkDetail {
  readonly element = h('div', { id: 'mark-detail', class: 'mark-detail', role: 'tooltip', hidden: true });
  private owner: Element | undefined;

  constructor(
    private readonly describe: (mark: StatementMark) => { source: string; via?: string; relays?: string },
    private readonly container: HTMLElement,
  ) {}

  show(mark: StatementMark, owner: SVGGElement, label: string): void {
    const { source, via, relays } = this.describe(mark);
    const quote = mark.fields.quote;
    this.element.replaceChildren(
      ...[
        h('p', { class: 'detail-head' }, h('strong', {}, source), ` — ${label}`),
        relays ? h('p', { class: 'detail-relays' }, relays) : null,
        h(
          'p',
          { class: 'detail-when' },
          `Said ${formatStatedAt(mark.fields.statedAt)}${
            isStatedAt(mark.fields.asOf) ? ` · figure as of ${formatStatedAt(mark.fields.asOf)}` : ''
          }${via ? ` · ${via}` : ''}`,
        ),
        inLanguage(quote.text, quote.language, 'quote-original', 'blockquote'),
        quote.translatedFrom
          ? h('p', { class: 'translated-from' }, translatedFromText(quote.translatedFrom))
          : null,
        quote.translation
          ? inLanguage(quote.translation.text, quote.translation.language, 'quote-translation', 'p')
          : null,
      ].filter((node) => node !== null),
    );
    this.element.hidden = false;
    owner.setAttribute('aria-describedby', 'mark-detail');
    this.owner = owner;
    const box = owner.getBoundingClientRect();
    const frame = this.container.getBoundingClientRect();
    const left = Math.min(box.left - frame.left, frame.width - 380);
    this.element.style.left = `${Math.max(0, left)}px`;
    this.element.style.top = `${box.bottom - frame.top + 6}px`;
  }

  hide(owner: Element, always = false): void {
    if (this.owner !== owner && !always) return;
    // The pointer left a mark that still has the keyboard's focus: its detail stays.
    if (owner === document.activeElement && !always) return;
    owner.removeAttribute('aria-describedby');
    this.element.hidden = true;
    this.owner = undefined;
  }
}

/** "relays SOHR": a relayed statement counts with the voice it relays (DOMAIN.md rule 3). */
export const relaysText = (
  mark: Pick<StatementMark, 'relays' | 'relaysNothing'>,
  name: (id: string) => string,
): string | undefined =>
  mark.relays === undefined
    ? undefined
    : `relays ${name(mark.relays)}${mark.relaysNothing ? ' (a retracted statement: counts for nothing)' : ''}`;

/** A quote we have only in translation says which language it was said in. */
export const translatedFromText = (language: string): string =>
  `Quoted in translation; said in ${languageName(language)}`;

function languageName(tag: string): string {
  try {
    return new Intl.DisplayNames(['en'], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}
