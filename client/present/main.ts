/**
 * The projector deck: reveal.js slides of the session's variant. The server holds the deck position:
 * a move here is a request, and every presenter window follows the position the server announces.
 * The server applies the deck and round rules (reaching a question slide asks it the first time);
 * Q / W / E re-vote, close and reveal; tallies arrive live from the server.
 */
import Reveal, { type RevealApi } from 'reveal.js';
import Markdown from 'reveal.js/plugin/markdown';
import 'reveal.js/reveal.css';
import 'reveal.js/theme/white.css';
import {
  apiPaths,
  ErrorCode,
  PRESENTER_KEY_HEADER,
  TITLE_SLIDE_ID,
  type DeckPayload,
  type PresenterSnapshot,
  type SpeakerNotes,
  type TestKind,
} from '../../shared/contract.ts';
import { callApi } from '../lib/api.ts';
import { codeFromPath, el, present, requireElement } from '../lib/dom.ts';
import { takePresenterKey } from '../lib/presenter-key.ts';
import { ServerClock } from '../lib/server-clock.ts';
import { SessionRoute } from '../lib/session-home.ts';
import { connectErrorCode, connectSocket } from '../lib/socket.ts';
import { BreakCountdowns } from './break-countdowns.ts';
import { buildDeck } from './deck-builder.ts';
import { HelpOverlay } from './help-overlay.ts';
import { applyJapaneseLineBreaks } from './line-breaks.ts';
import { StageOverlays } from './stage-overlays.ts';
import { t } from './strings.ts';
import './present.css';

const code = codeFromPath();
const hud = requireElement<HTMLElement>('#hud');
const fatal = requireElement<HTMLElement>('#fatal');

function showFatal(message: string): void {
  fatal.textContent = message;
  fatal.hidden = false;
}

/** reveal.js settings shared by the live deck and the printed handout. */
function createReveal(): RevealApi {
  return new Reveal({
    plugins: [Markdown],
    width: 1280,
    height: 720,
    margin: 0.04,
    // The server, not the address bar, says where the deck is.
    hash: false,
    history: false,
    controls: true,
    progress: true,
    slideNumber: 'c/t',
    transition: matchMedia('(prefers-reduced-motion: reduce)').matches ? 'none' : 'fade',
    transitionSpeed: 'fast',
    center: false,
    // The projector stays a deck however narrow the window (reveal scrolls below 435 px otherwise).
    scrollActivationWidth: 0,
    // reveal's help is English; ? shows the Japanese one (help-overlay.ts).
    help: false,
  });
}

/**
 * ?print-pdf: reveal's print layout, for the handout participants take home. Questions show their
 * answer and 解説; no socket is opened, so printing never asks a question of the room. Speaker notes
 * are fetched (presenter key) only when the print asks for them with showNotes.
 */
async function startHandout(deckPayload: DeckPayload, key: string, route: SessionRoute): Promise<void> {
  const noControls = { open: () => undefined, close: () => undefined, reveal: () => undefined };
  let notes: Record<string, string> = {};
  if (new URLSearchParams(location.search).has('showNotes')) {
    const answer = await callApi<SpeakerNotes>(apiPaths.notes(code), { headers: { [PRESENTER_KEY_HEADER]: key } }, route);
    if (answer.ok) notes = answer.data.notes;
  }
  const built = buildDeck(deckPayload, code, () => noControls, () => noControls, { notes });
  requireElement<HTMLElement>('.reveal .slides').replaceChildren(...built.sections);
  for (const panel of built.panels.values()) panel.renderHandout();
  hud.hidden = true;
  await createReveal().initialize();
  applyJapaneseLineBreaks(document.querySelector('.reveal .slides') as HTMLElement);
}

