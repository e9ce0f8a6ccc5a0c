/** Books of every structure and language: labels, numbering styles, kinds, and what the indexes list. */
import { describe, expect, it } from 'vitest'
import {
  Diagnostics,
  formatDiagnostic,
  parseMarkdown,
  readFrontMatter,
  collectBook,
  checkReferences,
  renderChapter,
  stringify,
  bookView,
  bookConfigSchema,
  resolveLabels,
  resolveNumbering,
  indexEntries,
  pageLabel,
  hyphenator,
  hyphenateTree,
} from '../../build/index.ts'

/** Collect a book from chapter sources, in the given language and with the given config settings. */
function book(chapters: Record<string, string>, settings: Record<string, unknown> = {}) {
  const config = bookConfigSchema.parse({
    title: 't',
    publisher: 'p',
    author: 'a',
    date: '2020',
    chapters: Object.keys(chapters),
    ...settings,
  })
  const diagnostics = new Diagnostics()
  const inputs = Object.entries(chapters).map(([file, source]) => {
    const tree = parseMarkdown(source)
    return { file, tree, frontMatter: readFrontMatter(tree, file, diagnostics)!, source }
  })
  const model = collectBook(inputs, diagnostics, {
    labels: resolveLabels(config.language, config.labels),
    numbering: resolveNumbering(config.language, config.numbering),
  })
  checkReferences(model, diagnostics)
  const html = new Map(model.chapters.map((c) => [c.file, stringify(renderChapter(c.tree, model))]))
  return { config, model, html, messages: diagnostics.list.map(formatDiagnostic) }
}

const chapter = (front: string, body: string) => `---\n${front}\n---\n\n${body}\n`
const FIGURE = (id: string) => `::figure[Caption ${id}]{#${id} spec="x.vl.json" source="Somewhere"}`
const TABLE = (id: string) => `:::table[Table ${id}]{#${id}}\n| a | b |\n| --- | --- |\n| 1 | 2 |\n:::`

describe('an English book of plain chapters', () => {
  const { config, model, html, messages } = book(
    {
      'intro.md': chapter('title: Introduction', `## Background\n\nSee @fig-a and @tbl-b.\n\n${FIGURE('fig-a')}`),
      'config.md': chapter('title: Config', `## Store\n\n## Parity\n\n${TABLE('tbl-b')}\n\n${FIGURE('fig-c')}`),
      'notes.md': chapter('kind: appendix\ntitle: Notes', `## Sources\n\n${TABLE('tbl-d')}`),
    },
    { language: 'en' },
  )

  it('numbers chapters, sections, figures and tables in English', () => {
    expect(messages).toEqual([])
    expect(model.body.map((c) => `${c.id} ${c.label}`)).toEqual([
      'chapter-1 Chapter 1',
      'chapter-2 Chapter 2',
      'appendix-1 Appendix A',
    ])
    expect(model.parts).toEqual([])
    expect(model.body.flatMap((c) => c.sections.map((s) => `${s.number} ${s.title}`))).toEqual([
      '1.1 Background',
      '2.1 Store',
      '2.2 Parity',
      'A.1 Sources',
    ])
    expect([...model.figures, ...model.tables].map((f) => f.label)).toEqual([
      'Figure 1.1',
      'Figure 2.1',
      'Table 2.1',
      'Table A.1',
    ])
  })

  it('prints English words around captions, sources and references', () => {
    expect(html.get('intro.md')).toContain('See <a href="#fig-a" class="xref">Figure 1.1</a> and')
    expect(html.get('intro.md')).toContain('<p class="source">Source: Somewhere</p>')
    expect(html.get('config.md')).toContain('<td colspan="2">Table 2.1 (continued)</td>')
    expect(Object.values(bookView(config, model, 'print').labels).join('')).not.toMatch(/\p{Script=Han}/u)
  })

  it('lists chapters by number and appendices by label in the contents', () => {
    const listed = indexEntries(model).map((e) => e.listed)
    expect(listed.slice(0, 3)).toEqual(['1Introduction', '1.1Background', '2Config'])
    expect(listed).toContain('Appendix ANotes')
  })
})

describe('a Chinese book with front matter, parts and an appendix', () => {
  const { config, model, messages } = book({
    'intro.md': chapter('kind: front\ntitle: 简介', `## 背景\n\n${FIGURE('fig-a')}`),
    'one.md': chapter('kind: part\ntitle: 代码', `## 基准代码\n\n${TABLE('tbl-a')}`),
    'two.md': chapter('kind: part\ntitle: 服务\nnumeral: 贰', '## 后端服务\n\n正文。'),
    'app.md': chapter('kind: appendix\ntitle: 等价', `正文。\n\n${TABLE('tbl-b')}`),
  })

  it('numbers parts with Chinese numerals unless the chapter gives one, and appendices with letters', () => {
    expect(messages).toEqual([])
    expect(model.chapters.map((c) => `${c.kind}:${c.id}:${c.numeral ?? ''}:${c.label ?? ''}`)).toEqual([
      'front:intro::',
      'part:part-1:一:第一部分',
      'part:part-2:贰:第贰部分',
      'appendix:appendix-1:A:附录A',
    ])
    expect(model.chapters.map((c) => c.sections.map((s) => s.number).join())).toEqual([
      '（一）',
      '（一）',
      '（一）',
      '',
    ])
    expect([...model.figures, ...model.tables].map((f) => f.label)).toEqual(['图1', '表1', '表2'])
  })

  it('lists the front chapter unnumbered and the appendix by its label, before the figures and tables', () => {
    const listed = indexEntries(model).map((e) => `${e.id}=${e.listed}`)
    expect(listed.slice(0, 2)).toEqual(['intro=简介', 'part-1=一代码'])
    expect(listed).toContain('appendix-1=附录A等价')
    expect(listed).toContain('fig-a=图1Caption fig-a')
  })

  it('gives parts title pages by default, and none when the book turns them off', () => {
    expect(bookView(config, model, 'print').parts.map((p) => p.titlePage)).toEqual([true, true, false])
    const off = bookConfigSchema.parse({ ...config, partTitlePages: false })
    expect(bookView(off, model, 'print').parts.map((p) => p.titlePage)).toEqual([false, false, false])
  })
})

