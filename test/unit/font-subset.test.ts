/**
 * The subset fonts keep what Chromium's `text-spacing-trim` needs: the `halt` and `vhal` features, with which it
 * sets a fullwidth opening mark after a closing one half-width (and `chws`/`vchw`, when a font has them).
 */
import fs from 'node:fs/promises'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import * as fontkit from 'fontkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BookFonts } from '../../build/config/fonts.ts'
import { subsetFonts } from '../../build/site/fonts.ts'

const require = createRequire(import.meta.url)
const SC = require.resolve('@fontsource/noto-sans-sc/files/noto-sans-sc-chinese-simplified-400-normal.woff2')
const FEATURES = ['halt', 'vhal', 'chws', 'vchw']

let cacheDir: string
beforeAll(async () => {
  cacheDir = await fs.mkdtemp(path.join(os.tmpdir(), 'font-subset-'))
})
afterAll(() => fs.rm(cacheDir, { recursive: true, force: true }))

describe('font subsets', () => {
  it('keep the alternate half widths of punctuation', async () => {
    const face = { family: 'Noto Sans SC', weight: 400, style: 'normal', file: SC } as const
    const fonts = { family: face.family, regular: SC, bold: SC, faces: [face], stack: '' } as BookFonts
    const [subset] = await subsetFonts('通过“四区”“两中心”', fonts, cacheDir, [400])
    const whole = fontkit.openSync(SC) as fontkit.Font
    const font = fontkit.create(subset!.data) as fontkit.Font
    const kept = FEATURES.filter((f) => whole.availableFeatures.includes(f))
    expect(kept).toContain('halt')
    expect(font.availableFeatures).toEqual(expect.arrayContaining(kept))
    // With `halt`, the opening quotation mark takes half its em, its glyph moved back into that half.
    const run = font.layout('“', ['halt'])
    expect(run.positions[0]).toMatchObject({ xAdvance: 500, xOffset: -500 })
  })
})
