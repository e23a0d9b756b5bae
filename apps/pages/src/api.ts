import type { Source } from './view-types';

/**
 * The pages read the JSON API with the reader's own key, kept in sessionStorage: it lasts as long
 * as the tab, is never sent anywhere but this origin's API, and no key is ever put in a URL
 * (docs/decisions/0018).
 */
const KEY_ITEM = 'newsroom.apiKey';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const apiKey = (): string | undefined => sessionStorage.getItem(KEY_ITEM) ?? undefined;
export const setApiKey = (key: string): void => sessionStorage.setItem(KEY_ITEM, key.trim());
export const forgetApiKey = (): void => sessionStorage.removeItem(KEY_ITEM);

export function authHeaders(): Record<string, string> {
  const key = apiKey();
  if (key === undefined) throw new ApiError(401, 'NO_KEY', 'Enter an API key to read the ledger.');
  return { authorization: `Bearer ${key}`, accept: 'application/json' };
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(path, { headers: authHeaders(), signal });
  if (!response.ok) {
    let problem: { code?: string; detail?: string } = {};
    try {
      problem = (await response.json()) as typeof problem;
    } catch {
      // not problem details: the status says enough
    }
    if (response.status === 401) forgetApiKey();
    throw new ApiError(
      response.status,
      problem.code ?? `HTTP_${response.status}`,
      problem.detail ?? `${response.status} ${response.statusText}`,
    );
  }
  return (await response.json()) as T;
}

/** Every page of a cursor-paged list, following nextCursor (bounded: a page is a view, not an export). */
export async function getAllPages<T>(
  path: string,
  pick: (body: unknown) => { items: T[]; nextCursor?: string | null },
  maxPages = 50,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const separator = path.includes('?') ? '&' : '?';
    const url = cursor === undefined ? path : `${path}${separator}cursor=${encodeURIComponent(cursor)}`;
    const body = pick(await getJson<unknown>(url));
    items.push(...body.items);
    if (body.nextCursor === undefined || body.nextCursor === null) break;
    cursor = body.nextCursor;
  }
  return items;
}

const sources = new Map<string, Promise<Source | undefined>>();

/** A source by id, asked once per page load; unknown or unreadable sources are undefined. */
export function getSource(sourceId: string): Promise<Source | undefined> {
  let found = sources.get(sourceId);
  if (found === undefined) {
    found = getJson<Source>(`/sources/${encodeURIComponent(sourceId)}`).catch((error: unknown) => {
      if (error instanceof ApiError && error.status === 401) throw error;
      return undefined;
    });
    sources.set(sourceId, found);
  }
  return found;
}

export const forgetSources = (): void => sources.clear();
