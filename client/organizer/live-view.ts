/**
 * The live view: joined and connected counts with their course over time, the current question and
 * its response rate. Built once and updated in place, so nothing the organizer is looking at jumps.
 */
import { apiPaths, type LiveView } from '../../shared/contract.ts';
import { el } from '../lib/dom.ts';
import { stepLine } from './charts.ts';
import { t } from './strings.ts';

/** At most this many samples are kept for the course over time (an hour at one every 5 s). */
const MAX_SAMPLES = 720;

export interface LivePanel {
  element: HTMLElement;
  update(view: LiveView): void;
}

export function createLivePanel(): LivePanel {
  const joined = el('strong', { className: 'big', attrs: { 'data-live': 'joined' } });
  const connected = el('strong', { className: 'big', attrs: { 'data-live': 'connected' } });
  const chapter = el('span', { attrs: { 'data-live': 'chapter' } });
  const question = el('p', { className: 'live-question', attrs: { 'data-live': 'question' } });
  const roundLine = el('p', { className: 'muted', attrs: { 'data-live': 'round' } });
  const rateBar = el('div', { className: 'rate-fill' });
  const rateText = el('strong', { attrs: { 'data-live': 'rate' } });
  const trend = el('div', { className: 'trend' });
  const updated = el('p', { className: 'muted small' });
  const checkStatus = el('p', { className: 'check-status', attrs: { 'data-live': 'reachability' } });
  const checkAddress = el('p', { className: 'small' });
  const checkWarning = el('p', { className: 'check-warning', attrs: { hidden: '' } });
  const checkQr = el('img', { className: 'check-qr', attrs: { alt: t.check.qrAlt, width: '120', height: '120' } });
  const joinedSamples: number[] = [];
  const connectedSamples: number[] = [];

  const element = el('section', { className: 'live card', attrs: { 'aria-live': 'polite' } }, [
    el('div', { className: 'live-counts' }, [
      el('p', {}, [el('span', { className: 'label', text: t.joined }), joined]),
      el('p', {}, [el('span', { className: 'label', text: t.connected }), connected]),
      el('p', {}, [el('span', { className: 'label', text: t.chapter }), chapter]),
    ]),
    el('h2', { text: t.currentQuestion }),
    question,
    roundLine,
    el('div', { className: 'rate' }, [el('span', { className: 'label', text: t.responseRate }), el('div', { className: 'rate-track' }, [rateBar]), rateText]),
    el('section', { className: 'check' }, [
      el('h2', { text: t.check.heading }),
      el('div', { className: 'check-body' }, [
        checkQr,
        el('div', {}, [checkStatus, checkAddress, checkWarning, el('p', { className: 'muted small', text: t.check.howTo })]),
      ]),
    ]),
    el('h2', { text: t.presenceOverTime }),
    trend,
    updated,
  ]);

  return {
    element,
    update(view) {
      const reach = view.reachability;
      checkStatus.textContent = reach.checkedAt ? t.check.done(new Date(reach.checkedAt).toLocaleTimeString('ja-JP')) : t.check.notYet;
      checkStatus.dataset.state = reach.checkedAt ? 'done' : 'waiting';
      checkAddress.textContent = `${t.check.address} ${reach.joinUrl}`;
      checkWarning.hidden = !reach.isLocalOnly;
      checkWarning.textContent = t.check.localOnly;
      const qrSource = `${apiPaths.qr(view.session.code)}?check=1`;
      if (checkQr.getAttribute('src') !== qrSource) checkQr.setAttribute('src', qrSource);
      joined.textContent = String(view.participants);
      connected.textContent = String(view.connectedParticipants);
      chapter.textContent = view.chapterTitle ?? '—';
      const round = view.round;
      question.textContent = round ? round.prompt : t.noQuestion;
      roundLine.textContent = round ? `${t.round(round.number)}・${t.roundStatus[round.status]}・${t.voted} ${round.voted} / ${view.participants}` : '';
      const rate = round && view.participants > 0 ? Math.round((round.voted / view.participants) * 100) : 0;
      rateBar.style.width = `${rate}%`;
      rateText.textContent = round ? `${rate}%` : '—';
      joinedSamples.push(view.participants);
      connectedSamples.push(view.connectedParticipants);
      if (joinedSamples.length > MAX_SAMPLES) joinedSamples.shift();
      if (connectedSamples.length > MAX_SAMPLES) connectedSamples.shift();
      trend.replaceChildren(
        el('p', { className: 'trend-label', text: t.joined }),
        stepLine(joinedSamples, t.joined, 520, 90),
        el('p', { className: 'trend-label', text: t.connected }),
        stepLine(connectedSamples, t.connected, 520, 90),
      );
      updated.textContent = `${t.updatedAt} ${new Date().toLocaleTimeString('ja-JP')}`;
    },
  };
}
