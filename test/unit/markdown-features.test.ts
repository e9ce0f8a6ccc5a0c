/** Issue 15: everyday colons stay text, references after Han characters, notes, links and headings in the engine. */
import { describe, expect, it } from 'vitest'
import {
  Diagnostics,
  formatDiagnostic,
  parseMarkdown,
  readFrontMatter,
  collectBook,
  checkReferences,
  type BookModel,
  renderChapter,
  stringify,
} from '../../build/index.ts'

function book(chapters: Record<string, string>): { model: BookModel; messages: string[]; html: Map<string, string> } {
  const diagnostics = new Diagnostics()
  const inputs = Object.entries(chapters).map(([file, source]) => {
    const tree = parseMarkdown(source)
    const frontMatter = readFrontMatter(tree, file, diagnostics)!
    return { file, tree, frontMatter, source }
  })
  const model = collectBook(inputs, diagnostics)
  checkReferences(model, diagnostics)
  const html = new Map(model.chapters.map((c) => [c.file, stringify(renderChapter(c.tree, model))]))
  return { model, messages: diagnostics.list.map(formatDiagnostic), html }
}

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
