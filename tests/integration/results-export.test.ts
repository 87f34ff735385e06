import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { closeAll, connectPresenter, joinParticipant, requireOk, type ClientSocket, type TestParticipant } from '../support/clients.ts';
import { adminOf, createSession, startTestServer } from '../support/test-app.ts';

type Votes = Array<string | null>;

/** What the phones do: per round, each phone's choice (null: no vote). */
const SCRIPT: Array<{ questionId: string; votes: Votes }> = [
  { questionId: 'q-basic', votes: ['x', 'o', 'x', null] },
  { questionId: 'q-basic', votes: ['x', 'x', 'x', 'o'] },
  // Asked and left with no vote: a leftover, left out of the exports.
  { questionId: 'q-second', votes: [null, null, null, null] },
  { questionId: 'case-choice', votes: ['a', 'b', 'b', 'b'] },
];
const NICKNAMES = ['あおい', undefined, 'ちひろ', undefined];

function cells(sheet: ExcelJS.Worksheet, row: number, from: number, to: number): unknown[] {
  return Array.from({ length: to - from + 1 }, (_, offset) => sheet.getRow(row).getCell(from + offset).value);
}

describe('exports of a session run with real phones', () => {
  it('carry exactly what the phones did, in the workbook, the CSV and the JSON', async () => {
    let now = Date.UTC(2026, 11, 1, 5, 0, 0);
    const server = await startTestServer({ clock: { now: () => now } });
    const sockets: ClientSocket[] = [];
    try {
      const created = await createSession(server.baseUrl, {
        course: 'sample',
        title: '研修 12月',
        settings: { clientName: '株式会社テスト', startsAt: '2026-12-01T14:00', venue: '本社', lecturer: '山田' },
      });
      const code = created.session.code;
      const { socket: deck } = await connectPresenter(server.baseUrl, code, created.presenterKey);
      sockets.push(deck);
      const phones: TestParticipant[] = [];
      for (const nickname of NICKNAMES) {
        now += 60_000;
        const phone = await joinParticipant(server.baseUrl, code, nickname);
        phones.push(phone);
        sockets.push(phone.socket);
      }
      for (const step of SCRIPT) {
        now += 60_000;
        const round = requireOk(await deck.emitWithAck('poll:open', { questionId: step.questionId }));
        await Promise.all(step.votes.map((choice, index) => (choice ? phones[index]!.socket.emitWithAck('vote:cast', { roundId: round.roundId, choice }).then(requireOk) : null)));
        if (step.votes.some((choice) => choice !== null)) requireOk(await deck.emitWithAck('poll:reveal', { roundId: round.roundId }));
      }

      // The knowledge test: あおい answers t01 right and t03 wrong, the second phone t01 wrong; then it closes.
      now += 60_000;
      const test = requireOk(await deck.emitWithAck('test:open', { kind: 'post' }));
      requireOk(await phones[0]!.socket.emitWithAck('test:answer', { runId: test.runId, itemId: 't01', choice: 'o' }));
      requireOk(await phones[0]!.socket.emitWithAck('test:answer', { runId: test.runId, itemId: 't03', choice: 'o' }));
      requireOk(await phones[1]!.socket.emitWithAck('test:answer', { runId: test.runId, itemId: 't01', choice: 'x' }));
      requireOk(await phones[0]!.socket.emitWithAck('test:submit', { runId: test.runId }));
      requireOk(await deck.emitWithAck('test:close', { runId: test.runId }));

      const admin = await adminOf(server.baseUrl);
      const download = (extension: string) => fetch(`${server.baseUrl}/api/sessions/${code}/results.${extension}`, { headers: { Cookie: admin.cookie } });
      const xlsx = await download('xlsx');
      expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
      expect(decodeURIComponent(xlsx.headers.get('content-disposition') ?? '')).toContain("filename*=UTF-8''2026-12-01_研修 12月_研修結果.xlsx");
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(await xlsx.arrayBuffer());

      const summary = workbook.getWorksheet('サマリー')!;
      const fact = (label: string): unknown => summary.getRow(summary.getColumn(1).values.indexOf(label)).getCell(2).value;
      expect([fact('クライアント'), fact('参加者数'), fact('出題した回数'), fact('除外した回（投票なしで次へ進んだ回）')]).toEqual(['株式会社テスト', 4, 3, 1]);
      expect(fact('全体の正答率（1回目）')).toBeCloseTo((2 + 3) / (3 + 4));

      const rounds = workbook.getWorksheet('設問別')!;
      expect(rounds.rowCount).toBe(1 + 3);
      // No, 章, 設問ID, 事例, 設問, 回目, 状態, 正解, 回答数, 正答数, 正答率, 変化, ○/A, ×/B, C, D
      expect(cells(rounds, 2, 3, 3).concat(cells(rounds, 2, 6, 16))).toEqual(['q-basic', 1, '正解発表済', '× 誤り', 3, 2, 2 / 3, null, 1, 2, null, null]);
      expect(cells(rounds, 3, 3, 3).concat(cells(rounds, 3, 6, 16))).toEqual(['q-basic', 2, '正解発表済', '× 誤り', 4, 3, 3 / 4, expect.closeTo(3 / 4 - 2 / 3, 3), 1, 3, null, null]);
      expect(cells(rounds, 4, 3, 4)).toEqual(['case-choice', 'テスト地裁 2020年1月1日']);
      expect(cells(rounds, 4, 9, 16)).toEqual([4, 3, 3 / 4, null, 1, 3, 0, null]);
      expect(rounds.getRow(2).getCell(2).value).toBe('クレームの基本');
      // Round 1 opened 5 minutes after 05:00 UTC (four joins, a minute each): 14:05 Japan time, as an Excel date.
      expect((rounds.getRow(2).getCell(17).value as Date).toISOString()).toBe('2026-12-01T14:05:00.000Z');

      const participants = workbook.getWorksheet('参加者別')!;
      expect(participants.rowCount).toBe(1 + 4 * 2);
      const expected = [
        [1, 'あおい', null, 'q-basic', '× 誤り', '正解', '× 誤り', '正解'],
        [1, 'あおい', null, 'case-choice', 'A 請求棄却', '不正解', null, null],
        [2, null, null, 'q-basic', '○ 正しい', '不正解', '× 誤り', '正解'],
        [2, null, null, 'case-choice', 'B 請求一部認容', '正解', null, null],
        [3, 'ちひろ', null, 'q-basic', '× 誤り', '正解', '× 誤り', '正解'],
        [3, 'ちひろ', null, 'case-choice', 'B 請求一部認容', '正解', null, null],
        [4, null, null, 'q-basic', null, '未回答', '○ 正しい', '不正解'],
        [4, null, null, 'case-choice', 'B 請求一部認容', '正解', null, null],
      ];
      expected.forEach((row, index) => {
        const sheetRow = index + 2;
        expect([...cells(participants, sheetRow, 1, 3), ...cells(participants, sheetRow, 5, 5), ...cells(participants, sheetRow, 7, 10)]).toEqual(row);
      });

      const testSheet = workbook.getWorksheet('知識テスト')!;
      expect(cells(testSheet, 2, 1, 6)).toEqual([1, 'あおい', null, '事後', 1, 20]);
      expect((cells(testSheet, 2, 7, 7)[0] as Date).toISOString()).toBe('2026-12-01T14:09:00.000Z');
      expect(cells(testSheet, 3, 1, 7)).toEqual([2, null, null, '事後', 0, 20, null]);
      const statsRow = testSheet.getColumn(1).values.indexOf('区分', 2) + 1;
      expect(cells(testSheet, statsRow, 1, 5)).toEqual(['事後', 2, 0.5, 0.5, 20]);

      const csvBytes = new Uint8Array(await (await download('csv')).arrayBuffer());
      const csv = new TextDecoder('utf-8', { ignoreBOM: true }).decode(csvBytes);
      expect(csv.startsWith('\uFEFF"kotae 研修結果"\r\n')).toBe(true);
      expect(csv).toContain('"開催日時","2026/12/01 14:00"\r\n');
      expect(csv).toContain('"1","クレームの基本","q-basic","","');
      expect(csv).toContain('"2","正解発表済","× 誤り","4","3","75","8.3","1","3","","","2026/12/01 14:06:00"\r\n');
      expect(csv).toContain('"2","","","クレームの基本","q-basic",');
      expect(csv.split('\r\n').filter((line) => /^"\d","(あおい|ちひろ|)","",/.test(line))).toHaveLength(8);

      const json = (await (await download('json')).json()) as { exportedAt: string; participants: number; roster: unknown[]; rounds: Array<{ votes: unknown[] }> };
      expect(json.exportedAt).toMatch(/\+09:00$/);
      expect([json.participants, json.roster.length, json.rounds.map((round) => round.votes.length)]).toEqual([4, 4, [3, 4, 4]]);
    } finally {
      closeAll(sockets);
      await server.close();
    }
  });
});
