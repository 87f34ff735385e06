import QRCode from 'qrcode';
import type { AdminPassword } from './admin/admin-password.ts';
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
