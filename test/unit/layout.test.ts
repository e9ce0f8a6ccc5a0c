/** The layout check's rules, each on planted line boxes: one case it must catch, one it must let pass. */
import { describe, expect, it } from 'vitest'
import {
  findLoneCellCharacters,
  findOutsidePage,
  findShortLastLines,
  findSmallFigureText,
  findSparsePages,
  findSplitUnits,
  findStrandedHeadings,
  findWidows,
  type PageInfo,
} from '../../build/pdf/layout/checks.ts'
import { fromHtml } from 'hast-util-from-html'
import { lineBoxes, type LineBox } from '../../build/pdf/layout/lines.ts'
import { textBlocks } from '../../build/pdf/layout/verify.ts'
import { findUnsearchable, readableText, searchProbes } from '../../build/pdf/layout/search.ts'
import { placeOf } from '../../build/pdf/layout/report.ts'
import type { BlockKind } from '../../build/pdf/layout/structure.ts'
import { MIN_FIT, TRACKING, refinePlan, samePlan } from '../../build/pdf/copyfit.ts'

const A4 = { width: 595, height: 842 }
const LINE = 18.4

/** Lines of one block, top down from `top`, on `page`. */
function block(id: number, kind: BlockKind, texts: string[], page = 0, top = 700, size = 10.5): LineBox[] {
  return texts.map((text, i) => ({
    page,
    block: id,
    kind,
    text,
    x: 57,
    right: 57 + [...text].length * size,
    y: top - i * LINE,
    size,
    margin: false,
  }))
}

const body = (index: number): PageInfo => ({ index, ...A4, role: 'body' })

describe('sparse pages', () => {
  it('reports a body page filled by five lines, not a full one, nor a cover', () => {
    const full = block(
      1,
      'paragraph',
      Array.from({ length: 30 }, () => '正文'),
      0,
    )
    const stub = block(2, 'paragraph', ['一', '二', '三', '四', '五'], 1)
    const cover = block(3, 'paragraph', ['封面'], 2)
    const pages = [body(0), body(1), { ...body(2), role: 'cover' as const }]
    const found = findSparsePages([...full, ...stub, ...cover], pages, 8)
    expect(found.map((f) => f.page)).toEqual([1])
    expect(found[0]!.message).toContain('5 lines')
  })

  it('counts a figure by the room it takes', () => {
    const figure = block(
      1,
      'figure',
      Array.from({ length: 12 }, () => '标签'),
      0,
    )
    expect(findSparsePages(figure, [body(0)], 8)).toEqual([])
  })
})

describe('widows and orphans', () => {
  it('reports one line of a paragraph alone at the top of the next page', () => {
    const lines = [
      ...block(1, 'paragraph', ['第一行', '第二行', '第三行'], 0, 120),
      ...block(1, 'paragraph', ['孤行'], 1),
    ]
    const found = findWidows(lines)
    expect(found).toMatchObject([{ kind: 'widow', page: 1 }])
  })

  it('reports a first line alone at the foot of a page', () => {
    const lines = [...block(1, 'paragraph', ['首行'], 0, 80), ...block(1, 'paragraph', ['二', '三'], 1)]
    expect(findWidows(lines)).toMatchObject([{ kind: 'widow', page: 0 }])
  })

  it('lets two lines on each side pass', () => {
    const lines = [...block(1, 'paragraph', ['一', '二'], 0, 80), ...block(1, 'paragraph', ['三', '四'], 1)]
    expect(findWidows(lines)).toEqual([])
  })
})

describe('short last lines', () => {
  it('reports a paragraph ending on “等。” and a heading ending on one character', () => {
    const lines = [
      ...block(1, 'paragraph', ['这是一段很长的文字，它在第二行只剩下', '等。']),
      ...block(2, 'heading', ['将进一步规范金融科技的发', '展'], 0, 500),
      ...block(3, 'paragraph', ['这一段的最后一行', '足够长了。']),
    ]
    expect(findShortLastLines(lines).map((f) => f.text)).toEqual([
      '这是一段很长的文字，它在第二行只剩下等。',
      '将进一步规范金融科技的发展',
    ])
  })
})

