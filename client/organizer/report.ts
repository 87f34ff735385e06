/** The printable results report (A4): what the lawyer hands to the client after the seminar. */
import type { ResultsPayload } from '../../shared/contract.ts';
import { japanDisplay, startsAtDisplay } from '../../shared/japan-time.ts';
import { el } from '../lib/dom.ts';
import { groupsBlock, qaBlock, questionsBlock, summaryBlock, testBlock } from './dashboard.ts';
import { t } from './strings.ts';

function factsTable(results: ResultsPayload): HTMLElement {
  const { settings } = results;
  const rows: Array<[string, string]> = [
    [t.facts.title, results.session.title],
    [t.facts.client, settings.clientName],
    [t.facts.startsAt, startsAtDisplay(settings.startsAt)],
    [t.facts.venue, settings.venue],
    [t.facts.lecturer, settings.lecturer],
    [t.facts.course, `${results.courseTitle}（${results.variantTitle}）`],
    [t.facts.participants, String(results.participants)],
  ];
  return el(
    'table',
    { className: 'facts' },
    rows.filter(([, value]) => value !== '').map(([label, value]) => el('tr', {}, [el('th', { text: label }), el('td', { text: value })])),
  );
}

export function report(results: ResultsPayload): HTMLElement {
  return el('div', { className: 'report' }, [
    el('header', { className: 'report-head' }, [
      el('h1', { text: t.reportTitle }),
      results.settings.isRehearsal ? el('p', { className: 'badge rehearsal', text: t.rehearsal }) : null,
      factsTable(results),
    ]),
    summaryBlock(results),
    testBlock(results),
    groupsBlock(results),
    questionsBlock(results, { withExplanation: true }),
    results.qa && results.qa.length > 0 ? qaBlock(results) : null,
    el('p', { className: 'muted small report-foot', text: `${t.generatedAt}: ${japanDisplay(Date.now())}　kotae` }),
  ]);
}
