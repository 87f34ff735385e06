/**
 * The organizer's page for one session: the join poster to print, the live view, the results
 * dashboard, the printable report, and the exports (during the session and after). It reads with the
 * organizer key from its URL, or with the admin login when opened from the all-sessions page.
 */
import { apiPaths, ORGANIZER_KEY_HEADER, type Ack, type LiveView, type ResultsPayload } from '../../shared/contract.ts';
import { callApi } from '../lib/api.ts';
import { SessionRoute } from '../lib/session-home.ts';
import { codeFromPath, el, requireElement } from '../lib/dom.ts';
import { dashboard } from './dashboard.ts';
import { createLivePanel } from './live-view.ts';
import { posters } from './poster.ts';
import { report } from './report.ts';
import { t } from './strings.ts';
import './organizer.css';

const code = codeFromPath();
const app = requireElement<HTMLElement>('#app');
const LIVE_REFRESH_MS = 3000;
const RESULTS_REFRESH_MS = 10_000;
const VIEWS = ['poster', 'live', 'results', 'report'] as const;
type View = (typeof VIEWS)[number];

function takeOrganizerKey(): string | null {
  const storageKey = `kotae:organizer:${code}`;
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('key');
  if (fromHash) {
    sessionStorage.setItem(storageKey, fromHash);
    history.replaceState(null, '', location.pathname + location.search);
  }
  return fromHash ?? sessionStorage.getItem(storageKey);
}

const key = takeOrganizerKey();
const keyHeaders: Record<string, string> = key ? { [ORGANIZER_KEY_HEADER]: key } : {};

/** With several nodes, the session's reads go to the node that runs it (callApi follows a moved answer). */
const route = new SessionRoute(code);

function read<T>(path: string): Promise<Ack<T>> {
  return callApi<T>(path, { headers: keyHeaders }, route);
}

/** The file name the server chose (filename*), else a fallback. */
function fileNameOf(response: Response, fallback: string): string {
  const match = /filename\*=UTF-8''([^;]+)/.exec(response.headers.get('content-disposition') ?? '');
  return match?.[1] ? decodeURIComponent(match[1]) : fallback;
}

/** Fetches a file of the session from the node that runs it, asking `home` first when none is known yet. */
async function download(path: string, fallback: string): Promise<void> {
  if (route.nodeId === undefined) route.nodeId = (await route.askHome())?.nodeId;
  const response = await fetch(route.urlOf(path), { headers: keyHeaders });
  if (!response.ok) return;
  const url = URL.createObjectURL(await response.blob());
  el('a', { attrs: { href: url, download: fileNameOf(response, fallback) } }).click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function button(text: string, onClick: () => void, className = ''): HTMLButtonElement {
  const element = el('button', { className, text, attrs: { type: 'button' } });
  element.addEventListener('click', onClick);
  return element;
}

function viewFromUrl(): View {
  const asked = new URLSearchParams(location.search).get('view');
  return VIEWS.find((view) => view === asked) ?? 'live';
}

async function start(): Promise<void> {
  const first = await read<ResultsPayload>(apiPaths.results(code));
  if (!first.ok) {
    app.replaceChildren(el('p', { className: 'error card', text: key ? t.unauthorized : t.missingKey }));
    return;
  }
  let results = first.data;
  let resultsJson = JSON.stringify(results);
  let view = viewFromUrl();

  const heading = el('h1');
  const badges = el('span', { className: 'badges' });
  const tabs = el('nav', { className: 'tabs', attrs: { role: 'tablist' } });
  const downloads = el('div', { className: 'downloads' }, [
    el('span', { className: 'label', text: t.downloads }),
    button(t.downloadXlsx, () => void download(apiPaths.resultsXlsx(code), `${code}.xlsx`)),
    button(t.downloadCsv, () => void download(apiPaths.resultsCsv(code), `${code}.csv`)),
    button(t.downloadJson, () => void download(apiPaths.resultsJson(code), `${code}.json`)),
    el('span', { className: 'muted small', text: t.downloadsHint }),
  ]);
  const live = createLivePanel();
  const panels: Record<View, HTMLElement> = {
    poster: el('section', { className: 'panel panel-poster' }),
    live: el('section', { className: 'panel panel-live' }, [live.element]),
    results: el('section', { className: 'panel panel-results' }),
    report: el('section', { className: 'panel panel-report' }),
  };
  const tabButtons = VIEWS.map((candidate) => {
    const tab = button(t.tabs[candidate], () => show(candidate), 'tab');
    tab.setAttribute('role', 'tab');
    tab.dataset.view = candidate;
    return tab;
  });
  tabs.replaceChildren(...tabButtons);

  const renderResults = (): void => {
    heading.textContent = results.session.title;
    document.title = t.pageTitle(results.session.title);
    badges.replaceChildren(
      el('span', { className: `badge state-${results.session.state}`, text: t.state[results.session.state] }),
      ...(results.settings.isRehearsal ? [el('span', { className: 'badge rehearsal', text: t.rehearsal })] : []),
      ...(results.settings.isDemo ? [el('span', { className: 'badge demo', text: t.demo })] : []),
    );
    panels.poster.replaceChildren(el('p', { className: 'no-print' }, [button(t.printPoster, () => window.print(), 'primary')]), posters(results));
    panels.results.replaceChildren(dashboard(results));
    panels.report.replaceChildren(el('p', { className: 'no-print' }, [button(t.printReport, () => window.print(), 'primary')]), report(results));
  };

  function show(next: View): void {
    view = next;
    document.body.dataset.view = next;
    for (const candidate of VIEWS) panels[candidate].hidden = candidate !== next;
    for (const tab of tabButtons) tab.setAttribute('aria-selected', String(tab.dataset.view === next));
    const url = new URL(location.href);
    url.searchParams.set('view', next);
    history.replaceState(null, '', url.pathname + url.search);
    // A tab opened shows the results as they are now, not as of the last refresh.
    if (next !== 'live') void refreshResults();
  }

  const refreshResults = async (): Promise<void> => {
    const next = await read<ResultsPayload>(apiPaths.results(code));
    if (!next.ok) return;
    const json = JSON.stringify(next.data);
    // Re-drawn only when something changed, so the page does not jump under the reader.
    if (json === resultsJson) return;
    results = next.data;
    resultsJson = json;
    renderResults();
  };
  const refreshLive = async (): Promise<void> => {
    const next = await read<LiveView>(apiPaths.live(code));
    if (next.ok) live.update(next.data);
  };

  app.replaceChildren(
    el('header', { className: 'top no-print' }, [el('div', { className: 'title-line' }, [heading, badges]), tabs, downloads]),
    ...VIEWS.map((candidate) => panels[candidate]),
  );
  renderResults();
  show(view);
  await refreshLive();
  setInterval(() => void refreshLive(), LIVE_REFRESH_MS);
  setInterval(() => void refreshResults(), RESULTS_REFRESH_MS);
}

void start();