describe('numbers split from their units', () => {
  it('reports 9.75 | 亿元 across a page and 2019-2021 | 年 across a line', () => {
    const lines = [
      ...block(1, 'paragraph', ['贷款余额达 9.75'], 0, 80),
      ...block(1, 'paragraph', ['亿元，同比增长。'], 1),
      ...block(2, 'cell', ['（2019-2021', '年）》'], 1, 500),
    ]
    const found = findSplitUnits(lines)
    expect(found.map((f) => [f.page, f.message])).toEqual([
      [0, 'the number 9.75 and its unit 亿 are split at a page break'],
      [1, 'the number 2019-2021 and its unit 年 are split at a line break'],
    ])
  })

  it('lets a number end a line when the next line is not its unit', () => {
    expect(findSplitUnits(block(1, 'paragraph', ['共计 2019', '，其中']))).toEqual([])
  })
})

describe('stranded headings', () => {
  it('reports a heading that is the last line of its page', () => {
    const lines = [
      ...block(1, 'paragraph', ['正文'], 0, 700),
      ...block(2, 'heading', ['（一）标题'], 0, 80),
      ...block(3, 'paragraph', ['下一页'], 1),
    ]
    expect(findStrandedHeadings(lines, [body(0), body(1)])).toMatchObject([{ page: 0, kind: 'stranded-heading' }])
    expect(findStrandedHeadings(lines.slice(1), [body(0), body(1)])).toHaveLength(1)
    expect(findStrandedHeadings([lines[0]!, lines[2]!], [body(0), body(1)])).toEqual([])
  })
})

describe('lone characters in table cells', () => {
  it('reports “间” and “设。” on lines of their own, not a one-character cell', () => {
    const lines = [
      ...block(1, 'cell', ['颁布时', '间']),
      ...block(2, 'cell', ['加快新型基础设施建', '设。'], 0, 600),
      ...block(3, 'cell', ['是'], 0, 500),
    ]
    expect(findLoneCellCharacters(lines).map((f) => f.text)).toEqual(['间', '设。'])
  })
})

describe('figure text', () => {
  it('reports labels under 8 pt at print size', () => {
    const lines = [...block(1, 'figure', ['小标签'], 0, 700, 7.9), ...block(2, 'figure', ['大标签'], 0, 600, 8)]
    expect(findSmallFigureText(lines).map((f) => f.text)).toEqual(['小标签'])
  })
})

describe('text outside the page', () => {
  it('reports a line running past the right edge', () => {
    const lines = [...block(1, 'paragraph', ['页内']), { ...block(2, 'paragraph', ['出界'])[0]!, right: 620 }]
    expect(findOutsidePage(lines, [body(0)]).map((f) => f.text)).toEqual(['出界'])
  })
})

describe('the text layer', () => {
  it('finds the phrases of the source as written, and says how a spaced one reads', () => {
    const probes = searchProbes(['2019年，市场规模达3753亿元。', '和趋势进行分析'])
    expect(probes).toEqual(['2019年', '市场规模达3753亿元', '和趋势进行分析'])
    const good = readableText(block(1, 'paragraph', ['2019年，市场规模达3753', '亿元。和趋势进行分析']))
    expect(findUnsearchable(probes.slice(0, 2), good)).toEqual([])
    const spaced = readableText(block(1, 'paragraph', ['2019 年，市场规模达 3753 亿元。', '和 趋 势 进 行 分析'], 4))
    expect(findUnsearchable(probes, spaced).map((f) => [f.page, f.message])).toEqual([
      [4, 'searching for “2019年” finds nothing: the text layer reads “2019 年”'],
      [4, 'searching for “市场规模达3753亿元” finds nothing: the text layer reads “市场规模达 3753 亿元”'],
      [4, 'searching for “和趋势进行分析” finds nothing: the text layer reads “和 趋 势 进 行 分析”'],
    ])
  })

  it('parts phrases at a note number: nobody searches for “中3”', () => {
    const paragraph = fromHtml('<p>存储于环境变量中<sup><a href="#n3">3</a></sup>。环境变量</p>', { fragment: true })
    expect(searchProbes(textBlocks(paragraph))).toEqual(['存储于环境变量中', '环境变量'])
  })
})

