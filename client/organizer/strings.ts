/** Every text the organizer page shows. */
export const t = {
  missingKey: '主催者用URL（キー付き）から開いてください。',
  unauthorized: '主催者キーが正しくありません。',
  posterLead: 'スマートフォンでQRコードを読み取って参加してください。アプリのインストールや登録は不要です。',
  code: '参加コード',
  print: '参加案内を印刷',
  participants: '参加者数',
  rounds: '出題済みの設問',
  results: '設問ごとの結果',
  downloadCsv: 'CSV（Excel）をダウンロード',
  downloadJson: 'JSONをダウンロード',
  noRounds: 'まだ設問は出題されていません。',
  columns: ['#', '設問', '回目', '状態', '正解', '回答数', '正答率', '内訳'],
  status: { open: '受付中', closed: '締切', revealed: '正解発表済' },
  updatedAt: '最終更新',
} as const;
