import { describe, expect, it } from 'vitest';
import { connectPresenter, joinParticipant, nextEvent, requireOk } from '../support/clients.ts';
import { useServers } from '../support/fixtures.ts';
import { createSession, manualClock, type TestServer } from '../support/test-app.ts';

const { start, sockets } = useServers();
let server: TestServer;

async function setUp(clock = manualClock(), settings?: Record<string, unknown>) {
  server = await start({ clock });
  const session = await createSession(server.baseUrl, settings ? { course: 'sample', settings } : { course: 'sample' });
  const code = session.session.code;
  const { socket: presenter } = await connectPresenter(server.baseUrl, code, session.presenterKey);
  const [asker, second, third] = [
    await joinParticipant(server.baseUrl, code, 'さとう'),
    await joinParticipant(server.baseUrl, code),
    await joinParticipant(server.baseUrl, code),
  ];
  sockets.push(presenter, asker.socket, second.socket, third.socket);
  return { session, code, presenter, asker, second, third, clock };
}

describe('audience questions', () => {
  it('are asked from a phone, upvoted once by each other phone, moderated, pinned and exported with the results', async () => {
    const { session, code, presenter, asker, second, third } = await setUp();
    const seenBySecond = nextEvent(second.socket, 'qa:changed', (questions) => questions.length === 1);
    const asked = requireOk(await asker.socket.emitWithAck('qa:ask', { text: '  <b>録音</b>は断ってよいですか？  ', withNickname: true }));
    expect(asked).toMatchObject({ text: '<b>録音</b>は断ってよいですか？', nickname: 'さとう', upvotes: 0, status: 'pending', isPinned: false });
    expect((await seenBySecond)[0]!.id).toBe(asked.id);

    expect(requireOk(await second.socket.emitWithAck('qa:upvote', { questionId: asked.id })).upvotes).toBe(1);
    expect(requireOk(await third.socket.emitWithAck('qa:upvote', { questionId: asked.id })).upvotes).toBe(2);
    expect(await second.socket.emitWithAck('qa:upvote', { questionId: asked.id })).toMatchObject({ ok: false, error: { code: 'already_upvoted' } });
    expect(await asker.socket.emitWithAck('qa:upvote', { questionId: asked.id })).toMatchObject({ ok: false, error: { code: 'already_upvoted' } });
    expect(await second.socket.emitWithAck('qa:upvote', { questionId: 'nope' })).toMatchObject({ ok: false, error: { code: 'qa_question_not_found' } });
    expect(await asker.socket.emitWithAck('qa:moderate', { questionId: asked.id, status: 'approved' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    const anonymous = requireOk(await second.socket.emitWithAck('qa:ask', { text: '匿名の質問です', withNickname: false }));
    expect(anonymous.nickname).toBeNull();

    expect(requireOk(await presenter.emitWithAck('qa:moderate', { questionId: asked.id, status: 'approved' })).status).toBe('approved');
    const pinnedOnScreens = nextEvent(presenter, 'stage:changed', (stage) => stage.pinnedQuestion?.id === asked.id);
    const stage = requireOk(await presenter.emitWithAck('qa:pin', { questionId: asked.id, pinned: true }));
    expect(stage.pinnedQuestion).toMatchObject({ id: asked.id, upvotes: 2, isPinned: true, status: 'approved' });
    await pinnedOnScreens;

    // Hiding the pinned question takes it off the projector.
    requireOk(await presenter.emitWithAck('qa:moderate', { questionId: anonymous.id, status: 'hidden' }));
    expect(await presenter.emitWithAck('qa:pin', { questionId: anonymous.id, pinned: true })).toMatchObject({ ok: false, error: { code: 'qa_question_not_found' } });
    const hiddenForPhones = nextEvent(third.socket, 'qa:changed', (questions) => questions.length === 1);
    requireOk(await presenter.emitWithAck('qa:moderate', { questionId: asked.id, status: 'answered' }));
    await hiddenForPhones;

    const results = (await (await fetch(`${server.baseUrl}/api/sessions/${code}/results`, { headers: { 'X-Organizer-Key': session.organizerKey } })).json()) as {
      data: { qa: unknown[] };
    };
    expect(results.data.qa).toMatchObject([
      { id: asked.id, text: '<b>録音</b>は断ってよいですか？', nickname: 'さとう', upvotes: 2, status: 'answered', isPinned: true },
      { id: anonymous.id, nickname: null, upvotes: 0, status: 'hidden', isPinned: false },
    ]);
  });

  it('drops the upvotes and hides the questions of a participant the presenter removes', async () => {
    const { presenter, asker, second, third } = await setUp();
    const asked = requireOk(await asker.socket.emitWithAck('qa:ask', { text: '残る質問', withNickname: false }));
    const fromSecond = requireOk(await second.socket.emitWithAck('qa:ask', { text: '消える質問', withNickname: false }));
    requireOk(await second.socket.emitWithAck('qa:upvote', { questionId: asked.id }));
    requireOk(await third.socket.emitWithAck('qa:upvote', { questionId: asked.id }));
    const onPhones = nextEvent(third.socket, 'qa:changed', (questions) => questions.every((question) => question.id !== fromSecond.id));
    const onScreens = nextEvent(presenter, 'qa:changed', (questions) => questions.find((question) => question.id === asked.id)?.upvotes === 1);
    requireOk(await presenter.emitWithAck('participant:remove', { participantIds: [second.participantId] }));
    expect((await onPhones).map((question) => question.id)).toEqual([asked.id]);
    await onScreens;
  });

  it('limits the length and the rate of questions per participant', async () => {
    const { asker, clock } = await setUp();
    expect(await asker.socket.emitWithAck('qa:ask', { text: 'あ'.repeat(201), withNickname: false })).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    expect(await asker.socket.emitWithAck('qa:ask', { text: '   ', withNickname: false })).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    requireOk(await asker.socket.emitWithAck('qa:ask', { text: 'あ'.repeat(200), withNickname: false }));
    requireOk(await asker.socket.emitWithAck('qa:ask', { text: '二つ目', withNickname: false }));
    requireOk(await asker.socket.emitWithAck('qa:ask', { text: '三つ目', withNickname: false }));
    expect(await asker.socket.emitWithAck('qa:ask', { text: '四つ目', withNickname: false })).toMatchObject({ ok: false, error: { code: 'rate_limited', retryAfterMs: 60_000 } });
    clock.advance(60_000);
    for (let i = 4; i <= 6; i += 1) requireOk(await asker.socket.emitWithAck('qa:ask', { text: `${i}つ目`, withNickname: false }));
    clock.advance(60_000);
    for (let i = 7; i <= 10; i += 1) {
      if (i === 10) clock.advance(60_000);
      requireOk(await asker.socket.emitWithAck('qa:ask', { text: `${i}つ目`, withNickname: false }));
    }
    clock.advance(60_000);
    expect(await asker.socket.emitWithAck('qa:ask', { text: '十一', withNickname: false })).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
  });

  it('with pre-moderation, shows a question to other phones only once approved', async () => {
    const { presenter, asker, second } = await setUp(manualClock(), { moderateQuestions: true });
    const asked = requireOk(await asker.socket.emitWithAck('qa:ask', { text: '承認前の質問', withNickname: false }));
    expect(await second.socket.emitWithAck('qa:upvote', { questionId: asked.id })).toMatchObject({ ok: false, error: { code: 'qa_question_not_found' } });
    const approved = nextEvent(second.socket, 'qa:changed', (questions) => questions.some((question) => question.id === asked.id));
    requireOk(await presenter.emitWithAck('qa:moderate', { questionId: asked.id, status: 'approved' }));
    await approved;
    expect(requireOk(await second.socket.emitWithAck('qa:upvote', { questionId: asked.id })).upvotes).toBe(1);
  });
});
