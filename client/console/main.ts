/**
 * The presenter console: on the laptop's second screen, or on a phone or tablet as a remote. It shows
 * the current and next slide, the speaker notes, the clock and pacing against the plan, the tally, and
 * the controls (deck, rounds, timer, overlays, Q&A moderation). It follows the server like every
 * presenter screen: a move is a request, and the server's announcement is what it shows. Speaker notes
 * come from the notes route (presenter key) and exist on this page only.
 */
import {
  apiPaths,
  ErrorCode,
  PRESENTER_KEY_HEADER,
  TIMER_MINUTES,
  TITLE_SLIDE_ID,
  type Ack,
  type DeckPayload,
  type DeckSlide,
  type PresenterSnapshot,
  type ParticipantListEntry,
  type QaQuestionView,
  type SpeakerNotes,
} from '../../shared/contract.ts';
import { callApi } from '../lib/api.ts';
import { codeFromPath, el, present, requireElement } from '../lib/dom.ts';
import { takePresenterKey } from '../lib/presenter-key.ts';
import { formatCountdown, formatElapsed, ServerClock, TIMER_LINGER_MS } from '../lib/server-clock.ts';
import { SessionRoute } from '../lib/session-home.ts';
import { connectErrorCode, connectSocket } from '../lib/socket.ts';
import { keepScreenAwake } from '../lib/wake-lock.ts';
import { progressOf } from './pacing.ts';
import { outlineOf } from './slide-outline.ts';
import { t } from './strings.ts';
import './console.css';

const code = codeFromPath();
const app = requireElement<HTMLElement>('#app');
const fatal = requireElement<HTMLElement>('#fatal');

function showFatal(message: string): void {
  fatal.textContent = message;
  fatal.hidden = false;
}

/** A slide of the deck in order, with its part's title. */
interface OrderedSlide {
  id: string;
  partTitle: string;
  slide: DeckSlide | null;
}

function orderSlides(deck: DeckPayload): OrderedSlide[] {
  const slides: OrderedSlide[] = [{ id: TITLE_SLIDE_ID, partTitle: deck.courseTitle, slide: null }];
  for (const part of deck.chapters) {
    const partTitle = part.number ? `第${part.number}章 ${part.title}` : part.title;
    for (const slide of part.slides) slides.push({ id: slide.id, partTitle, slide });
  }
  return slides;
}

const timeFormat = new Intl.DateTimeFormat('ja-JP', { hour: '2-digit', minute: '2-digit' });
const minutesOf = (ms: number): number => Math.round(ms / 60_000);
const QA_ORDER: Record<QaQuestionView['status'], number> = { pending: 0, approved: 1, answered: 2, hidden: 3 };

