/** Every text the handout print page shows. */
export const t = {
  loading: '配布資料を読み込んでいます…',
  failed: '配布資料を読み込めませんでした。',
  print: 'A4で印刷',
  printHint: '印刷の設定：用紙 A4・縦、余白「デフォルト」、「背景のグラフィック」をオン。1シート1ページで印刷されます。',
  sheetsCount: (count: number) => `${count}シート`,
  variants: 'コース',
  legalCheckedOn: (date: string) => `法令・指針の確認日：${date}`,
  chapter: (number: number | undefined, title: string) => (number ? `第${number}章 ${title}` : title),
  sources: '出典・根拠：',
  question: '投票する問い',
  kind: {
    discussion: 'グループ討議',
    'role-play': 'ロールプレイ',
    worksheet: 'ワークシート',
    'record-form': '記録様式',
    policy: '基本方針（例）',
    'one-point': 'ワンポイントシート',
    sources: '出典一覧',
  },
  disclaimer: '本資料は一般的な情報提供を目的としたもので、個別の事案についての法的助言ではありません。',
} as const;
