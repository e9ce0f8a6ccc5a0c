/** Issue 15: everyday colons stay text, references after Han characters, notes, links and headings in the engine. */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  Builder,
  prepareImages,
  Diagnostics,
  formatDiagnostic,
  parseMarkdown,
  readFrontMatter,
  collectBook,
  type BookModel,
} from '../../build/index.ts'
import { bookFrom } from '../helpers/model.ts'
import { REPO } from '../helpers/book.ts'

const book = (chapters: Record<string, string>) => bookFrom(chapters, { noteNumbers: 'circled' })

const part = (numeral: string, title: string, body: string) =>
  `---\nkind: part\nnumeral: ${numeral}\ntitle: ${title}\n---\n\n${body}\n`

describe('literal text', () => {
  it('keeps times, ports and ratios as text, with no error', () => {
    const { messages, html } = book({
      'a.md': part('一', '甲', '会议于10:30开始，地址redis://host:6379，比例1:2，*强调:x*。'),
    })
    expect(messages).toEqual([])
    expect(html.get('a.md')).toContain('<p>会议于10:30开始，地址redis://host:6379，比例1:2，<em>强调:x</em>。</p>')
  })

  it('still reports an unknown directive that has a label or attributes', () => {
    const { messages } = book({ 'a.md': part('一', '甲', '比值写作 HTML:abbr[x] 与 :kbd{k=1} 与 :sup[]。') })
    expect(messages.map((m) => m.split(' error ')[0])).toEqual(['a.md:7:10', 'a.md:7:21', 'a.md:7:33'])
  })
})

describe('references after Han characters', () => {
  const figure = '::figure[市场]{#fig-x spec="x.vl.json"}\n\n:::table[定义]{#tbl-y}\n| a |\n| --- |\n| 1 |\n:::'

  it('links 见@fig-x and 如@tbl-y所示', () => {
    const { messages, html } = book({ 'a.md': part('一', '甲', `${figure}\n\n见@fig-x，如@tbl-y所示。`) })
    expect(messages).toEqual([])
    expect(html.get('a.md')).toContain(
      '<p>见<a href="#fig-x" class="xref">图1</a>，如<a href="#tbl-y" class="xref">表1</a>所示。</p>',
    )
  })

  it('never turns an e-mail address into a reference, even with a fig- domain or right after Han', () => {
    const { messages, html } = book({
      'a.md': part(
        '一',
        '甲',
        `${figure}\n\n请寄charts@fig-x.example.org或tables@tbl-y.example.org，或寄@fig-x.example.org。`,
      ),
    })
    expect(messages).toEqual([])
    expect(html.get('a.md')).not.toContain('class="xref"')
  })
})

describe('links between chapters', () => {
  const chapters = {
    'chapters/a.md': part(
      '一',
      '甲',
      '## I. 基准代码\n\n### 一份代码\n\n见[配置](b.md#iii-配置)、[乙](b.md)、[图](#fig-x)与[本节](#一份代码)。',
    ),
    'chapters/b.md': part(
      '二',
      '乙',
      '## III. 配置\n\n::figure[图]{#fig-x spec="x.vl.json"}\n\n[回去](a.md#i-基准代码)',
    ),
  }

  it('rewrites links to chapters, heading slugs and ids to element ids', () => {
    const { messages, html, model } = book(chapters)
    expect(messages).toEqual([])
    expect(html.get('chapters/a.md')).toContain('<h3 id="part-1-s1-1">一份代码</h3>')
    expect(html.get('chapters/a.md')).toContain(
      '见<a href="#part-2-s1">配置</a>、<a href="#part-2">乙</a>、<a href="#fig-x">图</a>与<a href="#part-1-s1-1">本节</a>。',
    )
    expect(html.get('chapters/b.md')).toContain('<a href="#part-1-s1">回去</a>')
    expect(model.chapters[0]!.anchors.get('i-基准代码')).toBe('part-1-s1')
  })

  it('resolves reference-style links through their definition', () => {
    const { messages, html } = book({
      'chapters/a.md': part('一', '甲', '见[乙篇][b]。\n\n[b]: b.md#iii-配置'),
      'chapters/b.md': part('二', '乙', '## III. 配置'),
    })
    expect(messages).toEqual([])
    expect(html.get('chapters/a.md')).toContain('见<a href="#part-2-s1">乙篇</a>。')
  })

  it('reports missing chapters and anchors with a guess', () => {
    const { messages } = book({
      'chapters/a.md': part(
        '一',
        '甲',
        '## Link checks\n\n[x](c.md) [y](bb.md) [z](b.md#iii-配) [w](#link-check) [v](../x.pdf)',
      ),
      'chapters/b.md': part('二', '乙', '## III. 配置'),
    })
    expect(messages).toEqual([
      'chapters/a.md:9:1 error The link to `c.md` points at no chapter of the book; did you mean `a.md`? link:missing-chapter',
      'chapters/a.md:9:11 error The link to `bb.md` points at no chapter of the book; did you mean `b.md`? link:missing-chapter',
      'chapters/a.md:9:22 error `b.md` has no heading or id `iii-配`; did you mean `#iii-配置`? link:missing-anchor',
      'chapters/a.md:9:38 error This chapter has no heading or id `link-check`; did you mean `#link-checks`? link:missing-anchor',
      "chapters/a.md:9:55 error The link to `../x.pdf` points at a local file that is not a chapter; the book's outputs carry only its chapters, so link a chapter (`other.md#heading`), or the file's web address link:missing-chapter",
    ])
  })
})

