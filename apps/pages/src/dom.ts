/** Small DOM builders: the pages build nodes, never HTML strings, so no text is ever markup. */
type Child = Node | string | number | null | undefined | false;
type Attributes = Record<string, string | number | boolean | undefined>;

function apply(node: Element, attributes: Attributes, children: Child[]): void {
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === 'number' ? String(child) : child);
  }
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  apply(node, attributes, children);
  return node;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, tag);
  apply(node, attributes, children);
  return node;
}

/** Languages written right to left (BCP 47 primary subtags). */
const RTL = new Set(['ar', 'arc', 'ckb', 'dv', 'fa', 'he', 'ku', 'ps', 'sd', 'ug', 'ur', 'yi']);

export const directionOf = (language: string | undefined): 'rtl' | 'ltr' | 'auto' =>
  language === undefined ? 'auto' : RTL.has(language.toLowerCase().split('-')[0] ?? '') ? 'rtl' : 'ltr';

/** A text in its own language and direction, isolated from the text around it (<bdi>). */
export function inLanguage(
  text: string,
  language: string | undefined,
  className = '',
  tag: 'bdi' | 'p' | 'span' | 'blockquote' = 'bdi',
): HTMLElement {
  return h(tag, { class: className || undefined, lang: language, dir: directionOf(language) }, text);
}
