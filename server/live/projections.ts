/**
 * Every view of a running session, in one place, over a read-only room: what phones, presenter
 * screens and the organizer are shown. Phones never get an answer, 解説 or outcome before the reveal.
 */
import type { Question, TestItem } from '../../shared/course.ts';
import type {
  GroupTally,
  ParticipantTestView,
  PrePostGainView,
  PresenterTestView,
  TestChoice,
  TestKind,
  TestScore,
  TestStatsView,
  AdminSessionRow,
  CourseChoice,
  DeckPayload,
  DeckPosition,
  DeckQuestion,
  LiveView,
  DeckSlide,
  PacingView,
  ParticipantRoundView,
  ParticipantSnapshot,
  PresenterRoundView,
  PresenterSnapshot,
  ResultParticipant,
  ResultRound,
  QaQuestionView,
  ResultsPayload,
  RevealView,
  SessionSummary,
  SpeakerNotes,
  StageView,
  Tally,
  TimerAnnouncement,
} from '../../shared/contract.ts';
import { TITLE_SLIDE_ID } from '../../shared/contract.ts';
import { japanIso } from '../../shared/japan-time.ts';
import { findQuestion, findVariant, optionsOf, type CourseCatalog } from '../course/course-catalog.ts';
import { slidesOfSession } from '../course/deck-plan.ts';
import { PRE_TEST_ITEM_COUNT, prePostGain, scoreAttempt, testStats, type TestRun, type TestStats } from '../domain/knowledge-test.ts';
import { partTimes } from '../domain/pacing.ts';
import type { Participant } from '../domain/participant.ts';
import { groupTallies, isLeftover, roundShift, tallyOf, type Round } from '../domain/poll.ts';
import { isPublic, type AudienceQuestion } from '../domain/qa.ts';
import type { Session } from '../domain/session.ts';
import type { SessionListing } from '../storage/storage.ts';
import type { ReadonlyRoom } from './session-room.ts';

export function sessionSummary(session: Session): SessionSummary {
  return {
    code: session.code,
    title: session.title,
    courseId: session.courseId,
    variantId: session.variantId,
    state: session.state,
    clientName: session.settings.clientName,
    startsAt: session.settings.startsAt,
    isRehearsal: session.settings.isRehearsal,
    isDemo: session.settings.isDemo,
  };
}

export function deckPosition(room: ReadonlyRoom): DeckPosition {
  const slideId = room.session.currentSlideId;
  const chapterId = slideId === null ? null : (room.deck.find(slideId)?.chapterId ?? null);
  return { slideId, chapterId, chapterTitle: room.deck.chapterTitle(chapterId) };
}

function requireQuestion(room: ReadonlyRoom, questionId: string): Question {
  const question = findQuestion(room.course, questionId);
  if (!question) throw new Error(`question ${questionId} vanished from course ${room.course.manifest.id}`);
  return question;
}

function revealOf(question: Question): RevealView {
  return {
    answer: question.answer,
    explanation: question.explanation,
    outcome: question.kind === 'case' ? question.case.outcome : null,
    lesson: question.kind === 'case' ? question.lesson : null,
  };
}

export function tallyOfRound(room: ReadonlyRoom, round: Round): Tally {
  return tallyOf(round, room.votesIn(round.id).values(), room.participantCount);
}

export function groupTalliesOfRound(room: ReadonlyRoom, round: Round): GroupTally[] {
  return groupTallies(round, room.votesIn(round.id), (participantId) => room.groupOf(participantId), room.session.settings.groups);
}

/** The live tally of the current round, with its groups' counts, as the projector gets it while votes arrive. */
export function currentTally(room: ReadonlyRoom): (Tally & { groups: GroupTally[] }) | null {
  const round = room.currentRound();
  return round ? { ...tallyOfRound(room, round), groups: groupTalliesOfRound(room, round) } : null;
}