describe('headings', () => {
  it('lists a section in 目录 by its short title and prints its heading', () => {
    const { model, messages, html } = book({
      'a.md': part('一', '甲', '## 发展金融科技面临的挑战 {short="面临挑战"}\n\n## 乙 {shrt="x"}'),
    })
    expect(model.parts[0]!.sections.map((s) => [s.title, s.heading])).toEqual([
      ['面临挑战', '发展金融科技面临的挑战'],
      ['乙', '乙'],
    ])
    expect(html.get('a.md')).toContain('<h2 id="part-1-s1">发展金融科技面临的挑战</h2>')
    expect(messages).toEqual([
      'a.md:9:6 error Unknown heading attribute `shrt` (did you mean `short`?): a heading takes only `{short="目录 title"}`, for a 目录 entry that differs from the heading heading:attribute',
    ])
  })
})

describe('notes', () => {
  it('numbers notes per chapter, with ids of their own and links both ways', () => {
    const { messages, html } = book({
      'a.md': part('一', '甲', '正文[^yizhu]与[^repo]，再[^yizhu]。\n\n[^yizhu]: 译者注。\n\n[^repo]: 代码库。'),
      'b.md': part('二', '乙', '又一[^x]。\n\n[^x]: 第二章的注。'),
    })
    expect(messages).toEqual([])
    const a = html.get('a.md')!
    expect(a).toContain(
      '正文<sup><a href="#part-1-note-1" id="part-1-note-ref-1" class="note-ref note-circled" aria-describedby="part-1-notes-title">1</a></sup>',
    )
    expect(a).toContain('id="part-1-note-ref-1-2"')
    expect(a).toContain('<h2 id="part-1-notes-title" class="notes-title">注释</h2>')
    expect(a).toContain(
      '<li id="part-1-note-1">\n<p><a href="#part-1-note-ref-1" class="note-back note-circled" aria-label="回到正文，注释 1">1</a> 译者注。</p>',
    )
    expect(a).not.toContain('↩')
    expect(html.get('b.md')).toContain('<li id="part-2-note-1">')
  })

  it('reports duplicate, undefined and unused notes', () => {
    const { messages } = book({
      'a.md': part('一', '甲', '甲[^repo]乙[^rep]丙[^none]。\n\n[^repo]: 一。\n\n[^repo]: 二。\n\n[^repos]: 三。'),
    })
    expect(messages).toEqual([
      'a.md:11:1 error The note `[^repo]` is defined twice; the first definition is at `a.md:9:1`. Remove one, or give it its own label note:duplicate',
      'a.md:7:10 error `[^rep]` refers to a note that is not defined in this chapter; add `[^rep]: …` at the end of the chapter (notes are per chapter), or did you mean `[^repos]`? note:undefined',
      'a.md:7:17 error `[^none]` refers to a note that is not defined in this chapter; add `[^none]: …` at the end of the chapter (notes are per chapter) note:undefined',
      'a.md:13:1 warning The note `[^repos]` is defined but never referenced, so it would not be printed; reference it with `[^repos]` in the text, or delete it note:unused',
    ])
  })
})

