/** The organizer's page: the join poster to print, the session's progress and its results to download. */
import type { ResultsPayload } from '../../shared/contract.ts';
import { optionLabel } from '../../shared/contract.ts';
import { callApi } from '../lib/api.ts';
import { codeFromPath, el, requireElement } from '../lib/dom.ts';
import { t } from './strings.ts';
import './organizer.css';

const code = codeFromPath();
const app = requireElement<HTMLElement>('#app');
const REFRESH_MS = 5000;

function takeOrganizerKey(): string | null {
  const storageKey = `kotae:organizer:${code}`;
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('key');
  if (fromHash) {
    sessionStorage.setItem(storageKey, fromHash);
    history.replaceState(null, '', location.pathname);
  }
  return fromHash ?? sessionStorage.getItem(storageKey);
}

async function download(key: string, path: string, filename: string): Promise<void> {
  const response = await fetch(path, { headers: { 'X-Organizer-Key': key } });
  const url = URL.createObjectURL(await response.blob());
  const link = el('a', { attrs: { href: url, download: filename } });
  link.click();
  URL.revokeObjectURL(url);
}

function resultsTable(results: ResultsPayload): HTMLElement {
  if (results.rounds.length === 0) return el('p', { text: t.noRounds });
  const head = el('tr', {}, t.columns.map((column) => el('th', { text: column })));
  const rows = results.rounds.map((round, index) => {
    const answer = round.options.find((option) => option.key === round.answer);
    const rate = round.voted > 0 && round.correct !== null ? `${Math.round((round.correct / round.voted) * 100)}%` : '—';
    const breakdown = round.options.map((option) => `${optionLabel(option)}: ${round.counts[option.key] ?? 0}`).join(' / ');
    return el('tr', {}, [
      el('td', { text: String(index + 1) }),
      el('td', { className: 'prompt', text: round.prompt }),
      el('td', { text: String(round.number) }),
      el('td', { text: t.status[round.status] }),
      el('td', { text: answer ? optionLabel(answer) : '—' }),
      el('td', { text: String(round.voted) }),
      el('td', { text: rate }),
      el('td', { text: breakdown }),
    ]);
  });
  return el('table', {}, [el('thead', {}, [head]), el('tbody', {}, rows)]);
}

async function start(): Promise<void> {
  const key = takeOrganizerKey();
  if (!key) return void app.replaceChildren(el('p', { className: 'error', text: t.missingKey }));

  const summary = el('section', { className: 'summary no-print' });
  const poster = el('section', { className: 'poster' });
  const refresh = async (): Promise<void> => {
    const response = await callApi<ResultsPayload>(`/api/sessions/${code}/results`, { headers: { 'X-Organizer-Key': key } });
    if (!response.ok) {
      summary.replaceChildren(el('p', { className: 'error', text: t.unauthorized }));
      return;
    }
    const results = response.data;
    document.title = `${results.session.title} — kotae 主催者`;
    const joinUrl = results.joinUrl;
    poster.replaceChildren(
      el('h1', { text: results.courseTitle }),
      el('p', { text: t.posterLead }),
      el('img', { className: 'qr', attrs: { src: `/api/sessions/${code}/qr.svg`, alt: joinUrl } }),
      el('p', { className: 'url', text: joinUrl }),
      el('p', { className: 'code' }, [el('span', { text: t.code }), el('strong', { text: code })]),
    );
    const printButton = el('button', { text: t.print, attrs: { type: 'button' } });
    printButton.addEventListener('click', () => window.print());
    const csvButton = el('button', { text: t.downloadCsv, attrs: { type: 'button' } });
    csvButton.addEventListener('click', () => void download(key, `/api/sessions/${code}/results.csv`, `kotae-${code}-results.csv`));
    const jsonButton = el('button', { text: t.downloadJson, attrs: { type: 'button' } });
    jsonButton.addEventListener('click', () => void download(key, `/api/sessions/${code}/results`, `kotae-${code}-results.json`));
    summary.replaceChildren(
      el('h1', { text: results.session.title }),
      el('p', { className: 'stats' }, [
        el('span', { text: `${t.participants}: ${results.participants}` }),
        el('span', { text: `${t.rounds}: ${results.rounds.length}` }),
        el('span', { className: 'muted', text: `${t.updatedAt} ${new Date().toLocaleTimeString('ja-JP')}` }),
      ]),
      el('p', { className: 'actions' }, [printButton, csvButton, jsonButton]),
      el('h2', { text: t.results }),
      resultsTable(results),
    );
  };
  app.replaceChildren(summary, poster);
  await refresh();
  setInterval(() => void refresh(), REFRESH_MS);
}

void start();
