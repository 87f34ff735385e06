/**
 * The participant's phone: join with one tap, wait, answer the question the presenter opens, see
 * the answer once revealed. Renders everything from the latest state; survives reloads and drops.
 */
import type { Joined, ParticipantRoundView, ParticipantSnapshot, PublicSessionInfo } from '../../shared/protocol.ts';
import { optionLabel } from '../../shared/option-view.ts';
import { callApi } from '../lib/api.ts';
import { codeFromPath, el, present, requireElement } from '../lib/dom.ts';
import { connectErrorCode, connectSocket, type KotaeClientSocket } from '../lib/socket.ts';
import { keepScreenAwake } from './wake-lock.ts';
import { t } from './strings.ts';
import './join.css';

const code = codeFromPath();
const tokenKey = `kotae:token:${code}`;
const app = requireElement<HTMLElement>('#app');
const statusLine = requireElement<HTMLElement>('#status');

interface State {
  snapshot: ParticipantSnapshot | null;
  /** The choice sent but not yet acknowledged. */
  sendingChoice: string | null;
  sendError: boolean;
  isConnected: boolean;
}
const state: State = { snapshot: null, sendingChoice: null, sendError: false, isConnected: false };
let socket: KotaeClientSocket | null = null;
const wakeLock = keepScreenAwake();

function render(): void {
  statusLine.textContent = socket ? (state.isConnected ? t.online : t.offline) : '';
  statusLine.dataset.state = state.isConnected ? 'online' : 'offline';
  const snapshot = state.snapshot;
  if (!snapshot) return;
  const round = snapshot.round;
  wakeLock.setWanted(round?.status === 'open');
  app.replaceChildren(round ? renderRound(round, snapshot.myChoice) : renderWaiting(snapshot));
}

function renderWaiting(snapshot: ParticipantSnapshot): HTMLElement {
  return el('section', { className: 'screen waiting' }, [
    el('p', { className: 'session-title', text: snapshot.session.title }),
    snapshot.deck.chapterTitle
      ? el('p', { className: 'chapter' }, [el('span', { className: 'label', text: t.currentChapter }), el('strong', { text: snapshot.deck.chapterTitle })])
      : null,
    el('h1', { text: t.waitingTitle }),
    el('p', { className: 'hint', text: t.waitingHint }),
  ]);
}

function labelOf(round: ParticipantRoundView, key: string): string {
  const option = round.options.find((candidate) => candidate.key === key);
  return option ? optionLabel(option) : key;
}

function renderRound(round: ParticipantRoundView, myChoice: string | null): HTMLElement {
  const heading = round.kind === 'case' ? t.caseLabel : round.number > 1 ? `${t.question}（${t.revote}）` : t.question;
  const screen = el('section', { className: `screen round status-${round.status}` }, [
    el('p', { className: 'kind', text: heading }),
    round.facts ? el('p', { className: 'facts', text: round.facts }) : null,
    el('h1', { className: 'prompt', text: round.prompt }),
  ]);
  if (round.status === 'open') {
    const shown = state.sendingChoice ?? myChoice;
    const buttons = el(
      'div',
      { className: `options ${round.options.length === 2 ? 'two' : 'many'}` },
      round.options.map((option) => {
        const button = el('button', {
          className: `option option-${option.key}${shown === option.key ? ' chosen' : ''}`,
          attrs: { type: 'button', 'aria-label': optionLabel(option), 'aria-pressed': String(shown === option.key) },
        });
        button.append(
          el('span', { className: 'symbol', text: option.symbol, attrs: { 'aria-hidden': 'true' } }),
          el('span', { className: 'words', text: option.text, attrs: { 'aria-hidden': 'true' } }),
        );
        button.addEventListener('click', () => void vote(round.roundId, option.key));
        return button;
      }),
    );
    screen.append(buttons);
    if (state.sendError) screen.append(el('p', { className: 'feedback error', text: t.sendFailed, attrs: { role: 'alert' } }));
    else if (state.sendingChoice) screen.append(el('p', { className: 'feedback', text: t.sending }));
    else if (myChoice) {
      screen.append(
        el('p', { className: 'feedback done', text: `✓ ${t.voted}（${labelOf(round, myChoice)}）` }),
        el('p', { className: 'hint', text: t.canChange }),
      );
    }
    return screen;
  }
  if (round.status === 'closed') {
    screen.append(
      el('p', { className: 'feedback', text: t.closed }),
      el('p', { className: 'hint', text: myChoice ? `${t.yourChoice}: ${labelOf(round, myChoice)}` : t.notVoted }),
      el('p', { className: 'hint', text: t.closedHint }),
    );
    return screen;
  }
  const reveal = round.reveal;
  if (reveal) {
    const isCorrect = myChoice === reveal.answer;
    screen.append(
      ...present([
        myChoice
          ? el('p', { className: `verdict ${isCorrect ? 'right' : 'wrong'}`, text: isCorrect ? `◎ ${t.correct}` : `△ ${t.incorrect}` })
          : el('p', { className: 'hint', text: t.notVoted }),
        el('p', { className: 'answer' }, [el('span', { className: 'label', text: t.answerIs }), el('strong', { text: labelOf(round, reveal.answer) })]),
        myChoice ? el('p', { className: 'hint', text: `${t.yourChoice}: ${labelOf(round, myChoice)}` }) : null,
        el('h2', { text: t.explanation }),
        el('p', { className: 'explanation', text: reveal.explanation }),
        reveal.lesson ? el('h2', { text: t.lesson }) : null,
        reveal.lesson ? el('p', { className: 'explanation', text: reveal.lesson }) : null,
      ]),
    );
  }
  return screen;
}