describe('the bad-features fixture', () => {
  it('reports every row of its EXPECTED.md in one run, and nothing else', async () => {
    const root = path.join(REPO, 'test/fixtures/bad-features')
    const messages = (await new Builder({ root, cacheDir: path.join(os.tmpdir(), 'bad-features-cache') }).check()).map(
      formatDiagnostic,
    )
    const expected = await fs.readFile(path.join(root, 'EXPECTED.md'), 'utf8')
    const rows = [...expected.matchAll(/^\| \d+ \| `([^`]+)` \| (error|warning) \| `([a-z:-]+)`/gm)].map(
      ([, place, severity, rule]) => `${place} ${severity} ${rule}`,
    )
    expect(rows).toHaveLength(12)
    expect(messages.map((m) => `${m.split(' ').slice(0, 2).join(' ')} ${m.split(' ').at(-1)}`).sort()).toEqual(
      rows.sort(),
    )
  })
})

describe('images', () => {
  it('downscales large photos once, keeps small files as they are, and prepares SVGs for inlining', async () => {
    const root = path.join(REPO, 'test/fixtures/zh-book')
    const diagnostics = new Diagnostics()
    const model = await zhModel(root, diagnostics)
    const cacheDir = await fs.mkdtemp(path.join(os.tmpdir(), 'images-cache-'))
    const options = { root, cacheDir, fontFamily: 'Noto Sans SC', diagnostics }
    const images = await prepareImages(model, options)
    const prepared = [...images.byUse.values()]
    const byStem = new Map(prepared.map((image) => [image.name.replace(/^images\/|-[0-9a-f]{10}\.\w+$/g, ''), image]))
    expect([...byStem.keys()].sort()).toEqual(['attached-resources', 'clouds', 'processes', 'symbol'])
    expect([byStem.get('clouds')!.width, byStem.get('clouds')!.height]).toEqual([1800, 1200])
    expect(byStem.get('clouds')!.data.length).toBeLessThan(60_000)
    const webp = await fs.readFile(path.join(root, 'chapters/images/symbol.webp'))
    expect(byStem.get('symbol')!.data.equals(webp)).toBe(true)
    const svg = byStem.get('processes')!.svg!
    expect(svg).toMatch(/^<svg[^>]* role="img"/)
    expect(svg).toContain('id="fig-processes-svg-arrow-1"')
    expect(svg).toContain('url(#fig-processes-svg-arrow-1)')
    expect(svg).not.toContain('id="arrow"')
    // Inlined, not served: no file for the SVG.
    expect([...images.files.keys()].some((name) => name.endsWith('.svg'))).toBe(false)
    expect(diagnostics.list.map(formatDiagnostic)).toEqual([expect.stringContaining('image:missing-alt')])
    // The second time, the downscaled photo comes from the cache, byte for byte.
    const again = await prepareImages(await zhModel(root, new Diagnostics()), options)
    const clouds = [...again.byUse.values()].find((image) => image.name === byStem.get('clouds')!.name)
    expect(clouds?.data.equals(byStem.get('clouds')!.data)).toBe(true)
    await fs.rm(cacheDir, { recursive: true, force: true })
  })
})

/** Two chapters of the zh-book fixture, the front one as a part (figures in front chapters are issue 16's). */
async function zhModel(root: string, diagnostics: Diagnostics): Promise<BookModel> {
  const chapters = ['00-intro.md', '02-services-and-processes.md']
  const inputs = await Promise.all(
    chapters.map(async (name) => {
      const text = await fs.readFile(path.join(root, 'chapters', name), 'utf8')
      const source = text.replace(/^kind: front$/m, 'kind: part\nnumeral: 〇')
      const tree = parseMarkdown(source)
      return { file: `chapters/${name}`, tree, frontMatter: readFrontMatter(tree, name, diagnostics)!, source }
    }),
  )
  return collectBook(inputs, diagnostics)
}