async function start(): Promise<void> {
  const key = takePresenterKey(code);
  if (!key) return showFatal(t.missingKey);
  const route = new SessionRoute(code);
  const deckResponse = await callApi<DeckPayload>(apiPaths.deck(code), { headers: { [PRESENTER_KEY_HEADER]: key } }, route);
  if (!deckResponse.ok) return showFatal(deckResponse.error.code === ErrorCode.unauthorized ? t.unauthorized : t.notFound);
  const deckPayload = deckResponse.data;
  document.title = `${deckPayload.courseTitle} — kotae`;
  if (/print-pdf/i.test(location.search)) return startHandout(deckPayload, key, route);

  const socket = connectSocket(route, { role: 'presenter', code, key });
  let snapshot: PresenterSnapshot | null = null;
  /** Where the server says the deck is. */
  let serverSlideId = TITLE_SLIDE_ID;
  /** The slide this window last asked the server for, until the server answers. */
  let requestedSlideId: string | null = null;
  let isReady = false;

  /**
   * Sends a command; what it changed comes back as the server's announcements. Rejected when the
   * connection drops first (the session moved, say): the reconnect's snapshot shows what happened.
   */
  const command = (emitted: Promise<unknown>): void => void emitted.catch(() => undefined);
  const currentSection = (): HTMLElement | undefined => deck.getCurrentSlide() as HTMLElement | undefined;
  const askQuestion = (questionId: string): void => {
    command(socket.emitWithAck('poll:open', { questionId }));
  };
  const closeRound = (): void => {
    const round = snapshot?.round;
    if (round?.status === 'open') command(socket.emitWithAck('poll:close', { roundId: round.roundId }));
  };
  const revealRound = (): void => {
    const round = snapshot?.round;
    if (round && round.status !== 'revealed') command(socket.emitWithAck('poll:reveal', { roundId: round.roundId }));
  };

  const openTest = (kind: TestKind): void => {
    command(socket.emitWithAck('test:open', { kind }));
  };
  const closeTest = (runId: string): void => {
    command(socket.emitWithAck('test:close', { runId }));
  };
  const built = buildDeck(
    deckPayload,
    code,
    (questionId) => ({ open: () => askQuestion(questionId), close: closeRound, reveal: revealRound }),
    (kind) => ({ open: () => openTest(kind), close: closeTest }),
  );
  requireElement<HTMLElement>('.reveal .slides').replaceChildren(...built.sections);
  const indexOfSlide = new Map(built.sections.map((section, index) => [section.dataset.slideId ?? '', index]));

  const clock = new ServerClock();
  const overlays = new StageOverlays(document.body, code, deckPayload.joinUrl, clock);
  const breaks = new BreakCountdowns(built.sections, clock);
  const help = new HelpOverlay(document.body);
  setInterval(() => {
    overlays.tick();
    breaks.tick();
  }, 250);

  /** The corner join code: always readable from the back of the room, with the address to type. */
  const renderHud = (): void => {
    const participants = snapshot?.participants ?? 0;
    hud.replaceChildren(
      ...present([
        el('span', { className: 'hud-join' }, [el('span', { text: t.code }), el('strong', { className: 'hud-code', text: code })]),
        el('span', { className: 'hud-url', text: deckPayload.joinUrl }),
        el('span', { className: 'hud-count', text: `${t.joined} ${participants}${t.people}` }),
        snapshot && snapshot.pendingParticipants > 0 ? el('span', { className: 'pending', text: t.pending(snapshot.pendingParticipants) }) : null,
        socket.connected ? null : el('span', { className: 'offline', text: t.offline }),
      ]),
    );
  };
  const renderPanels = (): void => {
    const hideCounts = snapshot?.stage.hideResultsWhileOpen ?? false;
    for (const panel of built.panels.values()) panel.render(snapshot?.round ?? null, snapshot?.participants ?? 0, hideCounts);
    for (const [kind, panel] of built.testPanels) panel.render(snapshot?.tests[kind] ?? null);
  };
  const setStage = (change: { joinQr?: boolean; blackScreen?: boolean }): void => {
    command(socket.emitWithAck('stage:set', change));
  };
  const toggleTimer = (): void => {
    const timer = snapshot?.stage.timer;
    if (timer && clock.msUntil(timer.endsAt) > 0) command(socket.emitWithAck('timer:stop', { startedAt: timer.startedAt }));
    else command(socket.emitWithAck('timer:start', { minutes: 3 }));
  };

  /** Shows the server's slide, unless this window is waiting for the answer to its own move. */
  const showServerSlide = (): void => {
    if (!isReady || requestedSlideId !== null) return;
    const index = indexOfSlide.get(serverSlideId);
    if (index !== undefined && deck.getIndices().h !== index) deck.slide(index);
  };
  const followServer = (slideId: string | null): void => {
    serverSlideId = slideId ?? TITLE_SLIDE_ID;
    showServerSlide();
  };
  /** A move made here (keys, controls, touch) is a request; the server's answer is where the deck goes. */
  const requestMove = async (): Promise<void> => {
    const slideId = currentSection()?.dataset.slideId;
    // Compared with the last request while one is under way: a quick ← → may come back to the slide
    // the server is on now, and must still replace the request for the slide in between.
    if (!slideId || slideId === (requestedSlideId ?? serverSlideId)) return;
    requestedSlideId = slideId;
    // No answer (the connection dropped): the window goes back to following the server.
    const ack = await socket.emitWithAck('deck:go-to', { slideId }).catch(() => null);
    if (requestedSlideId !== slideId) return;
    requestedSlideId = null;
    followServer(ack?.ok ? ack.data.slideId : serverSlideId);
  };

  socket.on('presenter:synced', (next) => {
    snapshot = next;
    overlays.render(next.stage);
    breaks.render(next.pacing);
    renderHud();
    renderPanels();
    followServer(next.deck.slideId);
  });
  socket.on('stage:changed', (stage) => {
    if (!snapshot) return;
    const isResultsSettingChanged = snapshot.stage.hideResultsWhileOpen !== stage.hideResultsWhileOpen;
    snapshot.stage = stage;
    overlays.render(stage);
    if (isResultsSettingChanged) renderPanels();
  });
  socket.on('deck:changed', (position) => followServer(position.slideId));
  socket.on('tally:changed', (tally) => {
    if (!snapshot?.round || snapshot.round.roundId !== tally.roundId) return;
    snapshot.round.tally = tally;
    snapshot.participants = tally.participants;
    snapshot.round.groups = tally.groups;
    built.panels.get(snapshot.round.questionId)?.renderTally(tally, tally.participants, tally.groups);
    renderHud();
  });
  socket.on('connect', renderHud);
  socket.on('disconnect', renderHud);
  socket.on('connect_error', (error) => {
    if (connectErrorCode(error) === ErrorCode.unauthorized) showFatal(t.unauthorized);
    renderHud();
  });

  const deck = createReveal();
  await deck.initialize();
  applyJapaneseLineBreaks(requireElement<HTMLElement>('.reveal .slides'));
  deck.layout();
  deck.addKeyBinding({ keyCode: 81, key: 'Q', description: t.keyOpen }, () => {
    const questionId = currentSection()?.dataset.questionId;
    if (questionId) askQuestion(questionId);
  });
  deck.addKeyBinding({ keyCode: 84, key: 'T', description: t.keyOpenTest }, () => {
    const kind = currentSection()?.dataset.testKind as TestKind | undefined;
    if (kind) openTest(kind);
  });
  deck.addKeyBinding({ keyCode: 87, key: 'W', description: t.keyClose }, () => {
    const kind = currentSection()?.dataset.testKind as TestKind | undefined;
    const test = kind ? snapshot?.tests[kind] : null;
    if (test?.status === 'open') closeTest(test.runId);
    else closeRound();
  });
  deck.addKeyBinding({ keyCode: 71, key: 'G', description: t.keyGroups }, () => {
    for (const panel of built.panels.values()) panel.toggleGroups();
  });
  deck.addKeyBinding({ keyCode: 69, key: 'E', description: t.keyReveal }, revealRound);
  // B and . are what clickers send for their black-screen button: every presenter screen goes black.
  const toggleBlack = (): void => setStage({ blackScreen: !(snapshot?.stage.blackScreen ?? false) });
  deck.addKeyBinding({ keyCode: 66, key: 'B', description: t.keyBlack }, toggleBlack);
  deck.addKeyBinding({ keyCode: 190, key: '.', description: t.keyBlack }, toggleBlack);
  deck.addKeyBinding({ keyCode: 74, key: 'J', description: t.keyJoinQr }, () => setStage({ joinQr: !(snapshot?.stage.joinQr ?? false) }));
  deck.addKeyBinding({ keyCode: 68, key: 'D', description: t.keyTimer }, toggleTimer);
  deck.addKeyBinding({ keyCode: 72, key: 'H', description: t.keyResults }, () => {
    command(socket.emitWithAck('settings:set', { hideResultsWhileOpen: !(snapshot?.stage.hideResultsWhileOpen ?? false) }));
  });
  deck.addKeyBinding({ keyCode: 67, key: 'C', description: t.keyConsole }, () => {
    window.open(`/console/${code}#key=${encodeURIComponent(key)}`, `kotae-console-${code}`);
  });
  deck.addKeyBinding({ keyCode: 191, key: '?', description: t.keyHelp }, () => help.toggle());
  deck.addKeyBinding({ keyCode: 112, key: 'F1', description: t.keyHelp }, () => help.toggle());
  deck.on('slidechanged', () => void requestMove());
  isReady = true;
  showServerSlide();
  renderHud();
}

void start();