/** The round of the same question asked just before this one, for a re-vote. */
function previousRoundOf(room: ReadonlyRoom, round: Round): Round | null {
  const earlier = room.rounds.filter((candidate) => candidate.questionId === round.questionId && candidate.number < round.number);
  return earlier.at(-1) ?? null;
}

export function participantRoundView(room: ReadonlyRoom): ParticipantRoundView | null {
  const round = room.currentRound();
  if (!round) return null;
  const question = requireQuestion(room, round.questionId);
  return {
    roundId: round.id,
    questionId: round.questionId,
    kind: question.kind,
    number: round.number,
    prompt: question.prompt,
    facts: question.kind === 'case' ? question.facts : null,
    options: optionsOf(question),
    status: round.status,
    reveal: round.status === 'revealed' ? revealOf(question) : null,
  };
}

/** A round as the projector shows it, answer and tally included. */
export function presenterRoundView(room: ReadonlyRoom, round: Round): PresenterRoundView {
  const question = requireQuestion(room, round.questionId);
  return {
    roundId: round.id,
    questionId: round.questionId,
    number: round.number,
    status: round.status,
    options: optionsOf(question),
    answer: question.answer,
    tally: tallyOfRound(room, round),
    groups: groupTalliesOfRound(room, round),
    shift: shiftOf(room, round),
  };
}

function shiftOf(room: ReadonlyRoom, round: Round) {
  const previous = previousRoundOf(room, round);
  if (!previous) return null;
  const groupOf = (participantId: string): string | null => room.groupOf(participantId);
  return roundShift(previous, room.votesIn(previous.id), room.votesIn(round.id), groupOf, room.session.settings.groups);
}

export function participantSnapshot(room: ReadonlyRoom, participant: Participant): ParticipantSnapshot {
  const round = room.currentRound();
  const mine = room.audienceQuestions.filter((question) => question.participantId === participant.id);
  return {
    session: sessionSummary(room.session),
    participant: { id: participant.id, nickname: participant.nickname, status: participant.status === 'pending' ? 'pending' : 'admitted' },
    deck: deckPosition(room),
    round: participantRoundView(room),
    myChoice: round ? (room.votesIn(round.id).get(participant.id) ?? null) : null,
    test: round ? null : participantTestView(room, participant.id),
    timer: timerAnnouncement(room),
    qa: publicQaViews(room),
    myQuestions: mine.map((question) => qaQuestionView(room, question)),
    myUpvotes: room.audienceQuestions.filter((question) => room.upvotersOf(question.id).has(participant.id)).map((question) => question.id),
  };
}

function testItemOf(room: ReadonlyRoom, itemId: string): TestItem {
  const item = room.testItems.find((candidate) => candidate.id === itemId);
  if (!item) throw new Error(`test item ${itemId} vanished from course ${room.course.manifest.id}`);
  return item;
}

function keysOf(room: ReadonlyRoom, run: TestRun): Map<string, TestChoice> {
  return new Map(run.itemIds.map((itemId) => [itemId, testItemOf(room, itemId).answer]));
}

/** The test a phone shows: its own answers while open, its own score and missed items once closed. */
export function participantTestView(room: ReadonlyRoom, participantId: string | null): ParticipantTestView | null {
  const run = room.currentTestRun();
  if (!run) return null;
  const attempt = participantId === null ? undefined : room.attemptsIn(run.id).get(participantId);
  const answers = { ...(attempt?.answers ?? {}) };
  let result: ParticipantTestView['result'] = null;
  if (run.status === 'closed') {
    const score = scoreAttempt(run, answers, keysOf(room, run));
    result = {
      score: score.score,
      total: score.total,
      missed: score.missedItemIds.map((itemId) => {
        const item = testItemOf(room, itemId);
        return { itemId, prompt: item.prompt, answer: item.answer, yourChoice: answers[itemId] ?? null, explanation: item.explanation, basis: item.basis ?? null };
      }),
    };
  }
  return {
    runId: run.id,
    kind: run.kind,
    status: run.status,
    items: run.itemIds.map((itemId) => ({ id: itemId, prompt: testItemOf(room, itemId).prompt })),
    answers,
    position: attempt?.position ?? 0,
    submitted: attempt?.submittedAt != null,
    result,
  };
}

