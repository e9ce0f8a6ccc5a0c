/** The two-em dash: each “——” of the text in a span, sized from the book font's own dash glyphs. */
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import type { FontFace } from '../../build/config/fonts.ts'
import { dashCss, wrapDashes } from '../../build/render/dash.ts'
import { h, text } from '../../build/render/hast.ts'
import { stringify } from '../../build/render/chapter.ts'

const require = createRequire(import.meta.url)
const face = (family: string, file: string): FontFace => ({ family, weight: 400, style: 'normal', file })
const SC = face(
  'Noto Sans SC',
  require.resolve('@fontsource/noto-sans-sc/files/noto-sans-sc-chinese-simplified-400-normal.woff2'),
)
const LATIN = face('Noto Sans', require.resolve('@fontsource/noto-sans/files/noto-sans-latin-400-normal.woff2'))

/** The declarations of a `.dash` rule, by property. */
function declarations(css: string): Record<string, string> {
  const body = /\.dash \{ (.*); \}/.exec(css)![1]!
  return Object.fromEntries(body.split('; ').map((d) => d.split(': ') as [string, string]))
}

describe('the two-em dash', () => {
  it('wraps each pair of em dashes, not a single dash, a longer run, or code', () => {
    const tree = {
      type: 'root' as const,
      children: [h('p', {}, [text('顶层文件——《规划》——北京；a—b，———')]), h('code', {}, [text('x——y')])],
    }
    wrapDashes(tree)
    expect(stringify(tree)).toBe(
      '<p>顶层文件<span class="dash">——</span>《规划》<span class="dash">——</span>北京；a—b，———</p><code>x——y</code>',
    )
  })

  it('stretches Noto Sans SC’s Chinese two-em ligature, 1.856 em of ink in a 2 em advance, to the whole slot', () => {
    // Shaped as Chinese, “——” is one glyph: advance 2000, ink from 72 to 1928 at 359–401 (units per em: 1000).
    const rule = declarations(dashCss({ family: 'Noto Sans SC', faces: [LATIN, SC] }, 'zh-CN')!)
    expect(rule).toMatchObject({ 'font-family': '"Noto Sans SC"', 'letter-spacing': '0em', 'line-height': '0' })
    const scale = parseFloat(rule['font-size']!)
    expect(scale).toBeCloseTo(2 / 1.856, 3)
    // The side bearings are taken back, in the span's own (scaled) ems: the ink starts and ends at the slot's edges.
    expect(rule.margin).toBe('0 -0.072em 0 -0.072em')
    // The stroke's middle (0.38 em) stays where the text's dash would have it.
    expect(parseFloat(rule['vertical-align']!) * scale).toBeCloseTo(-0.38 * (scale - 1), 4)
  })

  it('closes the gap between two separate Latin dashes', () => {
    // Noto Sans: “—” is 1000 wide with ink from 40 to 960, so two leave 0.08 em between their strokes.
    const rule = declarations(dashCss({ family: 'Noto Sans', faces: [LATIN] }, 'en')!)
    expect(rule['letter-spacing']).toBe('-0.08em')
    expect(parseFloat(rule['font-size']!)).toBeCloseTo(2 / 1.84, 3)
    expect(rule.margin).toBe('0 0.04em 0 -0.04em')
  })
})
