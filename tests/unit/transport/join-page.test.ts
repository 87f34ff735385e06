import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { jsonForScriptElement, prepareJoinPage } from '../../../server/transport/http/join-page.ts';
import { SESSION_INFO_BLOCK_ID } from '../../../shared/contract.ts';

const TEMPLATE = '<html><head><script type="module" src="/assets/join.js"></script><style>.a{color:red}</style></head><body></body></html>';

describe('the join page as served', () => {
  it('escapes <, > and & in the embedded JSON, which still parses to the same value', () => {
    const value = { title: '</script><!--<script>alert(1)&amp;' };
    const json = jsonForScriptElement(value);
    expect(json).not.toMatch(/[<>&]/);
    expect(JSON.parse(json)).toEqual(value);
  });

  it('puts the data block before </head> and allows the inline stylesheet by its hash, not by unsafe-inline', () => {
    const page = prepareJoinPage(TEMPLATE);
    const html = page.render({ ok: false, error: { code: 'session_not_found', message: 'x' } });
    expect(html).toContain(`<script type="application/json" id="${SESSION_INFO_BLOCK_ID}">{"ok":false,`);
    expect(html.indexOf(SESSION_INFO_BLOCK_ID)).toBeLessThan(html.indexOf('</head>'));
    const hash = createHash('sha256').update('.a{color:red}').digest('base64');
    expect(page.styleSources).toEqual(["'self'", `'sha256-${hash}'`]);
  });

  it('refuses a template without </head>', () => {
    expect(() => prepareJoinPage('<html><body></body></html>')).toThrow(/<\/head>/);
  });
});
