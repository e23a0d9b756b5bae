/** The pages are served without a key (their data is not): see docs/decisions/0018. */
export type UiPage = 'story' | 'claim';

/**
 * Script, styles and data from this origin only; the pages set styles through the CSSOM, which
 * `style-src 'self'` allows, and never write inline style attributes or scripts.
 */
export const UI_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

/**
 * The shell of a page: the bundle (dist/ui/pages.js) reads which page and which id from the
 * <main> element's data attributes, asks for a key if it has none, then draws from the JSON API.
 */
export function pageHtml(page: UiPage, id: string): string {
  const title = page === 'story' ? `Story ${id}` : `Claim ${id}`;
  const idAttribute = page === 'story' ? 'data-story-id' : 'data-claim-id';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Newsroom ledger</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/ui/assets/pages.css">
<script type="module" src="/ui/assets/pages.js"></script>
</head>
<body>
<header class="site-header"><span class="site-name">Newsroom ledger</span><nav id="crumbs" aria-label="Breadcrumb"></nav><div id="key-area"></div></header>
<main id="app" data-page="${page}" ${idAttribute}="${escapeHtml(id)}" aria-live="polite">
<noscript>This page draws the ledger's JSON with JavaScript; the same data is at /claims and /docs.</noscript>
</main>
</body>
</html>
`;
}
