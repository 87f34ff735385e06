import { describe, expect, it } from 'vitest';
import { askQuestion, checkPinnable, isPublic, QA_LIMITS, upvote, type AudienceQuestion } from '../../../server/domain/qa.ts';

const question: AudienceQuestion = { id: 'q1', sessionId: 's', participantId: 'p1', text: '質問', nickname: null, status: 'pending', askedAt: 0 };
const ask = (earlier: number[], now: number) =>
  askQuestion({ id: 'n', sessionId: 's', participantId: 'p1', text: 't', nickname: null, earlierOfParticipant: earlier.map((askedAt) => ({ askedAt })) }, now);

describe('audience questions', () => {
  it('start pending, and a participant may send a few a minute and a limited number in all', () => {
    expect(ask([], 0)).toMatchObject({ ok: true, value: { status: 'pending', askedAt: 0 } });
    expect(ask([0, 1, 2], 3)).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    expect(ask([0, 1, 2], QA_LIMITS.windowMs)).toMatchObject({ ok: true });
    const many = Array.from({ length: QA_LIMITS.perSession }, (_, index) => index * QA_LIMITS.windowMs);
    expect(ask(many, 10 * QA_LIMITS.perSession * QA_LIMITS.windowMs)).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
  });

  it('are public once approved or answered, and while pending only without pre-moderation', () => {
    expect(isPublic({ status: 'pending' }, false)).toBe(true);
    expect(isPublic({ status: 'pending' }, true)).toBe(false);
    expect(isPublic({ status: 'approved' }, true)).toBe(true);
    expect(isPublic({ status: 'answered' }, true)).toBe(true);
    expect(isPublic({ status: 'hidden' }, false)).toBe(false);
  });

  it('take one upvote per participant, never from the asker, and only where the participant may see them', () => {
    expect(upvote(question, 'p2', new Set(), false, 5)).toMatchObject({ ok: true, value: { upvote: { questionId: 'q1', participantId: 'p2', upvotedAt: 5 } } });
    expect(upvote(question, 'p2', new Set(['p2']), false, 5)).toMatchObject({ ok: false, error: { code: 'already_upvoted' } });
    expect(upvote(question, 'p1', new Set(), false, 5)).toMatchObject({ ok: false, error: { code: 'already_upvoted' } });
    expect(upvote(question, 'p2', new Set(), true, 5)).toMatchObject({ ok: false, error: { code: 'qa_question_not_found' } });
    expect(upvote({ ...question, status: 'hidden' }, 'p2', new Set(), false, 5)).toMatchObject({ ok: false, error: { code: 'qa_question_not_found' } });
  });

  it('can be pinned unless hidden', () => {
    expect(checkPinnable(question).ok).toBe(true);
    expect(checkPinnable({ ...question, status: 'hidden' })).toMatchObject({ ok: false });
    expect(checkPinnable(null)).toMatchObject({ ok: false });
  });
});
