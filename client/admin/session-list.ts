/** The table of every session: state, counts and the organizer's actions on each. */
import { apiPaths, type AdminSessionRow, type PresenterLink, type SessionSummary } from '../../shared/contract.ts';
import { japanDisplay, startsAtDisplay } from '../../shared/japan-time.ts';
import { el } from '../lib/dom.ts';
import { SessionRoute } from '../lib/session-home.ts';
import { changeApi } from './admin-api.ts';
import { t } from './strings.ts';

export interface ListActions {
  /** After a change: reload the list. */
  changed(): void;
  duplicate(row: AdminSessionRow): void;
  /** Shows a message (a new presenter URL, a failure). */
  say(message: string, link?: string): void;
}

function button(text: string, className: string, onClick: () => void): HTMLButtonElement {
  const element = el('button', { className, text, attrs: { type: 'button' } });
  element.addEventListener('click', onClick);
  return element;
}

function stateBadges(session: SessionSummary): HTMLElement {
  return el('span', { className: 'badges' }, [
    el('span', { className: `badge state-${session.state}`, text: t.state[session.state] }),
    session.isRehearsal ? el('span', { className: 'badge rehearsal', text: t.rehearsalBadge }) : null,
    session.isDemo ? el('span', { className: 'badge demo', text: t.demoBadge }) : null,
  ]);
}

function rowOf(row: AdminSessionRow, actions: ListActions): HTMLTableRowElement {
  const { session } = row;
  const code = session.code;
  // With several nodes, the node that runs the session does these; callApi follows a moved answer to it.
  const route = new SessionRoute(code);
  const run = async (request: Promise<{ ok: boolean; error?: { message: string } }>): Promise<void> => {
    const answer = await request;
    if (!answer.ok) actions.say(`${t.actionFailed}: ${answer.error?.message ?? ''}`);
    actions.changed();
  };
  const organizer = el('a', { className: 'button-link', text: t.openOrganizer, attrs: { href: `/organizer/${code}`, target: '_blank', rel: 'noopener' } });
  const controls = el('div', { className: 'row-actions' }, [
    organizer,
    button(t.reissuePresenter, '', async () => {
      if (!confirm(t.reissueConfirm)) return;
      const link = await changeApi<PresenterLink>('POST', apiPaths.adminPresenterLink(code), undefined, route);
      if (link.ok) actions.say(`${session.title}: ${t.presenterUrl}`, link.data.presenter);
      else actions.say(`${t.actionFailed}: ${link.error.message}`);
    }),
    button(t.duplicate, '', () => actions.duplicate(row)),
    session.state === 'ended' ? null : button(t.end, 'warn', () => confirm(t.endConfirm(session.title)) && void run(changeApi('POST', apiPaths.adminEnd(code), undefined, route))),
    button(t.delete, 'danger', () => confirm(t.deleteConfirm(session.title)) && void run(changeApi('DELETE', apiPaths.adminSession(code), undefined, route))),
  ]);
  return el('tr', { attrs: { 'data-code': code } }, [
    el('td', { text: startsAtDisplay(session.startsAt) || '—' }),
    el('td', {}, [el('strong', { text: session.title }), el('br'), el('span', { className: 'muted', text: session.clientName }), el('span', { className: 'code', text: ` ${code}` })]),
    el('td', { text: `${row.courseTitle}（${row.variantTitle}）` }),
    el('td', {}, [stateBadges(session)]),
    el('td', { className: 'number', text: String(row.participants) }),
    el('td', { className: 'number', text: String(row.votes) }),
    el('td', { text: japanDisplay(row.createdAt) }),
    el('td', {}, [controls]),
  ]);
}

export function sessionTable(rows: AdminSessionRow[], actions: ListActions): HTMLElement {
  if (rows.length === 0) return el('p', { className: 'muted', text: t.noSessions });
  return el('table', { className: 'sessions' }, [
    el('thead', {}, [el('tr', {}, t.columns.map((column) => el('th', { text: column })))]),
    el('tbody', {}, rows.map((row) => rowOf(row, actions))),
  ]);
}
