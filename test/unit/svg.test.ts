/** Post-processing of vega's SVG. */
import { describe, expect, it } from 'vitest'
import { normalizeSvg } from '../../build/figures/svg.ts'

describe('normalizeSvg', () => {
  it('draws a dash pattern without gaps as a plain line, and keeps real dashes', () => {
    const svg =
      '<svg><path d="M0,0L9,0" stroke-dasharray="1,0"/><path d="M0,1L9,1" stroke-dasharray="4,3"/><path d="M0,2L9,2" stroke-dasharray="0"/></svg>'
    const out = normalizeSvg(svg, { fontFamily: 'Noto Sans SC', description: 'lines' })
    expect(out.match(/stroke-dasharray="[^"]*"/g)).toEqual(['stroke-dasharray="4,3"'])
  })
})