describe('numbering and label settings', () => {
  it('numbers figures per chapter when asked, and keeps a front chapter’s floats counted within it', () => {
    const { model } = book(
      {
        'f.md': chapter('kind: front\ntitle: 前言', FIGURE('fig-f')),
        'a.md': chapter('title: 甲', `${FIGURE('fig-a')}\n\n${FIGURE('fig-b')}`),
        'b.md': chapter('title: 乙', FIGURE('fig-c')),
      },
      { numbering: { floats: 'chapter-hyphen', chapters: 'chinese' }, labels: { chapter: '第{n}篇' } },
    )
    expect(model.figures.map((f) => f.label)).toEqual(['图1', '图一-1', '图一-2', '图二-1'])
    expect(model.body.map((c) => c.label)).toEqual(['第一篇', '第二篇'])
  })

  it('numbers parts in Roman numerals in English, and takes a language’s primary subtag', () => {
    const { model } = book(
      { 'a.md': chapter('kind: part\ntitle: One', 'Text.'), 'b.md': chapter('kind: part\ntitle: Two', 'Text.') },
      { language: 'en-GB', labels: { part: '{n}.' } },
    )
    expect(model.body.map((c) => `${c.numeral} ${c.label}`)).toEqual(['I I.', 'II II.'])
  })
})

describe('built-in labels', () => {
  const HAN = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef]/u

  it('give every key in both languages, with no Chinese character in the English set', () => {
    const zh = resolveLabels('zh-CN')
    const en = resolveLabels('en')
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort())
    for (const [key, value] of Object.entries(en)) expect(value, key).not.toMatch(HAN)
    for (const [key, value] of Object.entries(zh)) expect(value, key).not.toBe('')
  })

  it("name the site's reader tools, which a book may relabel", () => {
    expect(resolveLabels('zh-CN')).toMatchObject({ search: '搜索', onThisPage: '本页内容', zoom: '放大查看' })
    expect(resolveLabels('en')).toMatchObject({ search: 'Search', onThisPage: 'On this page', zoom: 'Enlarge' })
    expect(resolveLabels('en', { cite: 'Cite this report' }).cite).toBe('Cite this report')
    // The search page's messages keep their placeholders, which the site's script fills in.
    expect(resolveLabels('en').searchFound).toContain('{n}')
    expect(resolveLabels('en').searchFound).toContain('{q}')
  })
})

describe('page labels', () => {
  it('numbers body pages from 1 and the pages before them i, ii… as the PDF’s page labels do', () => {
    expect([0, 1, 3, 4, 5, 12].map((index) => pageLabel(index, 4))).toEqual(['i', 'ii', 'iv', '1', '2', '9'])
  })
})

describe('hyphenation for the PDF', () => {
  it('puts soft hyphens into English running text only, never into headings, captions, code or Chinese books', () => {
    const { model } = book(
      {
        'a.md': chapter(
          'title: A',
          `## Configuration management\n\nAdministrators characteristically prefer \`configuration\`.\n\n${FIGURE('fig-a')}`,
        ),
      },
      { language: 'en' },
    )
    const tree = renderChapter(model.chapters[0]!.tree, model)
    hyphenateTree(tree, hyphenator('en-GB')!)
    const html = stringify(tree)
    expect(html).toMatch(/<p>Ad\u00admin\u00adis\u00adtr.*char\u00adac\u00adter\u00adis/)
    expect(html).toContain('<code>configuration</code>')
    expect(html).toContain('>Configuration management</h2>')
    expect(html).toContain('<p class="source">Source: Somewhere</p>')
    expect(hyphenator('zh-CN')).toBeUndefined()
    expect(hyphenator('xx')).toBeUndefined()
  })
})

describe('emphasis', () => {
  it('marks Latin-only emphasis, which a Chinese book sets in italics, and leaves Chinese emphasis to 着重号', () => {
    const { html } = book({ 'a.md': chapter('title: 甲', '这是*重点*，那是 *config* 与 *Twelve-Factor 方法*。') })
    expect(html.get('a.md')).toContain(
      '这是<em>重点</em>，那是 <em class="latin">config</em> 与 <em>Twelve-Factor 方法</em>',
    )
  })
})
