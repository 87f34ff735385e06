import QRCode from 'qrcode';
import type { SessionUrls } from './public-urls.ts';

/** The text printed when a session is ready: its three URLs and the join QR for a terminal. */
export async function sessionBanner(title: string, code: string, urls: SessionUrls): Promise<string> {
  const qr = await QRCode.toString(urls.joinQr, { type: 'terminal', small: true, errorCorrectionLevel: 'M' });
  return [
    '',
    `  ${title}`,
    `  参加コード / join code: ${code}`,
    '',
    `  講師（プロジェクター） presenter: ${urls.presenter}`,
    `  主催者                organizer: ${urls.organizer}`,
    `  参加者（スマホ）      join:      ${urls.join}`,
    '',
    '  The presenter and organizer URLs carry secret keys: do not show them on the projector.',
    '',
    qr,
  ].join('\n');
}
