/** When a build launches its browser early: the forecast of whether the book prints again. */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { PrintForecast } from '../../build/index.ts'

const sources = {
  config: { title: '白皮书', fonts: { family: 'Noto Sans SC' } },
  templates: '<p>{{title}}</p>',
  chapters: [
    { file: 'chapters/01.md', source: '# 一\n\n正文。\n' },
    { file: 'chapters/02.md', source: '# 二\n\n正文。\n' },
  ],
}

describe('PrintForecast', () => {
  let cacheDir: string
  beforeEach(async () => {
    cacheDir = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'forecast-')), 'cache')
  })
  afterEach(() => fs.rm(path.dirname(cacheDir), { recursive: true, force: true }))

  it('expects a print when no pdf stage has succeeded yet, and none once these sources were recorded', async () => {
    expect(await new PrintForecast(cacheDir, sources).changed()).toBe(true)
    await new PrintForecast(cacheDir, sources).record()
    expect(await new PrintForecast(cacheDir, sources).changed()).toBe(false)
  })

  it('expects a print after an edit to a chapter, the config or the templates, or a chapter renamed', async () => {
    await new PrintForecast(cacheDir, sources).record()
    const edited = sources.chapters.map((c, i) => (i === 1 ? { ...c, source: c.source.replace('正文', '新文') } : c))
    const renamed = sources.chapters.map((c, i) => (i === 0 ? { ...c, file: 'chapters/00.md' } : c))
    for (const changed of [
      { ...sources, chapters: edited },
      { ...sources, chapters: renamed },
      { ...sources, chapters: sources.chapters.slice(0, 1) },
      { ...sources, config: { ...sources.config, title: '新书' } },
      { ...sources, templates: '<p>{{subtitle}}</p>' },
    ])
      expect(await new PrintForecast(cacheDir, changed).changed()).toBe(true)
    expect(await new PrintForecast(cacheDir, sources).changed()).toBe(false)
  })
})
