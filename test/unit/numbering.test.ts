/** The book model: numbering across chapters, captions, cross-references and their errors. */
import { describe, expect, it } from 'vitest'
import { chineseNumeral, bookView, bookConfigSchema } from '../../build/index.ts'
import { bookFrom } from '../helpers/model.ts'

const book = (chapters: Record<string, string>) => bookFrom(chapters)

const part = (numeral: string, title: string, body: string) =>
  `---\nkind: part\nnumeral: ${numeral}\ntitle: ${title}\n---\n\n${body}\n`

const FIGURE = (id: string, caption: string, extra = '') => `::figure[${caption}]{#${id} spec="x.vl.json"${extra}}`
const TABLE = (id: string, caption: string, extra = '') =>
  `:::table[${caption}]{#${id}${extra}}\n| a | b |\n| --- | --- |\n| 1 | 2 |\n:::`

describe('chinese numerals', () => {
  it('numbers parts one to twenty-one (a repeated book has more than ten)', () => {
    expect([1, 4, 10, 11, 16, 20, 21].map(chineseNumeral)).toEqual(['一', '四', '十', '十一', '十六', '二十', '二十一'])
  })
})

describe('numbering', () => {
  const { model, messages, html } = book({
    'a.md': part(
      '一',
      '甲',
      `## 第一节\n\n${FIGURE('fig-one', '长标题一', ' short="短一" source="来源甲"')}\n\n## 第二节\n\n${TABLE('tbl-one', '表格一', ' short="表短一"')}\n\n${FIGURE('fig-two', '标题二')}`,
    ),
    'b.md': part(
      '二',
      '乙',
      `## 第一节\n\n见 @fig-two 和 @tbl-two；邮件 someone@fig-one.com 与 user@tbl-one.org 不变。\n\n${TABLE('tbl-two', '表格二')}\n\n${FIGURE('fig-three', '标题三')}`,
    ),
  })

  it('numbers figures and tables across the whole book, and sections within each part', () => {
    expect(messages).toEqual([])
    expect(model.figures.map((f) => `${f.label}:${f.id}`)).toEqual(['图1:fig-one', '图2:fig-two', '图3:fig-three'])
    expect(model.tables.map((t) => `${t.label}:${t.id}`)).toEqual(['表1:tbl-one', '表2:tbl-two'])
    expect(model.parts.map((p) => p.sections.map((s) => `${s.number}${s.title}`))).toEqual([
      ['（一）第一节', '（二）第二节'],
      ['（一）第一节'],
    ])
  })

  it('keeps long captions in the body and short ones in the lists', () => {
    const figure = model.figures[0]!
    expect(figure).toMatchObject({ caption: '长标题一', short: '短一', source: '来源甲' })
    expect(model.figures[1]).toMatchObject({ caption: '标题二', short: '标题二' })
    expect(html.get('a.md')).toContain('<figcaption><span class="float-label">图1</span> 长标题一</figcaption>')
    expect(html.get('a.md')).toContain('<p class="source">数据来源：来源甲</p>')
    expect(html.get('a.md')).toContain('<caption><span class="float-label">表1</span> 表格一</caption>')
    const view = bookView(
      bookConfigSchema.parse({ title: 't', publisher: 'p', author: 'a', date: '2020', chapters: ['a.md'] }),
      model,
      'site',
    )
    expect(view.figures.map((f) => `${f.label} ${f.short} ${f.href}`)).toEqual([
      '图1 短一 part-1.html#fig-one',
      '图2 标题二 part-1.html#fig-two',
      '图3 标题三 part-2.html#fig-three',
    ])
    expect(view.tables.map((t) => `${t.label} ${t.short}`)).toEqual(['表1 表短一', '表2 表格二'])
  })

  it('turns references into links and leaves e-mail addresses alone', () => {
    const body = html.get('b.md')!
    expect(body).toContain('见 <a href="#fig-two" class="xref">图2</a> 和 <a href="#tbl-two" class="xref">表2</a>；')
    expect(body).toContain('someone@fig-one.com')
    expect(body).toContain('user@tbl-one.org')
    expect(body).not.toContain('>图1<')
  })
})

describe('reference and id errors', () => {
  it('reports every problem in one run, with positions and suggestions', () => {
    const { messages } = book({
      'a.md': part('一', '甲', `## 节\n\n${FIGURE('fig-market-size', '市场')}\n\n${TABLE('tbl-defs', '定义')}`),
      'b.md': part(
        '二',
        '乙',
        [
          '见 @fig-markt-size 与 @tbl-nothing-like-it。',
          '',
          '又见 @fig-defs 与 @tbl-market-size。',
          '',
          FIGURE('fig-market-size', '重复'),
          '',
          '::figure{#fig-nocaption spec="x.vl.json"}',
          '',
          '::figure[无编号]{spec="x.vl.json"}',
          '',
          ':::table[无编号表]',
          '| a |',
          '| --- |',
          '| 1 |',
          ':::',
        ].join('\n'),
      ),
    })
    expect(messages).toEqual([
      'b.md:11:1 error Duplicate id `fig-market-size`; it is already used at a.md:9:1. Give each figure, table and section its own id crossref:duplicate-id',
      'b.md:13:1 error The figure `fig-nocaption` needs a caption in square brackets: `::figure[标题]{#fig-name spec="name.vl.json"}` figure:missing-caption',
      'b.md:15:1 error A figure needs an id: write it as `::figure[标题]{#fig-name spec="name.vl.json"}` figure:missing-id',
      'b.md:17:1 error A table needs an id: write it as `:::table[标题]{#tbl-name}` table:missing-id',
      'b.md:7:3 error Unknown reference @fig-markt-size; did you mean @fig-market-size? crossref:unknown-id',
      'b.md:7:21 error Unknown reference @tbl-nothing-like-it; no table has that id crossref:unknown-id',
      'b.md:9:4 error @fig-defs refers to a figure, but `tbl-defs` is a table: `fig-` is for figures. Write @tbl-defs crossref:wrong-kind',
      'b.md:9:16 error @tbl-market-size refers to a table, but `fig-market-size` is a figure: `tbl-` is for tables. Write @fig-market-size crossref:wrong-kind',
    ])
  })

  it('reports an id in the wrong namespace', () => {
    const { messages } = book({
      'a.md': part(
        '一',
        '甲',
        `::figure[图]{#tbl-oops spec="x.vl.json"}\n\n:::table[表]{#fig-oops}\n| a |\n| --- |\n| 1 |\n:::`,
      ),
    })
    expect(messages).toEqual([
      'a.md:7:1 error The figure id `tbl-oops` must start with `fig-` (for example `fig-oops`) figure:id-prefix',
      'a.md:9:1 error The table id `fig-oops` must start with `tbl-` (for example `tbl-oops`) table:id-prefix',
    ])
  })
})
