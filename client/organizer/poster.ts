/** The join poster: one A4 page, or one per group when the room is split into groups. */
import { apiPaths, type ResultsPayload } from '../../shared/contract.ts';
import { startsAtDisplay } from '../../shared/japan-time.ts';
import { el } from '../lib/dom.ts';
import { t } from './strings.ts';

/** A poster; for a group, its QR and URL preselect the group on the phone (/join/CODE?group=N). */
function posterPage(results: ResultsPayload, group: { name: string; number: number } | null): HTMLElement {
  const { session, settings } = results;
  const joinUrl = group ? `${results.joinUrl}?group=${group.number}` : results.joinUrl;
  const when = [startsAtDisplay(settings.startsAt), settings.venue].filter(Boolean).join('　');
  return el('article', { className: 'poster-page' }, [
    group ? el('p', { className: 'poster-group', text: t.groupPoster(group.name) }) : null,
    settings.clientName ? el('p', { className: 'poster-client', text: t.posterClient(settings.clientName) }) : null,
    el('h1', { className: 'poster-title', text: session.title }),
    when ? el('p', { className: 'poster-when', text: when }) : null,
    el('p', { className: 'poster-lead', text: t.posterLead }),
    el('img', { className: 'poster-qr', attrs: { src: apiPaths.qr(session.code, group?.number), alt: joinUrl } }),
    el('p', { className: 'poster-code' }, [el('span', { text: t.code }), el('strong', { text: session.code })]),
    el('p', { className: 'poster-url-hint', text: t.posterUrl }),
    el('p', { className: 'poster-url', text: joinUrl }),
    el('p', { className: 'poster-note', text: t.posterNoApp }),
    settings.wifiName
      ? el('div', { className: 'poster-wifi' }, [
          el('p', { className: 'wifi-title', text: t.wifiTitle }),
          el('p', {}, [el('span', { text: t.wifiName }), el('strong', { text: settings.wifiName })]),
          settings.wifiPassword ? el('p', {}, [el('span', { text: t.wifiPassword }), el('strong', { text: settings.wifiPassword })]) : null,
        ])
      : null,
  ]);
}

export function posters(results: ResultsPayload): HTMLElement {
  const groups = results.settings.groups;
  const pages = groups.length > 0 ? groups.map((name, index) => posterPage(results, { name, number: index + 1 })) : [posterPage(results, null)];
  return el('div', { className: 'posters' }, pages);
}
