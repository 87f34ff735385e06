import { describe, expect, it } from 'vitest';
import { connectParticipant, connectPresenter, joinParticipant, nextEvent, requireOk } from '../support/clients.ts';
import { useServers } from '../support/fixtures.ts';
import { createSession, manualClock, makeDataDir } from '../support/test-app.ts';

const { start, sockets } = useServers();

describe('the presenter stage', () => {
  it('announces overlays and the timer to every presenter screen, the timer to phones, and keeps them across a restart', async () => {
    const clock = manualClock();
    const dataDir = makeDataDir();
    const server = await start({ dataDir, clock });
    const session = await createSession(server.baseUrl);
    const code = session.session.code;
    const { socket: console1 } = await connectPresenter(server.baseUrl, code, session.presenterKey);
    const { socket: projector } = await connectPresenter(server.baseUrl, code, session.presenterKey);
    const phone = await joinParticipant(server.baseUrl, code);
    sockets.push(console1, projector, phone.socket);
    expect(phone.snapshot.timer).toEqual({ timer: null, serverNow: clock.now() });

    const shown = nextEvent(projector, 'stage:changed', (stage) => stage.joinQr && stage.blackScreen);
    requireOk(await console1.emitWithAck('stage:set', { joinQr: true }));
    requireOk(await console1.emitWithAck('stage:set', { blackScreen: true }));
    await shown;

    const timerOnPhone = nextEvent(phone.socket, 'timer:changed', (announcement) => announcement.timer !== null);
    const stage = requireOk(await console1.emitWithAck('timer:start', { minutes: 3 }));
    expect(stage.timer).toEqual({ minutes: 3, startedAt: clock.now(), endsAt: clock.now() + 180_000 });
    expect(await timerOnPhone).toEqual({ timer: stage.timer, serverNow: clock.now() });
    requireOk(await console1.emitWithAck('settings:set', { hideResultsWhileOpen: true }));

    // The timer takes 1 to 5 minutes, and only from a presenter.
    expect(await console1.emitWithAck('timer:start', { minutes: 6 })).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    expect(await console1.emitWithAck('timer:start', { minutes: 0 })).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    expect(await phone.socket.emitWithAck('timer:start', { minutes: 2 })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await phone.socket.emitWithAck('stage:set', { blackScreen: false })).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    await server.close();
    const restarted = await start({ dataDir, clock });
    const { socket: reloaded, snapshot } = await connectPresenter(restarted.baseUrl, code, session.presenterKey);
    const again = await connectParticipant(restarted.baseUrl, code, phone.token);
    sockets.push(reloaded, again.socket);
    expect(snapshot.stage).toMatchObject({ joinQr: true, blackScreen: true, timer: stage.timer, hideResultsWhileOpen: true, moderateQuestions: false });
    expect(again.snapshot.timer.timer).toEqual(stage.timer);

    // A stop meant for an earlier timer, and an empty change, are refused and change nothing.
    expect(await reloaded.emitWithAck('timer:stop', { startedAt: stage.timer!.startedAt - 1 })).toMatchObject({ ok: false, error: { code: 'timer_not_running' } });
    expect(await reloaded.emitWithAck('stage:set', {})).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    expect(await reloaded.emitWithAck('settings:set', {})).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    const stopped = nextEvent(again.socket, 'timer:changed', (announcement) => announcement.timer === null);
    expect(requireOk(await reloaded.emitWithAck('timer:stop', { startedAt: stage.timer!.startedAt })).timer).toBeNull();
    await stopped;
  });

  it('keeps speaker notes off the deck payload and off every phone, and gives them and the console QR only with the presenter key', async () => {
    const server = await start();
    const session = await createSession(server.baseUrl);
    const code = session.session.code;
    const notesUrl = `${server.baseUrl}/api/sessions/${code}/notes`;
    const notes = (key?: string) => fetch(notesUrl, { headers: key ? { 'X-Presenter-Key': key } : {} });
    expect((await notes()).status).toBe(401);
    expect((await notes(session.organizerKey)).status).toBe(401);
    const body = (await (await notes(session.presenterKey)).json()) as { data: { notes: Record<string, string> } };
    expect(body.data.notes['ch1-2']).toBe('基本方針を説明します。');
    expect(body.data.notes['ch1-3']).toBe('まず個人で回答してもらいます。');
    // The title slide's notes carry the date the legal content was last checked (course.json legalCheckedOn).
    expect(body.data.notes.title).toContain('法令・指針の確認日: 2026-11-28');

    // The console's QR (its URL with the key) is for the presenter alone, and never cached.
    const consoleQr = (key?: string) => fetch(`${server.baseUrl}/api/sessions/${code}/console-qr.svg`, { headers: key ? { 'X-Presenter-Key': key } : {} });
    expect((await consoleQr()).status).toBe(401);
    expect((await consoleQr(session.organizerKey)).status).toBe(401);
    const qr = await consoleQr(session.presenterKey);
    expect(qr.status).toBe(200);
    expect(qr.headers.get('content-type')).toContain('image/svg+xml');
    expect(qr.headers.get('cache-control')).toBe('no-store');

    const deck = await (await fetch(`${server.baseUrl}/api/sessions/${code}/deck`, { headers: { 'X-Presenter-Key': session.presenterKey } })).text();
    for (const note of Object.values(body.data.notes)) expect(deck).not.toContain(note);
    expect(deck).not.toContain('"notes"');

    const { socket: presenter } = await connectPresenter(server.baseUrl, code, session.presenterKey);
    const phone = await joinParticipant(server.baseUrl, code);
    sockets.push(presenter, phone.socket);
    const traffic: string[] = [JSON.stringify(phone.snapshot)];
    phone.socket.onAny((_event, payload) => traffic.push(JSON.stringify(payload)));
    for (const slideId of ['intro-1', 'ch1-1', 'ch1-2', 'ch1-3', 'break-3']) requireOk(await presenter.emitWithAck('deck:go-to', { slideId }));
    await nextEvent(phone.socket, 'deck:changed', (position) => position.slideId === 'break-3');
    for (const note of Object.values(body.data.notes)) expect(traffic.join('\n')).not.toContain(note);
  });

  it('shows the break and Q&A slots as slides and tracks the minutes spent per part of the plan', async () => {
    const clock = manualClock();
    const server = await start({ clock });
    const session = await createSession(server.baseUrl);
    const code = session.session.code;
    const deck = (await (await fetch(`${server.baseUrl}/api/sessions/${code}/deck`, { headers: { 'X-Presenter-Key': session.presenterKey } })).json()) as {
      data: { chapters: Array<{ id: string; kind: string; slides: Array<{ kind: string }> }> };
    };
    expect(deck.data.chapters.map((part) => [part.id, part.kind])).toEqual([
      ['intro', 'chapter'],
      ['ch1', 'chapter'],
      ['break-3', 'break'],
    ]);
    expect(deck.data.chapters[2]!.slides).toEqual([{ kind: 'break', id: 'break-3', label: '質疑応答', minutes: 5 }]);

    const { socket: presenter } = await connectPresenter(server.baseUrl, code, session.presenterKey);
    sockets.push(presenter);
    const started = clock.now();
    requireOk(await presenter.emitWithAck('deck:go-to', { slideId: 'intro-1' }));
    clock.advance(4 * 60_000);
    requireOk(await presenter.emitWithAck('deck:go-to', { slideId: 'ch1-1' }));
    clock.advance(60_000);
    requireOk(await presenter.emitWithAck('deck:go-to', { slideId: 'ch1-2' }));
    clock.advance(2 * 60_000);
    // A move to the slide the deck is on is not a move.
    requireOk(await presenter.emitWithAck('deck:go-to', { slideId: 'ch1-2' }));
    const synced = nextEvent(presenter, 'presenter:synced');
    requireOk(await presenter.emitWithAck('deck:go-to', { slideId: 'break-3' }));
    const { pacing, deck: position } = await synced;
    expect(position).toEqual({ slideId: 'break-3', chapterId: 'break-3', chapterTitle: '質疑応答' });
    expect(pacing.startedAt).toBe(started);
    expect(pacing.parts.map((part) => [part.id, part.kind, part.plannedMinutes, part.spentMs])).toEqual([
      ['intro', 'chapter', 5, 4 * 60_000],
      ['ch1', 'chapter', 20, 3 * 60_000],
      ['break-3', 'break', 5, 0],
    ]);
    expect(pacing.current).toEqual({ partId: 'break-3', since: started + 7 * 60_000 });
    expect(pacing.parts[2]!.firstEnteredAt).toBe(started + 7 * 60_000);
  });
});