function statsOf(room: ReadonlyRoom, run: TestRun): TestStats {
  return testStats(run, room.attemptsIn(run.id).values(), keysOf(room, run));
}

function statsView(room: ReadonlyRoom, run: TestRun, stats: TestStats): TestStatsView {
  const keys = keysOf(room, run);
  const scored = [...room.attemptsIn(run.id).values()].filter((attempt) => Object.keys(attempt.answers).length > 0);
  const scoreOf = (participantId: string): number | null => {
    const attempt = room.attemptsIn(run.id).get(participantId);
    return attempt ? scoreAttempt(run, attempt.answers, keys).score : null;
  };
  const groups = room.session.settings.groups.map((group) => {
    const scores = scored.filter((attempt) => room.groupOf(attempt.participantId) === group).map((attempt) => scoreOf(attempt.participantId)!);
    return { group, scored: scores.length, mean: scores.length > 0 ? scores.reduce((sum, score) => sum + score, 0) / scores.length : 0 };
  });
  const top = room.session.settings.leaderboard;
  const leaderboard =
    top > 0
      ? scored
          .map((attempt) => ({ nickname: room.participants.get(attempt.participantId)?.nickname ?? '匿名', score: scoreOf(attempt.participantId)! }))
          .sort((a, b) => b.score - a.score)
          .slice(0, top)
      : null;
  return {
    scored: stats.scored,
    histogram: stats.histogram,
    mean: stats.mean,
    median: stats.median,
    items: stats.items.map((item) => ({ itemId: item.itemId, prompt: testItemOf(room, item.itemId).prompt, rate: item.rate })),
    groups,
    leaderboard,
  };
}

/** The gain from the closed pre-test to this closed test, when both ran. */
function gainView(room: ReadonlyRoom, run: TestRun, stats: TestStats): PrePostGainView | null {
  const pre = room.latestTestRun('pre');
  if (run.kind !== 'post' || !pre || pre.status !== 'closed') return null;
  const gain = prePostGain(statsOf(room, pre), stats);
  if (!gain) return null;
  return { ...gain, items: gain.items.map((item) => ({ ...item, prompt: testItemOf(room, item.itemId).prompt })) };
}

/** A test run as the projector shows it: progress while open, the distribution once closed; never one person's score. */
export function presenterTestView(room: ReadonlyRoom, run: TestRun): PresenterTestView {
  const attempts = [...room.attemptsIn(run.id).values()];
  const stats = run.status === 'closed' ? statsOf(room, run) : null;
  return {
    runId: run.id,
    kind: run.kind,
    status: run.status,
    itemCount: run.itemIds.length,
    submitted: attempts.filter((attempt) => attempt.submittedAt !== null).length,
    answering: attempts.filter((attempt) => Object.keys(attempt.answers).length > 0).length,
    participants: room.participantCount,
    stats: stats ? statsView(room, run, stats) : null,
    gain: stats ? gainView(room, run, stats) : null,
  };
}

function latestTestView(room: ReadonlyRoom, kind: TestKind): PresenterTestView | null {
  const run = room.latestTestRun(kind);
  return run ? presenterTestView(room, run) : null;
}

export function presenterSnapshot(room: ReadonlyRoom, joinUrl: string, connectedParticipants: number): PresenterSnapshot {
  const currentRound = room.currentRound();
  return {
    session: sessionSummary(room.session),
    joinUrl,
    deck: deckPosition(room),
    round: currentRound ? presenterRoundView(room, currentRound) : null,
    tests: { pre: latestTestView(room, 'pre'), post: latestTestView(room, 'post') },
    groups: room.session.settings.groups,
    participants: room.participantCount,
    connectedParticipants,
    pendingParticipants: room.pendingCount,
    joinsLastMinute: room.joinsLastMinute(),
    expectedParticipants: room.session.settings.expectedParticipants,
    stage: stageView(room),
    qa: allQaViews(room),
    pacing: pacingView(room),
  };
}