describe('line boxes', () => {
  it('joins the runs of one block on one baseline, and keeps blocks on the same baseline apart', () => {
    const items = [
      { text: '左栏', x: 57, y: 700, width: 21, size: 10.5, content: 'p1R_mc0' },
      { text: '右栏', x: 300, y: 700, width: 21, size: 10.5, content: 'p1R_mc1' },
      { text: '续', x: 78, y: 700.4, width: 10.5, size: 10.5, content: 'p1R_mc2' },
      { text: '页码', x: 290, y: 30, width: 18, size: 9 },
    ]
    const blocks = new Map([
      ['p1R_mc0', { block: 1, kind: 'cell' as const }],
      ['p1R_mc1', { block: 2, kind: 'cell' as const }],
      ['p1R_mc2', { block: 1, kind: 'cell' as const }],
    ])
    const lines = lineBoxes([{ index: 0, ...A4, items }], blocks, 62)
    expect(lines.map((l) => [l.text, l.block, l.margin])).toEqual([
      ['左栏续', 1, false],
      ['右栏', 2, false],
      ['页码', -1, true],
    ])
  })

  it('leaves out the emphasis marks drawn under a line: they are not a line of their own', () => {
    const items = [
      { text: '应用的配置在不同部署间', x: 57, y: 700, width: 115, size: 10.5, content: 'p1R_mc0' },
      { text: '• •', x: 90, y: 694, width: 12, size: 5.25, content: 'p1R_mc0' },
    ]
    const blocks = new Map([['p1R_mc0', { block: 1, kind: 'paragraph' as const }]])
    const lines = lineBoxes([{ index: 0, ...A4, items }], blocks, 62)
    expect(lines.map((l) => l.text)).toEqual(['应用的配置在不同部署间'])
  })
})

describe('placing a finding in its chapter', () => {
  it('finds the printed line in the Markdown source', () => {
    const source = '---\ntitle: x\n---\n\n## 标题\n\n截至2019年底，贷款余额达9.75亿元。\n'
    expect(placeOf(source, '截至 2019 年底，贷款')).toEqual({ line: 7, column: 1 })
    expect(placeOf(source, '不在源文件里的文字')).toBeUndefined()
  })
})

describe('copyfit plans across builds', () => {
  it('adds a newly sparse section, tightens an already tightened one again within the limit, and keeps the rest', () => {
    const start = new Map([
      ['a', { leading: 0.95, tracking: 0 }],
      ['b', { leading: 1, tracking: -0.025 }],
      ['c', { leading: 0.9, tracking: 0 }],
    ])
    const found = new Map([
      ['a', { leading: 0.97, tracking: 0 }],
      ['c', { leading: 0.95, tracking: 0 }],
      ['d', { leading: 0.93, tracking: 0 }],
    ])
    const plan = refinePlan(start, found)
    expect(Object.fromEntries(plan)).toEqual({
      a: { leading: 0.92, tracking: 0 },
      b: { leading: 1, tracking: -0.025 },
      c: { leading: MIN_FIT, tracking: 0 },
      d: { leading: 0.93, tracking: 0 },
    })
    expect(samePlan(plan, start)).toBe(false)
  })

  it('is the same plan when the print asks for nothing the plan cannot give: no extra pass', () => {
    const start = new Map([['c', { leading: MIN_FIT, tracking: TRACKING }]])
    const plan = refinePlan(start, new Map([['c', { leading: MIN_FIT, tracking: TRACKING }]]))
    expect(samePlan(plan, start)).toBe(true)
    expect(samePlan(refinePlan(new Map(), new Map()), new Map())).toBe(true)
    expect(samePlan(new Map([['c', { leading: 0.95, tracking: 0 }]]), start)).toBe(false)
  })
})
