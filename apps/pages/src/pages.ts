import { ApiError, apiKey, forgetApiKey, forgetSources, setApiKey } from './api';
import { claimPage } from './claim-page';
import { h } from './dom';
import { storyPage } from './story-page';

/**
 * The entry of the pages' bundle (scripts/build-ui.js). The server's HTML names the page and its
 * id on <main>; without a key in this tab's session, the page asks for one first.
 */
async function start(): Promise<void> {
  const root = document.getElementById('app');
  if (root === null) return;
  renderKeyArea(root);
  if (apiKey() === undefined) {
    askForKey(root);
    return;
  }
  root.replaceChildren(h('p', { class: 'loading' }, 'Loading…'));
  try {
    if (root.dataset.page === 'story') await storyPage(root, root.dataset.storyId ?? '');
    else if (root.dataset.page === 'claim') await claimPage(root, root.dataset.claimId ?? '');
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      askForKey(root, 'That key was refused. Enter another.');
      return;
    }
    root.replaceChildren(
      h(
        'div',
        { class: 'error', role: 'alert' },
        h(
          'h1',
          {},
          error instanceof ApiError && error.status === 404 ? 'Not found' : 'Could not load this page',
        ),
        h('p', {}, error instanceof Error ? error.message : String(error)),
      ),
    );
  }
}

function askForKey(root: HTMLElement, message?: string): void {
  const input = h('input', {
    type: 'password',
    id: 'api-key',
    name: 'api-key',
    autocomplete: 'off',
    required: true,
    'aria-describedby': 'api-key-help',
  });
  const form = h(
    'form',
    { class: 'key-form', id: 'key-form' },
    h('h1', {}, 'Enter an API key'),
    message ? h('p', { class: 'error', role: 'alert' }, message) : null,
    h('label', { for: 'api-key' }, 'API key'),
    input,
    h('button', { type: 'submit' }, 'Read the ledger'),
    h(
      'p',
      { id: 'api-key-help', class: 'help' },
      'Any key with the read permission. It is kept for this tab only (session storage) and sent only to this server. ',
      'On a local demo, ',
      h('code', {}, 'npm start'),
      ' prints an admin key and keeps it in ',
      h('code', {}, 'data/local-admin.key'),
      '.',
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!input.value.trim()) return;
    setApiKey(input.value);
    void start();
  });
  root.replaceChildren(form);
  input.focus();
}

function renderKeyArea(root: HTMLElement): void {
  const area = document.getElementById('key-area');
  if (area === null) return;
  if (apiKey() === undefined) {
    area.replaceChildren();
    return;
  }
  const forget = h('button', { type: 'button', id: 'forget-key' }, 'Forget key');
  forget.addEventListener('click', () => {
    forgetApiKey();
    forgetSources();
    renderKeyArea(root);
    askForKey(root);
  });
  area.replaceChildren(forget);
}

void start();