async function start(): Promise<void> {
  const key = takePresenterKey(code);
  if (!key) return showFatal(t.missingKey);
  const headers = { [PRESENTER_KEY_HEADER]: key };
  const route = new SessionRoute(code);
  const [deckAnswer, notesAnswer] = await Promise.all([
    callApi<DeckPayload>(apiPaths.deck(code), { headers }, route),
    callApi<SpeakerNotes>(apiPaths.notes(code), { headers }, route),
  ]);
  if (!deckAnswer.ok || !notesAnswer.ok) {
    const error = !deckAnswer.ok ? deckAnswer.error : !notesAnswer.ok ? notesAnswer.error : null;
    return showFatal(error?.code === ErrorCode.unauthorized ? t.unauthorized : t.notFound);
  }
  const deck = deckAnswer.data;
  const notes = notesAnswer.data.notes;
  const slides = orderSlides(deck);
  const indexOf = new Map(slides.map((slide, index) => [slide.id, index]));
  /** Where each part of the plan starts, for jumping to it from the pacing table. */
  const firstSlideOf = new Map<string, number>();
  for (const part of deck.chapters) {
    const first = part.slides[0];
    if (first) firstSlideOf.set(part.id, indexOf.get(first.id) ?? 0);
  }
  document.title = `講師コンソール — ${deck.courseTitle}`;

  const socket = connectSocket(route, { role: 'presenter', code, key });
  const clock = new ServerClock();
  // A phone used as the remote must not lock in the middle of the seminar.
  keepScreenAwake().setWanted(true);
  let snapshot: PresenterSnapshot | null = null;
  /** A move asked for and not answered yet: the console shows it as where it is going. */
  let requestedSlideId: string | null = null;
  let lastRefusal: string | null = null;

  const serverSlideId = (): string => snapshot?.deck.slideId ?? TITLE_SLIDE_ID;
  const shownIndex = (): number => indexOf.get(requestedSlideId ?? serverSlideId()) ?? 0;

  /**
   * Sends a command and shows a refusal instead of failing silently. No answer (the connection dropped
   * first, the session moved, say) is no refusal: the header shows the reconnecting, and the
   * reconnect's snapshot what happened.
   */
  const send = async <T>(emitted: Promise<Ack<T>>): Promise<void> => {
    const ack = await emitted.catch(() => null);
    lastRefusal = ack === null || ack.ok ? null : (t.errors[ack.error.code] ?? t.refused);
    render();
  };

  const goTo = async (index: number): Promise<void> => {
    const target = slides[index];
    if (!target || target.id === (requestedSlideId ?? serverSlideId())) return;
    requestedSlideId = target.id;
    render();
    const ack = await socket.emitWithAck('deck:go-to', { slideId: target.id }).catch(() => null);
    if (requestedSlideId === target.id) requestedSlideId = null;
    if (ack?.ok && snapshot) snapshot.deck = ack.data;
    render();
  };
  const step = (delta: number): void => void goTo(shownIndex() + delta);

  // The header, timer and pacing count on; the rest changes only with what the server sends.
  const header = el('header', { className: 'top' });
  const slidesBox = el('section', { className: 'card slides' });
  const notesBox = el('section', { className: 'card notes', attrs: { 'aria-label': t.notes } });
  const nav = el('nav', { className: 'nav' });
  const roundBox = el('section', { className: 'card round' });
  const testBox = el('section', { className: 'card round test' });
  const timerBox = el('section', { className: 'card timer' });
  const screenBox = el('section', { className: 'card screen' });
  const pacingBox = el('section', { className: 'card pacing' });
  const qaBox = el('section', { className: 'card qa' });
  const phoneBox = el('section', { className: 'card phone' });
  const peopleBox = el('section', { className: 'card people' });
  const endBox = el('section', { className: 'card end' });
  const refusal = el('p', { className: 'refusal', attrs: { role: 'alert' } });
  app.replaceChildren(header, refusal, nav, slidesBox, notesBox, roundBox, testBox, timerBox, screenBox, pacingBox, qaBox, peopleBox, phoneBox, endBox);

  // Who takes part: joins beyond the expected headcount wait here; the list removes a participant and their votes.
  let roster: ParticipantListEntry[] | null = null;
  const loadRoster = async (): Promise<void> => {
    const ack = await socket.emitWithAck('participant:list', {}).catch(() => null);
    if (!ack) return render();
    roster = ack.ok ? ack.data : null;
    lastRefusal = ack.ok ? null : (t.errors[ack.error.code] ?? t.refused);
    render();
  };
  const renderPeople = (): void => {
    const pending = snapshot?.pendingParticipants ?? 0;
    const approveAll = el('button', { text: t.people.approveAll(pending), attrs: { type: 'button', 'data-action': 'approve-all' } });
    approveAll.disabled = pending === 0;
    approveAll.addEventListener('click', () => void send(socket.emitWithAck('participant:approve', { participantIds: 'all' })).then(() => (roster ? loadRoster() : undefined)));
    const listButton = el('button', { text: roster ? t.people.refresh : t.people.open, attrs: { type: 'button', 'data-action': 'list-participants' } });
    listButton.addEventListener('click', () => void loadRoster());
    const row = (entry: ParticipantListEntry): HTMLElement => {
      const remove = el('button', { className: 'danger', text: t.people.remove, attrs: { type: 'button', 'data-action': 'remove-participant' } });
      remove.addEventListener('click', () => {
        if (remove.dataset.armed !== 'yes') {
          remove.dataset.armed = 'yes';
          remove.textContent = t.people.confirmRemove;
          return;
        }
        void send(socket.emitWithAck('participant:remove', { participantIds: [entry.id] })).then(() => loadRoster());
      });
      return el('li', { attrs: { 'data-participant-id': entry.id } }, [
        el('span', { text: `${entry.nickname ?? t.anonymous}${entry.group ? `（${entry.group}）` : ''}　${t.people.status[entry.status]}　${t.people.votes(entry.votes)}` }),
        remove,
      ]);
    };
    peopleBox.replaceChildren(
      ...present([
        el('h2', { text: t.people.title }),
        el('p', { className: pending > 0 ? 'warning' : 'hint', text: t.people.summary(snapshot?.participants ?? 0, pending, snapshot?.expectedParticipants ?? 0, snapshot?.joinsLastMinute ?? 0) }),
        el('div', { className: 'buttons' }, [approveAll, listButton]),
        roster ? el('ul', { className: 'people-list' }, roster.map(row)) : null,
      ]),
    );
  };

  // Ending takes two taps: it closes joining for good.
  const renderEnd = (): void => {
    const hasEnded = snapshot?.session.state === 'ended';
    const button = el('button', { className: 'danger', text: hasEnded ? t.endSession.done : t.endSession.button, attrs: { type: 'button', 'data-action': 'end-session' } });
    button.disabled = hasEnded;
    button.addEventListener('click', () => {
      if (button.dataset.armed !== 'yes') {
        button.dataset.armed = 'yes';
        button.textContent = t.endSession.confirm;
        return;
      }
      void send(socket.emitWithAck('session:end', { confirm: 'end' }));
    });
    endBox.replaceChildren(el('h2', { text: t.endSession.title }), el('p', { className: 'hint', text: t.endSession.hint }), button);
  };

  // This console on a phone: a QR of its own URL with the key, shown only when asked for (the key is in it).
  const phoneQr = el('img', { className: 'phone-qr', attrs: { alt: t.phoneQrAlt, hidden: '' } });
  const phoneButton = el('button', { text: t.phoneShow, attrs: { type: 'button', 'data-action': 'phone-qr' } });
  phoneButton.addEventListener('click', async () => {
    if (!phoneQr.hidden) {
      phoneQr.hidden = true;
      phoneButton.textContent = t.phoneShow;
      return;
    }
    const response = await fetch(route.urlOf(apiPaths.consoleQr(code)), { headers }).catch(() => null);
    if (!response?.ok) return;
    if (phoneQr.src) URL.revokeObjectURL(phoneQr.src);
    phoneQr.src = URL.createObjectURL(await response.blob());
    phoneQr.hidden = false;
    phoneButton.textContent = t.phoneHide;
  });
  phoneBox.append(el('h2', { text: t.phoneTitle }), el('p', { className: 'hint', text: t.phoneHint }), phoneButton, phoneQr);

  const prevButton = el('button', { className: 'big', text: t.prev, attrs: { type: 'button', 'data-action': 'prev' } });
  const nextButton = el('button', { className: 'big primary', text: t.nextButton, attrs: { type: 'button', 'data-action': 'next' } });
  prevButton.addEventListener('click', () => step(-1));
  nextButton.addEventListener('click', () => step(1));
  nav.append(prevButton, nextButton);

  const renderHeader = (): void => {
    const pacing = snapshot?.pacing;
    const now = clock.now();
    const progress = pacing ? progressOf(pacing, now) : null;
    header.replaceChildren(
      ...present([
        el('span', { className: 'clock' }, [el('small', { text: t.clock }), document.createTextNode(timeFormat.format(new Date(now)))]),
        el('span', { className: 'elapsed' }, [
          el('small', { text: t.elapsed }),
          document.createTextNode(progress && pacing?.startedAt !== null ? formatElapsed(progress.elapsedMs) : t.notStarted),
        ]),
        el('span', { className: 'people', text: t.participants(snapshot?.participants ?? 0, snapshot?.connectedParticipants ?? 0) }),
        snapshot?.session.state === 'ended' ? el('span', { className: 'ended', text: t.ended }) : null,
        el('span', { className: `link ${socket.connected ? 'ok' : 'down'}`, text: socket.connected ? t.connected : t.offline }),
      ]),
    );
  };

  const renderSlides = (): void => {
    const index = shownIndex();
    const current = slides[index]!;
    const next = slides[index + 1];
    const block = (label: string, entry: OrderedSlide | undefined, className: string): HTMLElement => {
      if (!entry) return el('div', { className }, [el('p', { className: 'label', text: label }), el('p', { text: t.last })]);
      const outline = entry.slide ? outlineOf(entry.slide) : { title: t.titleSlide, lines: [] };
      return el('div', { className, attrs: { 'data-slide-id': entry.id } }, [
        el('p', { className: 'label', text: `${label}　${t.slideOf(indexOf.get(entry.id)! + 1, slides.length)}　${entry.partTitle}` }),
        el('p', { className: 'title', text: outline.title }),
        el('ul', {}, outline.lines.slice(0, className === 'current' ? 8 : 3).map((line) => el('li', { text: line }))),
      ]);
    };
    slidesBox.replaceChildren(block(t.now, current, 'current'), block(t.next, next, 'next'));
    const note = notes[current.id];
    notesBox.replaceChildren(el('h2', { text: t.notes }), el('p', { className: note ? 'note' : 'note empty', text: note ?? t.noNotes }));
    prevButton.disabled = index === 0;
    nextButton.disabled = index === slides.length - 1;
  };

  const renderRound = (): void => {
    const entry = slides[indexOf.get(serverSlideId()) ?? 0];
    const question = entry?.slide?.kind === 'question' ? entry.slide.question : null;
    roundBox.hidden = question === null;
    if (!question) return roundBox.replaceChildren();
    const round = snapshot?.round?.questionId === question.id ? snapshot.round : null;
    const status = round?.status ?? 'idle';
    const tally = round?.tally;
    const voted = tally?.voted ?? 0;
    const bars = question.options.map((option) => {
      const count = tally?.counts[option.key] ?? 0;
      const percent = voted > 0 ? Math.round((count / voted) * 100) : 0;
      const isAnswer = option.key === question.reveal.answer;
      return el('li', { className: isAnswer ? 'answer' : '' }, [
        el('span', { className: 'option', text: `${option.symbol} ${option.text}${isAnswer ? t.correctMark : ''}` }),
        el('span', { className: 'count', text: `${count}人 ${percent}%` }),
      ]);
    });
    const openButton = el('button', { text: round ? t.revoteButton : t.openButton, attrs: { type: 'button', 'data-action': 'open' } });
    const closeButton = el('button', { text: t.closeButton, attrs: { type: 'button', 'data-action': 'close' } });
    const revealButton = el('button', { text: t.revealButton, attrs: { type: 'button', 'data-action': 'reveal' } });
    openButton.disabled = status === 'open';
    closeButton.disabled = status !== 'open';
    revealButton.disabled = !round || status === 'revealed';
    openButton.addEventListener('click', () => void send(socket.emitWithAck('poll:open', { questionId: question.id })));
    closeButton.addEventListener('click', () => round && void send(socket.emitWithAck('poll:close', { roundId: round.roundId })));
    revealButton.addEventListener('click', () => round && void send(socket.emitWithAck('poll:reveal', { roundId: round.roundId })));
    roundBox.replaceChildren(
      ...present([
        el('h2', { text: `${t.round[status]}${round && round.number > 1 ? `（${round.number}回目）` : ''}` }),
        el('p', { className: 'counter', text: t.answered(voted, tally?.participants ?? snapshot?.participants ?? 0) }),
        el('ul', { className: 'tally' }, bars),
        snapshot?.stage.hideResultsWhileOpen && status === 'open' ? el('p', { className: 'hint', text: t.hiddenOnProjector }) : null,
        el('div', { className: 'buttons' }, [openButton, closeButton, revealButton]),
      ]),
    );
  };

  /** On a test slide: start and close the test, and how many have answered and submitted. */
  const renderTest = (): void => {
    const entry = slides[indexOf.get(serverSlideId()) ?? 0];
    const kind = entry?.slide?.kind === 'test' ? entry.slide.testKind : null;
    testBox.hidden = kind === null;
    if (!kind) return testBox.replaceChildren();
    const run = snapshot?.tests[kind] ?? null;
    const openButton = el('button', { text: t.testOpen, attrs: { type: 'button', 'data-action': 'test-open' } });
    const closeButton = el('button', { text: t.testClose, attrs: { type: 'button', 'data-action': 'test-close' } });
    openButton.disabled = run !== null;
    closeButton.disabled = run?.status !== 'open';
    openButton.addEventListener('click', () => void send(socket.emitWithAck('test:open', { kind })));
    closeButton.addEventListener('click', () => run && void send(socket.emitWithAck('test:close', { runId: run.runId })));
    testBox.replaceChildren(
      el('h2', { text: `${kind === 'pre' ? t.preTest : t.postTest}　${run === null ? t.testIdle : run.status === 'open' ? t.testRunning : t.testClosed}` }),
      el('p', { className: 'counter', text: run ? t.testProgress(run.submitted, run.answering, run.participants) : '' }),
      el('div', { className: 'buttons' }, [openButton, closeButton]),
    );
  };

  const timerValue = el('p', { className: 'timer-value', attrs: { role: 'timer' } });
  const renderTimer = (): void => {
    const buttons: HTMLElement[] = [];
    for (let minutes = TIMER_MINUTES.min; minutes <= TIMER_MINUTES.max; minutes += 1) {
      const button = el('button', { text: t.timerMinutes(minutes), attrs: { type: 'button', 'data-minutes': String(minutes) } });
      button.addEventListener('click', () => void send(socket.emitWithAck('timer:start', { minutes })));
      buttons.push(button);
    }
    const running = snapshot?.stage.timer ?? null;
    const stop = el('button', { className: 'stop', text: t.timerStop, attrs: { type: 'button', 'data-action': 'timer-stop' } });
    stop.disabled = running === null;
    stop.addEventListener('click', () => running && void send(socket.emitWithAck('timer:stop', { startedAt: running.startedAt })));
    timerBox.replaceChildren(el('h2', { text: t.timer }), timerValue, el('div', { className: 'buttons timer-buttons' }, [...buttons, stop]));
    tickTimer();
  };
  const tickTimer = (): void => {
    const timer = snapshot?.stage.timer;
    const left = timer ? clock.msUntil(timer.endsAt) : -Infinity;
    timerValue.textContent = left > 0 ? formatCountdown(left) : left > -TIMER_LINGER_MS ? t.timeUp : t.timerIdle;
    timerValue.classList.toggle('is-over', left <= 0 && left > -TIMER_LINGER_MS);
  };

  const toggle = (label: string, isOn: boolean, action: string, onClick: () => void): HTMLElement => {
    const button = el('button', { className: `toggle ${isOn ? 'on' : ''}`, attrs: { type: 'button', 'aria-pressed': String(isOn), 'data-action': action } }, [
      el('span', { text: label }),
      el('strong', { text: isOn ? t.on : t.off }),
    ]);
    button.addEventListener('click', onClick);
    return button;
  };
  const renderScreen = (): void => {
    const stage = snapshot?.stage;
    if (!stage) return;
    screenBox.replaceChildren(
      el('h2', { text: t.screen }),
      el('div', { className: 'buttons toggles' }, [
        toggle(t.joinQr, stage.joinQr, 'join-qr', () => void send(socket.emitWithAck('stage:set', { joinQr: !stage.joinQr }))),
        toggle(t.black, stage.blackScreen, 'black', () => void send(socket.emitWithAck('stage:set', { blackScreen: !stage.blackScreen }))),
        toggle(t.hideResults, stage.hideResultsWhileOpen, 'hide-results', () => {
          void send(socket.emitWithAck('settings:set', { hideResultsWhileOpen: !stage.hideResultsWhileOpen }));
        }),
        toggle(t.moderate, stage.moderateQuestions, 'moderate', () => {
          void send(socket.emitWithAck('settings:set', { moderateQuestions: !stage.moderateQuestions }));
        }),
      ]),
    );
  };

  const renderPacing = (): void => {
    if (!snapshot) return;
    const progress = progressOf(snapshot.pacing, clock.now());
    const behind = minutesOf(progress.behindMs);
    const summary =
      progress.leftToEndMs === null
        ? t.notStarted
        : [
            behind > 0 ? t.behind(behind) : behind < 0 ? t.ahead(-behind) : t.onTime,
            progress.leftToEndMs >= 0 ? t.leftToEnd(minutesOf(progress.leftToEndMs)) : t.overEnd(minutesOf(-progress.leftToEndMs)),
          ].join('　');
    pacingBox.replaceChildren(
      el('h2', { text: t.pacing }),
      el('p', { className: `summary ${behind > 0 ? 'behind' : ''}`, text: summary }),
      el(
        'table',
        {},
        [
          el('tr', {}, [el('th', { text: '' }), el('th', { text: t.planned }), el('th', { text: t.actual })]),
          ...progress.parts.map((part) => {
            const actual = minutesOf(part.actualMs);
            const isOver = part.actualMs > part.plannedMinutes * 60_000;
            const jump = el('button', { className: 'jump', text: part.title, attrs: { type: 'button', 'data-part': part.id } });
            jump.addEventListener('click', () => void goTo(firstSlideOf.get(part.id) ?? shownIndex()));
            return el('tr', { className: `${part.isCurrent ? 'current' : ''} ${part.kind}` }, [
              el('td', {}, [jump]),
              el('td', { text: t.minutes(part.plannedMinutes) }),
              el('td', { className: isOver ? 'over' : '', text: part.actualMs > 0 ? t.minutes(actual) : '—' }),
            ]);
          }),
        ],
      ),
    );
  };

  const renderQa = (): void => {
    const questions = [...(snapshot?.qa ?? [])].sort((a, b) => QA_ORDER[a.status] - QA_ORDER[b.status] || b.upvotes - a.upvotes);
    const item = (question: QaQuestionView): HTMLElement => {
      const action = (label: string, name: string, run: () => Promise<Ack<unknown>>, isDisabled = false): HTMLElement => {
        const button = el('button', { text: label, attrs: { type: 'button', 'data-action': name } });
        button.disabled = isDisabled;
        button.addEventListener('click', () => void send(run()));
        return button;
      };
      const moderate = (status: QaQuestionView['status']) => () => socket.emitWithAck('qa:moderate', { questionId: question.id, status });
      return el('li', { className: `qa-item status-${question.status}${question.isPinned ? ' pinned' : ''}`, attrs: { 'data-qa-id': question.id } }, [
        el('p', { className: 'qa-text', text: question.text }),
        el('p', { className: 'qa-meta', text: `▲ ${question.upvotes}　${question.nickname ?? t.anonymous}　${t.qaStatus[question.status]}${question.isPinned ? `　${t.pinned}` : ''}` }),
        el('div', { className: 'buttons' }, [
          action(t.approve, 'approve', moderate('approved'), question.status === 'approved'),
          action(t.answeredButton, 'answered', moderate('answered'), question.status === 'answered'),
          action(t.hide, 'hide', moderate('hidden'), question.status === 'hidden'),
          question.isPinned
            ? action(t.unpin, 'unpin', () => socket.emitWithAck('qa:pin', { questionId: question.id, pinned: false }))
            : action(t.pin, 'pin', () => socket.emitWithAck('qa:pin', { questionId: question.id, pinned: true }), question.status === 'hidden'),
        ]),
      ]);
    };
    qaBox.replaceChildren(
      el('h2', { text: `${t.qa}（${questions.length}）` }),
      questions.length === 0 ? el('p', { className: 'hint', text: t.noQuestions }) : el('ul', { className: 'qa-list' }, questions.map(item)),
    );
  };

  function render(): void {
    refusal.textContent = lastRefusal ?? '';
    renderHeader();
    renderSlides();
    renderRound();
    renderTest();
    renderTimer();
    renderScreen();
    renderPacing();
    renderQa();
    renderPeople();
    renderEnd();
  }

  socket.on('presenter:synced', (next) => {
    snapshot = next;
    clock.sync(next.stage.serverNow);
    render();
  });
  socket.on('deck:changed', (position) => {
    if (!snapshot) return;
    snapshot.deck = position;
    render();
  });
  socket.on('tally:changed', (tally) => {
    if (!snapshot?.round || snapshot.round.roundId !== tally.roundId) return;
    snapshot.round.tally = tally;
    snapshot.participants = tally.participants;
    renderRound();
    renderHeader();
  });
  socket.on('stage:changed', (stage) => {
    if (!snapshot) return;
    snapshot.stage = stage;
    clock.sync(stage.serverNow);
    render();
  });
  socket.on('qa:changed', (questions) => {
    if (!snapshot) return;
    snapshot.qa = questions;
    renderQa();
  });
  socket.on('connect', renderHeader);
  socket.on('disconnect', renderHeader);
  socket.on('connect_error', (error) => {
    if (connectErrorCode(error) === ErrorCode.unauthorized) showFatal(t.unauthorized);
    renderHeader();
  });

  // A clicker sends PageUp/PageDown (and B or . for its black-screen button); a keyboard works too.
  document.addEventListener('keydown', (event) => {
    if (event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement || event.altKey || event.ctrlKey || event.metaKey) return;
    if (['PageDown', 'ArrowRight', ' '].includes(event.key)) step(1);
    else if (['PageUp', 'ArrowLeft'].includes(event.key)) step(-1);
    else if (['b', 'B', '.'].includes(event.key) && snapshot) void send(socket.emitWithAck('stage:set', { blackScreen: !snapshot.stage.blackScreen }));
    else return;
    event.preventDefault();
  });
  setInterval(() => {
    renderHeader();
    tickTimer();
  }, 1000);
  setInterval(renderPacing, 15_000);
  render();
}

void start();
