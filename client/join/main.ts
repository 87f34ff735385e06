/**
 * The participant's phone: join with one tap, wait, answer the question the room is on, see the
 * answer once revealed. Renders everything from the latest state; survives reloads and drops.
 * It never contradicts the server: a vote is shown as recorded only when the server says so, nothing
 * is sent while offline, and a vote whose answer did not come back is settled by the next snapshot.
 */
import {
  apiPaths,
  ErrorCode,
  type Ack,
  optionLabel,
  type Joined,
  type ParticipantRoundView,
  type ParticipantSnapshot,
  type TestChoice,
  type TestProgress,
} from '../../shared/contract.ts';
import { callApi } from '../lib/api.ts';
import { codeFromPath, el, present, requireElement } from '../lib/dom.ts';
import { SessionRoute } from '../lib/session-home.ts';
import { connectErrorCode, connectSocket, type KotaeClientSocket } from '../lib/socket.ts';
import { QaPanel } from './qa-panel.ts';
import { TimerBanner } from './timer-banner.ts';
import { renderTest, type TestActivity } from './test-view.ts';
import { keepScreenAwake } from '../lib/wake-lock.ts';
import { loadSessionInfo, routeFromPage } from './session-info.ts';
import { t } from './strings.ts';
import { settleTap, type Tap } from './unconfirmed-vote.ts';
import { newVoteId } from './vote-id.ts';
import './join.css';

const code = codeFromPath();
const tokenKey = `kotae:token:${code}`;
/** The node that runs the session, for its socket and requests. */
const route = new SessionRoute(code);
const app = requireElement<HTMLElement>('#app');
const statusLine = requireElement<HTMLElement>('#status');
const qaSection = requireElement<HTMLElement>('#qa');
const timerBanner = new TimerBanner(requireElement<HTMLElement>('#timer'));
const qaPanel = new QaPanel(qaSection);

/** How long a vote waits for its answer before the phone reconnects and asks the server what it has. */
const VOTE_TIMEOUT_MS = 5000;

type Connection = 'connected' | 'reconnecting' | 'offline';

interface State {
  snapshot: ParticipantSnapshot | null;
  /** A vote sent whose answer has not come back yet. */
  sending: Tap | null;
  /** A vote sent whose answer never came: the next snapshot says whether it was recorded. */
  unconfirmed: Tap | null;
  /** Why the last tap was not recorded, shown until the next tap or round. */
  notSent: string | null;
  connection: Connection;
  /** The deck left the question while voting was open: the waiting screen says voting has closed. */
  hasVotingEnded: boolean;
  test: TestActivity;
}
const state: State = {
  snapshot: null,
  sending: null,
  unconfirmed: null,
  notSent: null,
  connection: 'reconnecting',
  hasVotingEnded: false,
  test: { isSending: false, problem: null },
};
let socket: KotaeClientSocket | null = null;
const wakeLock = keepScreenAwake();

function connectionNow(): Connection {
  if (!navigator.onLine) return 'offline';
  return socket?.connected ? 'connected' : 'reconnecting';
}

function render(): void {
  state.connection = connectionNow();
  statusLine.textContent = socket ? t.connection[state.connection] : '';
  statusLine.dataset.state = state.connection;
  const snapshot = state.snapshot;
  if (!snapshot) return;
  if (snapshot.session.state === 'ended') {
    wakeLock.setWanted(false);
    return app.replaceChildren(renderEnded(snapshot.session.title));
  }
  const round = snapshot.round;
  const test = round ? null : snapshot.test;
  wakeLock.setWanted(round?.status === 'open' || test?.status === 'open');
  if (snapshot.participant.status === 'pending') app.replaceChildren(renderPending(snapshot));
  else if (round) app.replaceChildren(renderRound(round, snapshot.myChoice));
  else if (test) app.replaceChildren(renderTest(test, state.test, testActions));
  else app.replaceChildren(renderWaiting(snapshot));
}

type TestCommand = 'test:answer' | 'test:move' | 'test:submit';

