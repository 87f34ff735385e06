/**
 * The all-sessions page: the organizer logs in with the admin password, creates sessions with every
 * setting, and lists, opens, duplicates, ends and deletes them.
 */
import { apiPaths, type AdminSessionRow, type AdminStatus, type CourseChoice, type CreatedSession } from '../../shared/contract.ts';
import { el, requireElement } from '../lib/dom.ts';
import { changeApi, readApi, setCsrfToken } from './admin-api.ts';
import { createSessionForm } from './create-form.ts';
import { sessionTable } from './session-list.ts';
import { t } from './strings.ts';
import './admin.css';

const app = requireElement<HTMLElement>('#app');
const LIST_REFRESH_MS = 15_000;

function showLogin(): void {
  const password = el('input', { attrs: { id: 'password', type: 'password', autocomplete: 'current-password', required: '' } });
  const error = el('p', { className: 'error', attrs: { role: 'alert' } });
  const form = el('form', { className: 'login card' }, [
    el('h1', { text: t.loginTitle }),
    el('label', { text: t.passwordLabel, attrs: { for: 'password' } }),
    password,
    el('p', { className: 'hint', text: t.passwordHint }),
    el('button', { className: 'primary', text: t.login, attrs: { type: 'submit' } }),
    error,
  ]);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const login = await changeApi<AdminStatus>('POST', apiPaths.adminLogin, { password: password.value });
    if (!login.ok) {
      error.textContent = `${t.loginFailed} ${login.error.message}`;
      return;
    }
    setCsrfToken(login.data.csrfToken);
    void showSessions();
  });
  app.replaceChildren(form);
  password.focus();
}

function createdBox(created: CreatedSession): HTMLElement {
  const line = (label: string, url: string): HTMLElement =>
    el('p', { className: 'url-line' }, [el('span', { className: 'label', text: label }), el('a', { text: url, attrs: { href: url, target: '_blank', rel: 'noopener' } })]);
  return el('section', { className: 'card created', attrs: { role: 'status' } }, [
    el('h2', { text: `${t.createdTitle}: ${created.session.title}（${created.session.code}）` }),
    el('p', { className: 'warning', text: t.createdNote }),
    line(t.presenterUrl, created.urls.presenter),
    line(t.organizerUrl, created.urls.organizer),
    line(t.joinUrl, created.urls.join),
  ]);
}

async function showSessions(): Promise<void> {
  const courses = await readApi<CourseChoice[]>(apiPaths.courses);
  if (!courses.ok) return showLogin();
  const notice = el('div', { className: 'notice', attrs: { 'aria-live': 'polite' } });
  const list = el('section', { className: 'card list' });
  const refresh = async (): Promise<void> => {
    const rows = await readApi<AdminSessionRow[]>(apiPaths.adminSessions);
    if (!rows.ok) return showLogin();
    list.replaceChildren(el('h2', { text: t.listTitle }), sessionTable(rows.data, actions));
  };
  const say = (message: string, link?: string): void => {
    notice.replaceChildren(el('p', { className: 'card message', text: message }, [link ? el('br') : null, link ? el('a', { text: link, attrs: { href: link, target: '_blank', rel: 'noopener' } }) : null]));
  };
  const form = createSessionForm(courses.data, (created) => {
    notice.replaceChildren(createdBox(created));
    notice.scrollIntoView({ behavior: 'smooth' });
    void refresh();
  });
  const actions = {
    changed: () => void refresh(),
    duplicate: (row: AdminSessionRow) => {
      form.fillFrom(row);
      say(t.duplicated);
    },
    say,
  };
  const logout = el('button', { text: t.logout, attrs: { type: 'button' } });
  logout.addEventListener('click', async () => {
    await changeApi('POST', apiPaths.adminLogout);
    setCsrfToken(null);
    showLogin();
  });
  app.replaceChildren(el('header', { className: 'top' }, [el('h1', { text: t.pageTitle }), logout]), notice, el('section', { className: 'card' }, [form.element]), list);
  await refresh();
  const timer = setInterval(() => {
    if (!document.body.contains(list)) return clearInterval(timer);
    if (document.visibilityState === 'visible') void refresh();
  }, LIST_REFRESH_MS);
}

async function start(): Promise<void> {
  const status = await readApi<AdminStatus>(apiPaths.adminMe);
  if (status.ok && status.data.isLoggedIn) {
    setCsrfToken(status.data.csrfToken);
    await showSessions();
  } else {
    showLogin();
  }
}

void start();
