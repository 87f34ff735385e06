import QRCode from 'qrcode';
import type { AdminPassword } from './admin/admin-password.ts';
import type { SessionUrls } from './public-urls.ts';

/** The text printed when a session is ready: its URLs and the join QR for a terminal. */
export async function sessionBanner(title: string, code: string, urls: SessionUrls): Promise<string> {
  const qr = await QRCode.toString(urls.joinQr, { type: 'terminal', small: true, errorCorrectionLevel: 'M' });
  return [
    '',
    `  ${title}`,
    `  参加コード / join code: ${code}`,
    '',
    `  講師（プロジェクター） presenter: ${urls.presenter}`,
    `  講師コンソール        console:   ${urls.console}`,
    `  主催者                organizer: ${urls.organizer}`,
    `  参加者（スマホ）      join:      ${urls.join}`,
    '',
    '  The presenter, console and organizer URLs carry secret keys: do not show them on the projector.',
    '',
    qr,
  ].join('\n');
}

/** Where organizers log in, and the generated admin password on the one start that creates it. */
export function adminBanner(adminUrl: string, password: AdminPassword): string {
  const lines = ['', `  主催者の管理画面 admin: ${adminUrl}`];
  if (password.generated) {
    lines.push(
      `  管理者パスワード admin password: ${password.generated}`,
      '  This password is shown only now; it is stored hashed in ' + (password.file ?? 'DATA_DIR') + '.',
      '  Forgot it? Delete that file and restart, or set ADMIN_PASSWORD.',
    );
  } else if (password.file) {
    lines.push(`  管理者パスワード: 初回起動時に表示したもの (hash in ${password.file}; delete it and restart for a new one)`);
  } else {
    lines.push('  管理者パスワード: ADMIN_PASSWORD');
  }
  return [...lines, ''].join('\n');
}

/** The venue pre-flight: which address phones will use, and how to check that they reach it. */
export function venueCheckBanner(joinUrl: string): string {
  const lines = ['', `  会場チェック venue check: phones will use ${new URL(joinUrl).origin}`];
  if (/^https?:\/\/(localhost|127\.|\[::1\])/i.test(joinUrl)) {
    lines.push('  ⚠ This address works on this computer only: connect it to the venue network, or set PUBLIC_URL.');
  }
  lines.push(
    `  On a phone on the venue Wi-Fi open ${joinUrl}?check=1 (QR on the organizer page's live view):`,
    '  the organizer page then shows ✓. Without it, see README "At the venue".',
    '',
  );
  return lines.join('\n');
}