async function vote(roundId: string, choice: string): Promise<void> {
  if (!socket || !state.snapshot) return;
  state.sendingChoice = choice;
  state.sendError = false;
  render();
  try {
    const ack = await socket.timeout(8000).emitWithAck('vote:cast', { roundId, choice });
    if (ack.ok && state.snapshot.round?.roundId === ack.data.roundId) state.snapshot.myChoice = ack.data.choice;
    state.sendError = !ack.ok;
  } catch {
    state.sendError = true;
  }
  state.sendingChoice = null;
  render();
}

function connect(token: string): void {
  const client = connectSocket({ role: 'participant', code, token });
  socket = client;
  client.on('connect', () => {
    state.isConnected = true;
    render();
  });
  client.on('disconnect', () => {
    state.isConnected = false;
    render();
  });
  client.on('connect_error', (error) => {
    const reason = connectErrorCode(error);
    if (reason === 'unauthorized') {
      localStorage.removeItem(tokenKey);
      client.disconnect();
      socket = null;
      void showJoinForm();
    } else if (reason === 'session_not_found') {
      client.disconnect();
      showMessage(t.notFound);
    }
    render();
  });
  client.on('participant:synced', (snapshot) => {
    state.snapshot = snapshot;
    render();
  });
  client.on('round:changed', (round) => {
    if (!state.snapshot) return;
    if (state.snapshot.round?.roundId !== round?.roundId) state.snapshot.myChoice = null;
    state.snapshot.round = round;
    render();
  });
  client.on('deck:changed', (deck) => {
    if (!state.snapshot) return;
    state.snapshot.deck = deck;
    render();
  });
}

function showMessage(text: string): void {
  app.replaceChildren(el('section', { className: 'screen' }, [el('p', { className: 'feedback error', text })]));
}

async function showJoinForm(): Promise<void> {
  const info = await callApi<PublicSessionInfo>(`/api/sessions/${code}`);
  if (!info.ok) return showMessage(t.notFound);
  const nickname = el('input', {
    attrs: { id: 'nickname', type: 'text', maxlength: '30', autocomplete: 'nickname', 'aria-describedby': 'nickname-hint' },
  });
  const button = el('button', { className: 'primary', text: t.joinButton, attrs: { type: 'submit' } });
  const error = el('p', { className: 'feedback error', attrs: { role: 'alert' } });
  const form = el('form', { className: 'screen join' }, [
    el('p', { className: 'session-title', text: info.data.session.title }),
    el('h1', { text: t.joinTitle }),
    el('label', { text: t.nicknameLabel, attrs: { for: 'nickname' } }),
    el('p', { className: 'hint', text: t.nicknameHint, attrs: { id: 'nickname-hint' } }),
    nickname,
    button,
    error,
  ]);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    button.disabled = true;
    const joined = await callApi<Joined>(`/api/sessions/${code}/participants`, {
      method: 'POST',
      body: JSON.stringify({ nickname: nickname.value.trim() || undefined }),
    });
    button.disabled = false;
    if (!joined.ok) {
      error.textContent = t.joinFailed;
      return;
    }
    localStorage.setItem(tokenKey, joined.data.token);
    app.replaceChildren(el('p', { className: 'screen hint', text: t.loading }));
    connect(joined.data.token);
  });
  app.replaceChildren(form);
}

// A phone coming back from a locked screen reconnects at once instead of waiting for the back-off.
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible' && socket && !socket.connected) socket.connect();
});

const savedToken = localStorage.getItem(tokenKey);
app.replaceChildren(el('p', { className: 'screen hint', text: t.loading }));
if (savedToken) connect(savedToken);
else void showJoinForm();