/** Sends a test command over a live connection and keeps what the server saved; like a vote, never later. */
async function sendTestCommand(event: TestCommand, payload: Record<string, unknown>): Promise<TestProgress | null> {
  const client = socket;
  const test = state.snapshot?.test;
  if (!client || !test || state.test.isSending) return null;
  if (connectionNow() !== 'connected') {
    state.test.problem = t.notSentOffline;
    render();
    return null;
  }
  state.test = { isSending: true, problem: null };
  render();
  try {
    // One helper for three commands: the payload is checked by the server's schema.
    const timed = client.timeout(VOTE_TIMEOUT_MS) as unknown as { emitWithAck(event: TestCommand, payload: unknown): Promise<Ack<TestProgress>> };
    const ack = await timed.emitWithAck(event, { runId: test.runId, ...payload });
    state.test.isSending = false;
    if (!ack.ok) {
      state.test.problem = ack.error.code === ErrorCode.testNotOpen ? t.test.closed : t.test.notSaved;
      return null;
    }
    if (state.snapshot?.test?.runId === ack.data.runId) {
      Object.assign(state.snapshot.test, { answers: ack.data.answers, position: ack.data.position, submitted: ack.data.submitted });
    }
    return ack.data;
  } catch {
    // No answer: the reconnect's snapshot says what was saved.
    state.test = { isSending: false, problem: t.test.notSaved };
    endIfStillConnected(client);
    return null;
  } finally {
    render();
  }
}

const testActions = {
  answer(itemId: string, choice: TestChoice): void {
    const wasAnswered = state.snapshot?.test?.answers[itemId] !== undefined;
    void sendTestCommand('test:answer', { itemId, choice }).then((progress) => {
      // A first answer moves on to the next item, so the test runs with one thumb.
      if (progress && !wasAnswered) void sendTestCommand('test:move', { position: progress.position + 1 });
    });
  },
  move(position: number): void {
    void sendTestCommand('test:move', { position });
  },
  submit(): void {
    // The review step is the confirmation: it lists every answer above the button.
    void sendTestCommand('test:submit', {});
  },
};

/** Joined beyond the expected headcount: the presenter has to let this phone in. */
function renderPending(snapshot: ParticipantSnapshot): HTMLElement {
  return el('section', { className: 'screen waiting' }, [
    el('p', { className: 'session-title', text: snapshot.session.title }),
    el('h1', { text: t.pendingTitle }),
    el('p', { className: 'hint', text: t.pendingHint }),
  ]);
}

function renderWaiting(snapshot: ParticipantSnapshot): HTMLElement {
  return el('section', { className: 'screen waiting' }, [
    state.hasVotingEnded ? el('p', { className: 'feedback', text: t.votingEnded, attrs: { role: 'status' } }) : null,
    el('p', { className: 'session-title', text: snapshot.session.title }),
    snapshot.deck.chapterTitle
      ? el('p', { className: 'chapter' }, [el('span', { className: 'label', text: t.currentChapter }), el('strong', { text: snapshot.deck.chapterTitle })])
      : null,
    el('h1', { text: t.waitingTitle }),
    el('p', { className: 'hint', text: t.waitingHint }),
  ]);
}

