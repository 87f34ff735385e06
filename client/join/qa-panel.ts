/**
 * Audience Q&A on the phone: send a question (anonymously or with the nickname), see the others'
 * and upvote each once. Built once, outside the screen that re-renders, so typing is never lost;
 * question text is other people's text: textContent only.
 */
import { ErrorCode, QA_TEXT_MAX, type QaQuestionView } from '../../shared/contract.ts';
import { el } from '../lib/dom.ts';
import type { KotaeClientSocket } from '../lib/socket.ts';
import { t } from './strings.ts';

export class QaPanel {
  private socket: KotaeClientSocket | null = null;
  private questions: QaQuestionView[] = [];
  private mine = new Map<string, QaQuestionView>();
  private upvoted = new Set<string>();
  private nickname: string | null = null;
  private readonly text: HTMLTextAreaElement;
  private readonly withNickname: HTMLInputElement;
  private readonly nicknameLabel: HTMLElement;
  private readonly sendButton: HTMLButtonElement;
  private readonly feedback: HTMLElement;
  private readonly list: HTMLElement;
  private readonly counter: HTMLElement;

  constructor(root: HTMLElement) {
    this.text = el('textarea', { attrs: { id: 'qa-text', maxlength: String(QA_TEXT_MAX), rows: '3', 'aria-describedby': 'qa-hint' } });
    this.withNickname = el('input', { attrs: { type: 'checkbox', id: 'qa-nickname' } });
    this.nicknameLabel = el('label', { className: 'check', attrs: { for: 'qa-nickname' } });
    this.sendButton = el('button', { className: 'primary', text: t.qaSend, attrs: { type: 'submit' } });
    this.feedback = el('p', { className: 'feedback', attrs: { role: 'status' } });
    this.counter = el('span', { className: 'qa-count' });
    this.list = el('ul', { className: 'qa-list' });
    const form = el('form', { className: 'qa-form' }, [
      el('label', { text: t.qaLabel, attrs: { for: 'qa-text' } }),
      el('p', { className: 'hint', text: t.qaHint(QA_TEXT_MAX), attrs: { id: 'qa-hint' } }),
      this.text,
      el('div', { className: 'check-row' }, [this.withNickname, this.nicknameLabel]),
      this.sendButton,
      this.feedback,
    ]);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.ask();
    });
    root.replaceChildren(el('h2', {}, [document.createTextNode(t.qaTitle), this.counter]), form, this.list);
  }

  connect(socket: KotaeClientSocket): void {
    this.socket = socket;
  }

  renderSnapshot(nickname: string | null, questions: QaQuestionView[], mine: QaQuestionView[], upvoted: string[]): void {
    this.nickname = nickname;
    this.mine = new Map(mine.map((question) => [question.id, question]));
    this.upvoted = new Set(upvoted);
    this.render(questions);
  }

  render(questions: QaQuestionView[]): void {
    this.questions = questions;
    for (const question of questions) if (this.mine.has(question.id)) this.mine.set(question.id, question);
    this.nicknameLabel.textContent = this.nickname ? t.qaWithNickname(this.nickname) : t.qaNoNickname;
    this.withNickname.disabled = this.nickname === null;
    const shown = new Map([...this.mine, ...questions.map((question) => [question.id, question] as const)]);
    const sorted = [...shown.values()].filter((question) => question.status !== 'hidden').sort((a, b) => b.upvotes - a.upvotes || a.askedAt.localeCompare(b.askedAt));
    this.counter.textContent = sorted.length > 0 ? `（${sorted.length}）` : '';
    this.list.replaceChildren(...sorted.map((question) => this.item(question)));
  }

  private item(question: QaQuestionView): HTMLElement {
    const isMine = this.mine.has(question.id);
    const hasUpvoted = this.upvoted.has(question.id);
    const upvote = el('button', {
      className: `upvote${hasUpvoted ? ' done' : ''}`,
      text: `▲ ${question.upvotes}`,
      attrs: { type: 'button', 'aria-label': t.qaUpvote(question.upvotes), 'aria-pressed': String(hasUpvoted) },
    });
    upvote.disabled = isMine || hasUpvoted;
    upvote.addEventListener('click', () => void this.upvote(question.id));
    const status = isMine && question.status === 'pending' ? t.qaPending : question.status === 'answered' ? t.qaAnswered : null;
    return el('li', { className: `qa-item${question.isPinned ? ' pinned' : ''}`, attrs: { 'data-qa-id': question.id } }, [
      el('div', { className: 'qa-body' }, [
        el('p', { className: 'qa-text', text: question.text }),
        el('p', { className: 'qa-meta', text: [isMine ? t.qaMine : (question.nickname ?? t.qaAnonymous), status].filter(Boolean).join('　') }),
      ]),
      upvote,
    ]);
  }

  private async ask(): Promise<void> {
    const text = this.text.value.trim();
    if (!this.socket?.connected || text === '') {
      this.feedback.textContent = text === '' ? t.qaEmpty : t.notSentOffline;
      return;
    }
    this.sendButton.disabled = true;
    // Rejected when the connection drops first (the session moved, say): whether the question arrived
    // is unknown; the reconnect's snapshot lists it if it did, and the text stays here meanwhile.
    const ack = await this.socket.emitWithAck('qa:ask', { text, withNickname: this.withNickname.checked }).catch(() => null);
    this.sendButton.disabled = false;
    if (!ack) return;
    if (!ack.ok) {
      this.feedback.textContent = ack.error.code === ErrorCode.rateLimited ? t.qaRateLimited : t.notSent;
      return;
    }
    this.text.value = '';
    this.feedback.textContent = t.qaSent;
    this.mine.set(ack.data.id, ack.data);
    this.render(this.questions);
  }

  private async upvote(questionId: string): Promise<void> {
    if (!this.socket?.connected) return;
    const ack = await this.socket.emitWithAck('qa:upvote', { questionId }).catch(() => null);
    if (!ack) return;
    if (ack.ok || ack.error.code === ErrorCode.alreadyUpvoted) this.upvoted.add(questionId);
    if (ack.ok) this.questions = this.questions.map((question) => (question.id === questionId ? ack.data : question));
    this.render(this.questions);
  }
}
