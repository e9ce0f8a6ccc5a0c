/**
 * The site's first-screen font files: which characters a page's opening shows, how they are declared, and the
 * `<head>` that preloads them, and the script that brings the whole faces after the first paint.
 */
import { describe, expect, it } from 'vitest'
import { toString } from 'hast-util-to-string'
import { FONTS_SCRIPT, fontHead, fontsScript, openingTree, unicodeRange } from '../../build/site/opening.ts'
import type { SubsetFont } from '../../build/site/fonts.ts'

const page = (main: string, before = '', after = '') =>
  `<!doctype html><html><head><title>题目</title><style>.x{content:"样"}</style></head><body>` +
  `<header>页眉${before}</header><main>${main}</main>${after}<footer>页脚</footer></body></html>`

const opening = (html: string, characters?: number) => toString(openingTree(html, characters)).replace(/\s+/g, '')

describe('a page’s opening', () => {
  it('holds what comes before <main> and main’s first characters, and nothing the head holds', () => {
    expect(opening(page('<p>一二三四五六</p><p>七八九</p>'), 4)).toBe('页眉一二三四')
    expect(opening(page('<p>一 二\n三</p>'), 2)).toBe('页眉一二')
  })

  it('reaches past <main> to the footer on a short page', () => {
    expect(opening(page('<p>一二</p>', '', '<aside>封底</aside>'), 10)).toBe('页眉一二封底页脚')
  })

  it('holds every <nav> whole, wherever it is, as a wide screen shows it at once', () => {
    const html = page('<p>一二三四五六</p>', '<nav>目录甲乙</nav>', '<nav class="rail">本页丙丁</nav>')
    expect(opening(html, 2)).toBe('页眉目录甲乙一二本页丙丁')
  })

  it('keeps hidden elements (scripts reveal some), leaves out closed details and dialogs, scripts, SVG titles', () => {
    const main =
      '<p hidden>藏</p><details><summary>摘要</summary><p>折叠</p></details><details open><summary>开</summary><p>展开</p>' +
      '</details><dialog><p>对话</p></dialog><template><p>模板</p></template><script>"脚本"</script>' +
      '<svg><title>图题</title><desc>描述</desc><text>标签</text></svg><noscript>无脚本</noscript>'
    expect(opening(page(main), 100)).toBe('页眉藏摘要开展开标签页脚')
  })

  it('is the whole page when there is no <main>', () => {
    expect(opening('<body><p>一二三四五六七八九十</p></body>', 2)).toBe('一二三四五六七八九十')
  })
})

describe('the first files’ declarations', () => {
  it('joins consecutive code points into ranges, in order, once each', () => {
    expect(unicodeRange('cab 一丁七丁')).toBe('U+20,U+61-63,U+4E00-4E01,U+4E03')
    expect(unicodeRange([])).toBe('')
  })

  const face = (weight: 400 | 700, name: string, range?: string): SubsetFont => ({
    family: 'Noto Sans SC',
    weight,
    style: 'normal',
    name,
    data: Buffer.alloc(0),
    unicodeRange: range,
  })
  const first = [face(400, 'a-400.1.woff2', 'U+4E00'), face(700, 'a-700.2.woff2', 'U+4E01')]
  const whole = [face(400, 'a-400.3.woff2'), face(700, 'a-700.4.woff2')]
  const head = fontHead(first, whole, 'fonts/')

  it('declares the first faces with their unicode-range, and the whole faces only without JavaScript', () => {
    const style = head.slice(0, head.indexOf('<noscript'))
    const noscript = head.slice(head.indexOf('<noscript'), head.indexOf('<script'))
    expect(style).toContain('src: url("fonts/a-400.1.woff2") format("woff2"); unicode-range: U+4E00;')
    expect(style).toContain('font-weight: 700; font-display: swap; src: url("fonts/a-700.2.woff2")')
    expect(style).not.toContain('a-400.3')
    expect(noscript).toMatch(/^<noscript><style>@font-face \{[^}]*a-400\.3\.woff2[^}]*\}/)
    expect(noscript).not.toContain('unicode-range')
  })

  it('preloads the first files, and links the script that brings the whole faces: no inline script', () => {
    expect(head).toContain('<link rel="preload" href="fonts/a-400.1.woff2" as="font" type="font/woff2" crossorigin>')
    expect(head).toContain('<link rel="preload" href="fonts/a-700.2.woff2" as="font" type="font/woff2" crossorigin>')
    expect(head).not.toMatch(/preload[^>]*a-400\.3/)
    expect(head.match(/<script\b[^>]*>/g)).toEqual([`<script src="${FONTS_SCRIPT}" defer>`])
    expect(head).toContain('<script src="assets/fonts.js" defer></script>')
  })

  it('has the script name the whole faces, and parse', () => {
    const script = fontsScript(whole, 'fonts/')
    expect(script).toContain('["Noto Sans SC","400","normal","fonts/a-400.3.woff2"]')
    expect(script).not.toContain('a-400.1')
    expect(() => new Function(script)).not.toThrow()
  })
})