function renderEnded(title: string): HTMLElement {
  return el('section', { className: 'screen ended' }, [
    el('p', { className: 'session-title', text: title }),
    el('h1', { text: t.ended }),
    el('p', { className: 'hint', text: t.endedHint }),
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
    const shown = state.sending?.choice ?? state.unconfirmed?.choice ?? myChoice;
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
    if (state.sending) screen.append(el('p', { className: 'feedback', text: t.sending }));
    else if (state.unconfirmed) screen.append(el('p', { className: 'feedback', text: t.confirming }));
    else if (state.notSent) {
      screen.append(
        ...present([
          el('p', { className: 'feedback error', text: state.notSent, attrs: { role: 'alert' } }),
          myChoice ? el('p', { className: 'hint', text: `${t.recordedChoice}: ${labelOf(round, myChoice)}` }) : el('p', { className: 'hint', text: t.nothingRecorded }),
        ]),
      );
    } else if (myChoice) {
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

/** Sends a vote only over a live connection (an emit made offline would be buffered and sent later). */
async function vote(roundId: string, choice: string): Promise<void> {
  if (!socket || !state.snapshot || state.sending || state.unconfirmed) return;
  await sendTap({ roundId, choice, voteId: newVoteId(), isResend: false });
}

async function sendTap(tap: Tap): Promise<void> {
  const client = socket;
  if (!client || !state.snapshot) return;
  state.notSent = null;
  if (connectionNow() !== 'connected') {
    state.notSent = t.notSentOffline;
    return render();
  }
  state.sending = tap;
  render();
  try {
    const ack = await client.timeout(VOTE_TIMEOUT_MS).emitWithAck('vote:cast', { roundId: tap.roundId, choice: tap.choice, voteId: tap.voteId });
    state.sending = null;
    if (ack.ok && state.snapshot.round?.roundId === ack.data.roundId) state.snapshot.myChoice = ack.data.choice;
    if (!ack.ok) state.notSent = ack.error.code === ErrorCode.roundNotOpen ? t.closed : ack.error.code === ErrorCode.rateLimited ? t.tooFast : t.notSent;
  } catch {
    // No answer: whether the server recorded the vote is unknown. A new connection ends the old one,
    // so the vote cannot arrive later, and its snapshot says what was recorded.
    state.sending = null;
    state.unconfirmed = tap;
    endIfStillConnected(client);
  }
  render();
}

/**
 * After a command's answer never came, a connection still open is replaced, so the command cannot
 * arrive later. One already gone (dropped, or the session moved to another node) is being reconnected
 * where the session is now: reconnecting here at once would skip that.
 */
function endIfStillConnected(client: KotaeClientSocket): void {
  if (client.connected) client.disconnect().connect();
}

/**
 * Settles a vote whose answer never came, from what the server's snapshot says was recorded (after a
 * reconnect, perhaps to another node). A resend is the same tap (same vote id): if the first did arrive
 * after all, the server answers the resend without counting it twice.
 */
function settleUnconfirmedVote(snapshot: ParticipantSnapshot): void {
  const tap = state.unconfirmed;
  if (!tap) return;
  state.unconfirmed = null;
  const outcome = settleTap(tap, snapshot);
  if (outcome === 'resend') queueMicrotask(() => void sendTap({ ...tap, isResend: true }));
  else if (outcome === 'not-sent') state.notSent = t.notSent;
}

/**
 * Connects as the participant with `token`. A token still to come (the join form's) opens the
 * connection at once and sends its handshake when the join answers; the page counts as connected
 * (status line, votes) only from then on.
 */
function connect(token: string | Promise<string>): KotaeClientSocket {
  const client = connectSocket(route, typeof token === 'string' ? { role: 'participant', code, token } : token.then((ready) => ({ role: 'participant', code, token: ready })));
  if (typeof token === 'string') socket = client;
  else void token.then(() => (socket = client));
  qaPanel.connect(client);
  client.on('connect', render);
  client.on('disconnect', render);
  client.on('connect_error', (error) => {
    const reason = connectErrorCode(error);
    if (reason === ErrorCode.unauthorized) {
      localStorage.removeItem(tokenKey);
      client.disconnect();
      socket = null;
      void showJoinForm();
    } else if (reason === ErrorCode.participantRemoved) {
      client.disconnect();
      showMessage(t.removed);
    } else if (reason === ErrorCode.sessionNotFound) {
      client.disconnect();
      showMessage(t.notFound);
    }
    render();
  });
  client.on('test:changed', (test) => {
    if (!state.snapshot) return;
    state.snapshot.test = test;
    state.test = { isSending: false, problem: null };
    render();
  });
  client.on('participant:synced', (snapshot) => {
    if (snapshot.round?.roundId !== state.snapshot?.round?.roundId) state.notSent = null;
    state.snapshot = snapshot;
    settleUnconfirmedVote(snapshot);
    timerBanner.render(snapshot.timer);
    qaSection.hidden = false;
    qaPanel.renderSnapshot(snapshot.participant.nickname, snapshot.qa, snapshot.myQuestions, snapshot.myUpvotes);
    render();
  });
  client.on('timer:changed', (announcement) => timerBanner.render(announcement));
  client.on('qa:changed', (questions) => qaPanel.render(questions));
  client.on('round:changed', (round) => {
    if (!state.snapshot) return;
    const previous = state.snapshot.round;
    if (previous?.roundId !== round?.roundId) {
      state.snapshot.myChoice = null;
      state.notSent = null;
    }
    state.hasVotingEnded = round === null && previous !== null && previous.status !== 'revealed';
    state.snapshot.round = round;
    render();
  });
  client.on('session:ended', (session) => {
    if (!state.snapshot) return;
    state.snapshot.session = session;
    render();
  });
  client.on('deck:changed', (deck) => {
    if (!state.snapshot) return;
    state.snapshot.deck = deck;
    render();
  });
  return client;
}

function showMessage(text: string): void {
  app.replaceChildren(el('section', { className: 'screen' }, [el('p', { className: 'feedback error', text })]));
}

/**
 * The session's groups as large radio buttons; a per-group link (?group=2, or the group's name) chooses
 * one in advance. Null when the session has no groups.
 */
function groupPicker(groups: string[]): { element: HTMLElement; chosen(): string | undefined } | null {
  if (groups.length === 0) return null;
  const fromLink = new URLSearchParams(location.search).get('group');
  const preset = groups.find((group, index) => group === fromLink || String(index + 1) === fromLink);
  const inputs = groups.map((group, index) => {
    const input = el('input', { attrs: { type: 'radio', name: 'group', value: group, id: `group-${index}` } });
    input.checked = group === preset;
    return input;
  });
  const element = el('fieldset', { className: 'groups' }, [
    el('legend', { text: t.groupLabel }),
    ...inputs.map((input, index) => el('label', { className: 'group-choice', attrs: { for: input.id } }, [input, el('span', { text: groups[index]! })])),
  ]);
  return { element, chosen: () => inputs.find((input) => input.checked)?.value };
}

async function showJoinForm(): Promise<void> {
  const info = await loadSessionInfo(route);
  if (!info.ok) return showMessage(t.notFound);
  if (info.data.session.state === 'ended') return void app.replaceChildren(renderEnded(info.data.session.title));
  // Opened while the participant reads the form: the WebSocket's own round trips (TCP, upgrade) are
  // past when the join answers, and only the handshake with the token is left.
  let deliverToken: (token: string) => void = () => undefined;
  const early = connect(new Promise<string>((resolve) => (deliverToken = resolve)));
  const isNamed = info.data.participation === 'named';
  const nickname = el('input', {
    attrs: { id: 'nickname', type: 'text', maxlength: '30', autocomplete: isNamed ? 'name' : 'nickname', 'aria-describedby': 'nickname-hint' },
  });
  nickname.required = isNamed;
  const button = el('button', { className: 'primary', text: t.joinButton, attrs: { type: 'submit' } });
  const error = el('p', { className: 'feedback error', attrs: { role: 'alert' } });
  const groups = groupPicker(info.data.groups);
  const form = el('form', { className: 'screen join' }, [
    el('p', { className: 'session-title', text: info.data.session.title }),
    el('h1', { text: t.joinTitle }),
    groups?.element ?? null,
    el('label', { text: isNamed ? t.nameLabel : t.nicknameLabel, attrs: { for: 'nickname' } }),
    el('p', { className: 'hint', text: isNamed ? t.nameHint : t.nicknameHint, attrs: { id: 'nickname-hint' } }),
    nickname,
    button,
    error,
  ]);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const group = groups?.chosen();
    if (groups && !group) {
      error.textContent = t.chooseGroup;
      return;
    }
    button.disabled = true;
    const joined = await callApi<Joined>(
      apiPaths.participants(code),
      { method: 'POST', body: JSON.stringify({ nickname: nickname.value.trim() || undefined, group }) },
      route,
    );
    button.disabled = false;
    if (!joined.ok) {
      if (joined.error.code === ErrorCode.sessionEnded) {
        early.disconnect();
        return void app.replaceChildren(renderEnded(info.data.session.title));
      }
      error.textContent = isNamed && joined.error.code === ErrorCode.invalidPayload ? t.nameHint : t.joinFailed;
      return;
    }
    localStorage.setItem(tokenKey, joined.data.token);
    app.replaceChildren(el('p', { className: 'screen hint', text: t.loading }));
    deliverToken(joined.data.token);
  });
  app.replaceChildren(form);
}

// A phone coming back from a locked screen or from a dead network reconnects at once instead of
// waiting for the back-off; the status line follows the network at once. While a retry is pending,
// connect() alone would wait for it (up to reconnectionDelayMax): disconnect() cancels the timer.
const reconnectNow = (): void => {
  if (socket && !socket.connected && navigator.onLine) socket.disconnect().connect();
  render();
};
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') reconnectNow();
});
window.addEventListener('online', reconnectNow);
window.addEventListener('offline', render);

/** The venue pre-flight (?check=1): proves this phone reaches the server, without joining. */
async function runReachabilityCheck(): Promise<void> {
  const checked = await callApi<{ reached: boolean; counted: boolean }>(apiPaths.reachabilityCheck(code), { method: 'POST', body: '{}' }, route);
  app.replaceChildren(
    el('section', { className: 'screen' }, [
      el('h1', { text: checked.ok ? t.check.reached : t.check.failed }),
      el('p', { className: 'hint', text: checked.ok ? (checked.data.counted ? t.check.reachedHint : t.check.sameMachine) : t.check.failedHint }),
    ]),
  );
}

const savedToken = localStorage.getItem(tokenKey);
app.replaceChildren(el('p', { className: 'screen hint', text: t.loading }));
if (new URLSearchParams(location.search).has('check')) void runReachabilityCheck();
else if (savedToken) {
  routeFromPage(route);
  connect(savedToken);
} else void showJoinForm();