export function qaQuestionView(room: ReadonlyRoom, question: AudienceQuestion): QaQuestionView {
  return {
    id: question.id,
    text: question.text,
    nickname: question.nickname,
    upvotes: room.upvotersOf(question.id).size,
    status: question.status,
    isPinned: room.session.stage.pinnedQuestionId === question.id,
    askedAt: new Date(question.askedAt).toISOString(),
  };
}

/** Every audience question, oldest first: for presenter screens and the organizer's export. */
export function allQaViews(room: ReadonlyRoom): QaQuestionView[] {
  return room.audienceQuestions.map((question) => qaQuestionView(room, question));
}

/** The audience questions every phone may see, oldest first: none of a participant the presenter removed. */
export function publicQaViews(room: ReadonlyRoom): QaQuestionView[] {
  const { moderateQuestions } = room.session.settings;
  return room.audienceQuestions
    .filter((question) => isPublic(question, moderateQuestions) && room.participants.get(question.participantId)?.status !== 'removed')
    .map((question) => qaQuestionView(room, question));
}

/** What the presenter screens show over the slides, with the server's clock for counting down. */
export function stageView(room: ReadonlyRoom): StageView {
  const { stage, settings } = room.session;
  const pinned = room.audienceQuestions.find((question) => question.id === stage.pinnedQuestionId);
  return {
    joinQr: stage.joinQr,
    blackScreen: stage.blackScreen,
    timer: stage.timer,
    pinnedQuestion: pinned ? qaQuestionView(room, pinned) : null,
    hideResultsWhileOpen: settings.hideResultsWhileOpen,
    moderateQuestions: settings.moderateQuestions,
    serverNow: room.now(),
  };
}

export function timerAnnouncement(room: ReadonlyRoom): TimerAnnouncement {
  return { timer: room.session.stage.timer, serverNow: room.now() };
}

/** Planned against spent minutes per part of the plan, from the deck's moves. */
export function pacingView(room: ReadonlyRoom): PacingView {
  const times = partTimes(room.moves, (slideId) => room.deck.find(slideId)?.chapterId ?? null);
  const variant = findVariant(room.course, room.session.variantId);
  return {
    startedAt: times.startedAt,
    totalMinutes: variant?.totalMinutes ?? 0,
    parts: room.deck.parts.map((part) => ({
      id: part.id,
      title: part.title,
      kind: part.kind,
      plannedMinutes: part.minutes,
      spentMs: times.spentMs.get(part.id) ?? 0,
      firstEnteredAt: times.firstEnteredAt.get(part.id) ?? null,
    })),
    current: times.current,
  };
}

export function deckQuestion(question: Question): DeckQuestion {
  return {
    id: question.id,
    kind: question.kind,
    prompt: question.prompt,
    facts: question.kind === 'case' ? question.facts : null,
    caseLabel: question.kind === 'case' ? `${question.case.court} ${question.case.date}` : null,
    options: optionsOf(question),
    reveal: revealOf(question),
    basis: question.basis,
  };
}

/**
 * The slides of the session's variant, for presenter screens (presenter key only: it holds the
 * answers). Speaker notes are left out: they are in speakerNotes, which only the console fetches.
 */
