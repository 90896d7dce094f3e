// The article list: filters, the search query, the rows shown and the keyboard selection.
import type { ArticleSummary, Filter, SnippetPart, Status } from '../bindings';
import { backend, errorCode, errorMessage } from '../backend';

export const PAGE = 50;

export const list = $state({
  status: '' as Status | '',
  section: '',
  byline: '',
  /// Civil dates (YYYY-MM-DD) in the newsroom's zone.
  from: '',
  to: '',
  query: '',
  rows: [] as ArticleSummary[],
  snippets: {} as Record<number, SnippetPart[]>,
  total: 0,
  /// False when a search stopped counting: `total` is then "at least".
  exact: true,
  selected: 0,
  loading: false,
  error: '',
  /// When the newsroom server sent the rows shown, if they are its last list kept on this
  /// computer because it cannot be reached now; null for rows read just now.
  keptAt: null as string | null,
});

async function filter(offset: number): Promise<Filter> {
  const day = async (date: string) => (date ? backend().toInstant(`${date}T00:00`) : null);
  const next = (date: string) => {
    if (!date) return '';
    const d = new Date(`${date}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + 1);
    return d.toISOString().slice(0, 10);
  };
  return {
    status: list.status || null,
    section: list.section.trim() || null,
    byline: list.byline.trim() || null,
    tag: null,
    published_from: await day(list.from),
    published_to: await day(next(list.to)),
    modified_from: null,
    modified_to: null,
    source: null,
    limit: PAGE,
    offset,
  };
}

let generation = 0;

/// Reloads the first page; a search when there is a query, the newest articles otherwise.
export async function refresh(): Promise<void> {
  await load(0);
}

export async function loadMore(): Promise<void> {
  await load(list.rows.length);
}

/// Reloads the rows shown (as many as are shown, at least a page) after a colleague changed
/// something, keeping the keyboard selection: the list follows the desk without jumping.
export async function refreshRows(): Promise<void> {
  const selected = list.selected;
  await load(0, Math.max(PAGE, list.rows.length));
  list.selected = Math.min(selected, Math.max(0, list.rows.length - 1));
}

async function load(offset: number, limit = PAGE): Promise<void> {
  const mine = ++generation;
  list.loading = true;
  try {
    const f = { ...(await filter(offset)), limit };
    const query = list.query.trim();
    if (query) {
      const results = await backend().search(query, f);
      if (mine !== generation) return;
      const rows = results.hits.map((hit) => hit.article);
      const snippets = Object.fromEntries(results.hits.map((hit) => [hit.article.id, hit.snippet]));
      list.rows = offset ? [...list.rows, ...rows] : rows;
      list.snippets = offset ? { ...list.snippets, ...snippets } : snippets;
      list.total = results.total;
      list.exact = results.exact;
      list.keptAt = null;
    } else {
      const page = await backend().list(f);
      if (mine !== generation) return;
      list.rows = offset ? [...list.rows, ...page.articles] : page.articles;
      list.snippets = {};
      list.total = page.total;
      list.exact = true;
      list.keptAt = page.kept_at;
    }
    if (!offset) list.selected = 0;
    list.error = '';
  } catch (error) {
    // The server out of reach: the rows last shown stay, the header says offline.
    if (mine === generation) list.error = errorCode(error) === 'unavailable' && list.rows.length ? '' : errorMessage(error);
  } finally {
    if (mine === generation) list.loading = false;
  }
}

export function clearFilters(): void {
  list.status = '';
  list.section = '';
  list.byline = '';
  list.from = '';
  list.to = '';
  list.query = '';
}

export function move(step: number): void {
  if (!list.rows.length) return;
  list.selected = Math.max(0, Math.min(list.rows.length - 1, list.selected + step));
}
