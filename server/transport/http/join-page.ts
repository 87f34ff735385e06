import { createHash } from 'node:crypto';
import { SESSION_INFO_BLOCK_ID, type Ack, type PublicSessionInfo, type SessionHome } from '../../../shared/contract.ts';
import { sessionSummary } from '../../live/projections.ts';
import type { PublicSessionView, RoomRegistry } from '../../live/room-registry.ts';

/** What a phone needs to draw the join form: the title, the groups and whether a name is required. */
export function publicSessionInfo(room: PublicSessionView, home?: SessionHome): PublicSessionInfo {
  return {
    session: sessionSummary(room.session),
    courseTitle: room.course.manifest.title,
    groups: room.session.settings.groups,
    participation: room.session.settings.participation,
    ...(home ? { home } : {}),
  };
}

/**
 * The public info with the node that runs the session (placing it when none does), so the phone's
 * socket needs no `home` round trip; without it when that cannot be told now (the phone then asks).
 */
export async function publicSessionInfoWithHome(rooms: RoomRegistry, view: PublicSessionView): Promise<PublicSessionInfo> {
  const home = await rooms.homeOf(view.session.code).catch(() => undefined);
  return publicSessionInfo(view, home?.ok ? home.data : undefined);
}

/**
 * JSON that is safe inside a `<script>` element: `<`, `>` and `&` become \u escapes (still the same
 * JSON), so no `</script>`, `<!--` or `<script` in a title can end the element or change how the
 * HTML parser reads it.
 */
export function jsonForScriptElement(value: unknown): string {
  return JSON.stringify(value).replaceAll('<', '\\u003c').replaceAll('>', '\\u003e').replaceAll('&', '\\u0026');
}

/** The built join page, ready to be served. */
export interface JoinPage {
  /**
   * The page with the session's public info (or why there is none) in a JSON data block before
   * `</head>`: the form is drawn without waiting for GET /api/sessions/:code, one round trip less on
   * venue Wi-Fi. A data block is not executed, so the CSP needs no exception for it.
   */
  render(info: Ack<PublicSessionInfo>): string;
  /** The page's style-src: this server and the hash of each `<style>` element the build inlined, no 'unsafe-inline'. */
  styleSources: string[];
}

/** Reads what the join page's CSP has to allow from the built HTML (see inlineStylesheets in vite.config.ts). */
export function prepareJoinPage(template: string): JoinPage {
  if (!template.includes('</head>')) throw new Error("the built join page has no </head> to put the session's info before");
  const inlineStyles = [...template.matchAll(/<style>([^<]*)<\/style>/g)].map((match) => match[1]!);
  const hashes = inlineStyles.map((css) => `'sha256-${createHash('sha256').update(css, 'utf8').digest('base64')}'`);
  return {
    render(info) {
      const block = `<script type="application/json" id="${SESSION_INFO_BLOCK_ID}">${jsonForScriptElement(info)}</script>`;
      return template.replace('</head>', () => `  ${block}\n  </head>`);
    },
    styleSources: ["'self'", ...hashes],
  };
}