export function deckPayload(room: ReadonlyRoom, joinUrl: string): DeckPayload {
  const { course, session } = room;
  const variant = findVariant(course, session.variantId);
  if (!variant) throw new Error(`variant ${session.variantId} vanished from course ${course.manifest.id}`);
  return {
    session: sessionSummary(session),
    courseTitle: course.manifest.title,
    subtitle: course.manifest.subtitle ?? null,
    presenter: session.settings.lecturer || (course.manifest.presenter ?? null),
    variant: { id: variant.id, title: variant.title, totalMinutes: variant.totalMinutes },
    joinUrl,
    chapters: room.deck.parts.map((part) => ({
      id: part.id,
      kind: part.kind,
      title: part.title,
      number: part.kind === 'chapter' ? (part.chapter.number ?? null) : null,
      plannedMinutes: part.minutes,
      slides:
        part.kind === 'break'
          ? [{ kind: 'break', id: part.id, label: part.title, minutes: part.minutes }]
          : slidesOfSession(part.chapter.slides, session.settings).map((slide): DeckSlide => {
              if (slide.kind === 'content') return { kind: 'content', id: slide.id, markdown: slide.markdown };
              if (slide.kind === 'test') {
                const itemCount = slide.testKind === 'post' ? room.testItems.length : Math.min(PRE_TEST_ITEM_COUNT, room.testItems.length);
                return { kind: 'test', id: slide.id, testKind: slide.testKind, itemCount };
              }
              return { kind: 'question', id: slide.id, question: deckQuestion(requireQuestion(room, slide.questionId)) };
            }),
    })),
  };
}

/** The speaker notes of the variant's slides, by slide id: for the presenter console only. */
export function speakerNotes(room: ReadonlyRoom): SpeakerNotes {
  const notes: Record<string, string> = {};
  const checkedOn = room.course.manifest.legalCheckedOn;
  if (checkedOn) notes[TITLE_SLIDE_ID] = `法令・指針の確認日: ${checkedOn}。開催の前に、カスハラ指針の告示と最新の法令で内容を確かめてください。`;
  for (const part of room.deck.parts) {
    if (part.kind !== 'chapter') continue;
    for (const slide of part.chapter.slides) if (slide.notes) notes[slide.id] = slide.notes;
  }
  return { notes };
}

/** The chapter whose slide asks each question of the variant. */
function chapterOfQuestions(room: ReadonlyRoom): Map<string, string | null> {
  const chapters = new Map<string, string | null>();
  for (const slide of room.deck.slides) if (slide.questionId && !chapters.has(slide.questionId)) chapters.set(slide.questionId, slide.chapterId);
  return chapters;
}

function resultRound(room: ReadonlyRoom, round: Round, tally: Tally, chapterId: string | null, numberOf: ReadonlyMap<string, number>): ResultRound {
  const question = requireQuestion(room, round.questionId);
  const votes = [...room.votesIn(round.id)].map(([participantId, choice]) => ({ participant: numberOf.get(participantId) ?? 0, choice }));
  return {
    roundId: round.id,
    questionId: round.questionId,
    kind: question.kind,
    number: round.number,
    chapterId,
    chapterTitle: room.deck.chapterTitle(chapterId),
    caseName: question.kind === 'case' ? `${question.case.court} ${question.case.date}` : null,
    prompt: question.prompt,
    options: optionsOf(question),
    answer: question.answer,
    explanation: question.explanation,
    lesson: question.kind === 'case' ? question.lesson : null,
    status: round.status,
    openedAt: japanIso(round.openedAt),
    closedAt: round.closedAt === null ? null : japanIso(round.closedAt),
    counts: tally.counts,
    voted: tally.voted,
    correct: tally.counts[question.answer] ?? 0,
    votes: votes.sort((a, b) => a.participant - b.participant),
  };
}

/** Each participant's score in a closed test run, in join order; attempts with no answer are left out. */
function testScoresOf(room: ReadonlyRoom, run: TestRun, numberOf: ReadonlyMap<string, number>): TestScore[] {
  const keys = keysOf(room, run);
  return [...room.attemptsIn(run.id).values()]
    .filter((attempt) => Object.keys(attempt.answers).length > 0)
    .map((attempt) => {
      const { score, total } = scoreAttempt(run, attempt.answers, keys);
      const submittedAt = attempt.submittedAt ?? null;
      return { runId: run.id, kind: run.kind, participant: numberOf.get(attempt.participantId) ?? 0, score, total, submittedAt: submittedAt === null ? null : japanIso(submittedAt) };
    })
    .sort((a, b) => a.participant - b.participant);
}

