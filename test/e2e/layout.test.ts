/**
 * The layout check, end to end: a book laid out badly on purpose (test/fixtures/layout-traps) is printed, and
 * every planted fault is reported with its page; in strict mode the same faults fail the build.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { BuildSummary } from '../../build/index.ts'
import { build, buildErrors, copyBook, REPO } from '../helpers/book.ts'

const TRAPS = path.join(REPO, 'test/fixtures/layout-traps')

/**
 * The repository's styles, with a stylesheet on top (after the theme's) that turns widow and orphan control off so
 * that a lone line can be planted, and disarms copyfitting (the leading and tracking ignore `--fit` and `--track`) so
 * that it is not pulled back.
 */
async function withoutWidowControl(root: string): Promise<void> {
  await fs.cp(path.join(REPO, 'styles'), path.join(root, 'styles'), { recursive: true })
  await fs.appendFile(
    path.join(root, 'styles/traps.css'),
    '\n.part-body p { widows: 1; orphans: 1; }\n.part-body h2 ~ h2 { break-before: page; }\n' +
      '.part-body > * { line-height: 1.75 !important; letter-spacing: normal !important; }\n',
  )
  const config = path.join(root, 'chapters/book.yaml')
  await fs.writeFile(config, (await fs.readFile(config, 'utf8')).replace(/^styles: .*$/m, 'styles: styles'))
}

describe('the layout check on a book with planted faults', () => {
  let root: string
  let summary: BuildSummary

  beforeAll(async () => {
    root = await copyBook(TRAPS, withoutWidowControl)
    summary = await build(root)
  })

  it('reports each planted fault with its page and rule', () => {
    const diagnostics = summary.pdf!.layout.diagnostics
    const rules = (rule: string) => diagnostics.filter((d) => d.ruleId === `layout:${rule}`)
    expect(rules('short-last-line').map((d) => d.message)).toEqual([
      expect.stringMatching(/last line holds only “展。”/),
    ])
    expect(rules('split-unit').map((d) => d.message)).toEqual([
      expect.stringMatching(/the number 9\.75 and its unit 亿 are split at a line break/),
    ])
    // The space between 》 and 《 keeps them apart; “四区”“两中心” on the same line closes up.
    expect(rules('loose-punctuation').map((d) => d.message)).toEqual([
      expect.stringMatching(/“》《” is set solid: the opening mark stands (a full em or more|1\.\d\d em) after/),
    ])
    expect(rules('lone-cell-character').map((d) => d.message)).toEqual([expect.stringMatching(/only “间”/)])
    expect(rules('small-figure-text').length).toBeGreaterThan(0)
    // One of the sections overruns its page by one line: a widow, alone on its page.
    const [widow] = rules('widow')
    expect(rules('widow')).toHaveLength(1)
    expect(widow!.message).toMatch(/last line “第\d+行：金融科技测试文字” alone at the top of the page/)
    const widowPage = /PDF page (\d+)/.exec(widow!.message)![1]
    // Its page holds that line only; the longer sections leave a few lines on pages of their own, sparse too.
    expect(rules('sparse-page').map((d) => /PDF page (\d+)/.exec(d.message)![1])).toContain(widowPage)
    expect(rules('sparse-page').find((d) => d.message.includes(`PDF page ${widowPage} `))!.message).toMatch(
      /fills only 1 line/,
    )
  })

  it('places each finding in its chapter file, at the line where its text is', () => {
    const diagnostics = summary.pdf!.layout.diagnostics
    const split = diagnostics.find((d) => d.ruleId === 'layout:split-unit')!
    expect(split).toMatchObject({ file: 'chapters/01-traps.md', place: { line: 11 } })
    expect(diagnostics.find((d) => d.ruleId === 'layout:widow')!.file).toBe('chapters/02-widows.md')
  })

  it('fails a strict build with the same findings as errors', async () => {
    const errors = await buildErrors(root, { strict: true })
    const expected = summary.pdf!.layout.diagnostics.map((d) => d.ruleId)
    expect(errors.map((line) => line.split(' ').at(-1))).toEqual(expected)
    expect(errors.every((line) => / error PDF page \d+/.test(line))).toBe(true)
  })
})