/**
 * Everything the organizer gets about a session: its settings, its admitted participants (numbered in
 * join order, nickname only when given) and every round with each vote; leftovers are left out and counted.
 */
export function resultsOf(room: ReadonlyRoom, joinUrl: string): ResultsPayload {
  const { session, course } = room;
  const tallied = room.rounds.map((round) => ({ round, tally: tallyOfRound(room, round) }));
  const reported = tallied.filter(({ round, tally }) => !isLeftover(round, tally.voted));
  // Admitted participants only: one waiting for approval never voted, a removed one's votes are discarded.
  const participants = [...room.participants.values()].filter((participant) => participant.status === 'admitted');
  const roster: ResultParticipant[] = participants.map((participant, index) => ({
    number: index + 1,
    nickname: participant.nickname,
    group: participant.group,
    joinedAt: japanIso(participant.joinedAt),
  }));
  const numberOf = new Map(participants.map((participant, index) => [participant.id, index + 1]));
  const chapters = chapterOfQuestions(room);
  const closedRuns = room.testRuns.filter((run) => run.status === 'closed');
  return {
    session: sessionSummary(session),
    settings: session.settings,
    courseTitle: course.manifest.title,
    variantTitle: findVariant(course, session.variantId)?.title ?? session.variantId,
    joinUrl,
    createdAt: japanIso(session.createdAt),
    participants: room.participantCount,
    roster,
    skippedRounds: tallied.length - reported.length,
    groups: session.settings.groups,
    tests: closedRuns.map((run) => presenterTestView(room, run)),
    testScores: closedRuns.flatMap((run) => testScoresOf(room, run, numberOf)),
    rounds: reported.map(({ round, tally }) => resultRound(room, round, tally, chapters.get(round.questionId) ?? null, numberOf)),
    qa: allQaViews(room),
  };
}

/** The organizer's live view: who is here, and how the current question is going. */
export function liveViewOf(room: ReadonlyRoom, connectedParticipants: number, joinUrl: string): LiveView {
  const round = room.currentRound();
  const checkedAt = room.lastReachabilityCheck();
  return {
    reachability: {
      joinUrl,
      checkUrl: `${joinUrl}?check=1`,
      isLocalOnly: /^https?:\/\/(localhost|127\.|\[::1\])/i.test(joinUrl),
      checkedAt: checkedAt === null ? null : japanIso(checkedAt),
    },
    session: sessionSummary(room.session),
    participants: room.participantCount,
    connectedParticipants,
    chapterTitle: deckPosition(room).chapterTitle,
    round: round
      ? {
          questionId: round.questionId,
          prompt: requireQuestion(room, round.questionId).prompt,
          number: round.number,
          status: round.status,
          voted: room.votesIn(round.id).size,
        }
      : null,
  };
}

/** A row of the all-sessions page, from a stored session and its counts. */
export function adminSessionRow(listing: SessionListing, catalog: CourseCatalog): AdminSessionRow {
  const { session } = listing;
  const course = catalog.get(session.courseId);
  return {
    session: sessionSummary(session),
    settings: session.settings,
    courseTitle: course?.manifest.title ?? session.courseId,
    variantTitle: (course && findVariant(course, session.variantId)?.title) ?? session.variantId,
    createdAt: japanIso(session.createdAt),
    participants: listing.participants,
    rounds: listing.rounds,
    votes: listing.votes,
  };
}

/** The courses and variants the create form offers. */
export function courseChoices(catalog: CourseCatalog): CourseChoice[] {
  return catalog.ids().flatMap((id) => {
    const course = catalog.get(id);
    if (!course) return [];
    const { manifest } = course;
    return [{ id, title: manifest.title, defaultVariant: manifest.defaultVariant, variants: manifest.variants.map((variant) => ({ id: variant.id, title: variant.title })) }];
  });
}
