/**
 * The site's reader tools that need neither a browser nor a child process: chart data for readers (BOM, titled
 * headers), the citation, sitemap and robots.txt, and which characters the bold font subset must carry.
 */
import { describe, expect, it } from 'vitest'
import { dataTable, publishCsv } from '../../build/site/data.ts'
import { citation, robotsTxt, sitemapXml } from '../../build/site/meta.ts'
import { boldText } from '../../build/site/bold.ts'
import { parseJson } from '../../build/figures/json.ts'
import { Diagnostics, formatDiagnostic } from '../../build/diagnostics.ts'
import { stringify } from '../../build/render/chapter.ts'
import { bookConfigSchema } from '../../build/config/config.ts'
import { resolveLabels } from '../../build/labels.ts'
import { readSiteScript } from '../../build/site/assets.ts'
import { shareDocument } from '../../build/site/share.ts'
import { loadTemplates } from '../../build/config/templates.ts'
import os from 'node:os'
import path from 'node:path'

describe('chart data for readers', () => {
  const spec = (text: string) => {
    const parsed = parseJson(text)
    if (!parsed.ok) throw new Error(parsed.error.message)
    return { file: '/book/figures/market.vl.json', json: parsed.json }
  }
  const SPEC = spec(
    JSON.stringify(
      { encoding: { x: { field: 'year', title: '年份' }, tooltip: [{ field: 'value', title: '市场规模（亿元）' }] } },
      null,
      2,
    ),
  )

  it('writes a UTF-8 BOM, the fields’ titles with units, and the rows as they are', () => {
    const diagnostics = new Diagnostics('/book')
    const data = publishCsv('data/market.csv', 'year,value\n2019,3753\n2020,\n', SPEC, diagnostics)
    expect(data.csv.startsWith('\uFEFF年份,市场规模（亿元）\r\n')).toBe(true)
    expect(data.csv).toBe('\uFEFF年份,市场规模（亿元）\r\n2019,3753\r\n2020,\r\n')
    expect(Buffer.from(data.csv).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]))
    expect(diagnostics.list).toEqual([])
  })

  it('falls back to the column name, with a warning at the spec, when a field has no title', () => {
    const diagnostics = new Diagnostics('/book')
    const data = publishCsv('data/market.csv', 'year,value,note\n2019,3753,"a, b"\n', SPEC, diagnostics)
    expect(data.headers).toEqual(['年份', '市场规模（亿元）', 'note'])
    expect(data.csv).toContain('2019,3753,"a, b"')
    expect(diagnostics.list.map(formatDiagnostic)).toEqual([
      expect.stringMatching(
        /^figures\/market\.vl\.json:1:1 warning Column "note" of data\/market\.csv has no title .* site:data-title$/,
      ),
    ])
  })

  it('shows the same rows as an accessible table, missing values named', () => {
    const table = dataTable(
      [
        {
          file: 'data/m.csv',
          csv: '',
          headers: ['年份', '市场规模（亿元）'],
          rows: [
            ['2019', '3753'],
            ['2020', ''],
          ],
        },
      ],
      { summary: '显示数据', caption: '图3 市场规模的数据', missing: '数据缺失' },
    )
    const html = stringify({ type: 'root', children: [table] })
    expect(html).toContain('<summary>显示数据</summary>')
    expect(html).toContain('<caption>图3 市场规模的数据</caption>')
    expect(html).toContain('<th scope="col">年份</th>')
    expect(html).toContain('<th scope="row">2020</th><td>数据缺失</td>')
  })
})

describe('citation and site metadata', () => {
  const config = bookConfigSchema.parse({
    title: '场景为王，全面赋能',
    subtitle: '2020金融科技发展白皮书',
    publisher: '赛迪顾问',
    publisherEnglish: 'CCID Consulting',
    author: '赛迪顾问',
    date: '2020.05',
    place: '北京',
    chapters: ['a.md'],
  })

  it('cites the book in GB/T 7714 and BibTeX, online only with a baseUrl', () => {
    expect(citation(config, resolveLabels('zh-CN'))).toEqual({
      gbt7714: '赛迪顾问. 场景为王，全面赋能：2020金融科技发展白皮书[R]. 北京: 赛迪顾问, 2020.',
      bibtex:
        '@techreport{ccidconsulting2020,\n  title = {场景为王，全面赋能：2020金融科技发展白皮书},\n  author = {{赛迪顾问}},\n  institution = {赛迪顾问},\n  address = {北京},\n  year = {2020},\n  language = {zh-CN}\n}',
    })
    const online = citation({ ...config, baseUrl: 'https://example.org/report/' }, resolveLabels('zh-CN'))
    expect(online.gbt7714).toBe(
      '赛迪顾问. 场景为王，全面赋能：2020金融科技发展白皮书[R/OL]. 北京: 赛迪顾问, 2020. https://example.org/report/',
    )
    expect(online.bibtex).toContain('url = {https://example.org/report/}')
  })

  it("joins an English book's title and subtitle with the en label's colon, no full-width one", () => {
    const english = citation(
      { ...config, title: 'The Twelve-Factor App', subtitle: 'A methodology' },
      resolveLabels('en'),
    )
    expect(english.gbt7714).toContain('The Twelve-Factor App: A methodology[R]')
    expect(english.bibtex).toContain('title = {The Twelve-Factor App: A methodology}')
  })

  it('normalises baseUrl to a folder and refuses what is not an http(s) folder address', () => {
    const parse = (baseUrl: string) =>
      bookConfigSchema.safeParse({ title: 't', publisher: 'p', author: 'a', date: '2020', chapters: ['a.md'], baseUrl })
    expect(parse('https://example.org/report').data?.baseUrl).toBe('https://example.org/report/')
    for (const bad of ['example.org/report', 'ftp://example.org/', 'https://example.org/?x=1', '/report/'])
      expect(parse(bad).success, bad).toBe(false)
  })

  it('lists pages in sitemap.xml and names it in robots.txt', () => {
    const xml = sitemapXml('https://example.org/r/', ['index.html', 'part-1.html'], new Date(Date.UTC(2020, 4, 1)))
    expect(xml).toContain('<url><loc>https://example.org/r/</loc><lastmod>2020-05-01</lastmod></url>')
    expect(xml).toContain('<loc>https://example.org/r/part-1.html</loc>')
    expect(robotsTxt('https://example.org/r/')).toContain('Sitemap: https://example.org/r/sitemap.xml')
  })
})

describe('bold subset', () => {
  it('carries what the stylesheet sets in bold, and not the rest', () => {
    const css =
      '.lead { font-weight: 700 } .x:hover { font: bold 1em sans-serif } td[data-label]::before { content: attr(data-label); font-weight: 700 } .thin { font-weight: 400 }'
    const text = boldText(
      [
        '<h2>章节</h2><p class="lead">导语</p><p>正文</p><a class="x">链接</a><table><tr><td data-label="列名">单元</td></tr></table><svg><text font-weight="bold">标签</text></svg><p class="thin">细体</p>',
      ],
      css,
    )
    for (const bold of ['章节', '导语', '链接', '列名', '标签']) expect(text, bold).toContain(bold)
    for (const regular of ['正文', '单元', '细体']) expect(text, regular).not.toContain(regular)
  })
})

describe("the site's script", () => {
  it("is the theme's when the book has none, with the book's labels as JavaScript strings", async () => {
    const none = path.join(os.tmpdir(), 'no-templates-here')
    const script = await readSiteScript(none, { ...resolveLabels('en'), copyFailed: `Can't copy "it" </script>` })
    expect(script).toContain("'Enlarge'")
    expect(script).toContain("'Link copied'")
    expect(script).not.toContain('{{')
    expect(script).not.toMatch(/\p{Script=Han}/u)
    // A label's quotes and a closing tag cannot end the string or the script.
    expect(script).toContain(String.raw`'Can\u0027t copy \"it\" \u003c/script>'`)
    expect(() => new Function(script)).not.toThrow()
    const chinese = await readSiteScript(none, resolveLabels('zh-CN'))
    expect(chinese).toContain("'放大查看'")
    expect(chinese).toContain("'找到 {n} 处与“{q}”有关的内容。'")
  })
})

describe('the share image', () => {
  it("sets the theme's share.html in the book's fonts, letter-spacing Chinese titles only", async () => {
    const diagnostics = new Diagnostics()
    const templates = (await loadTemplates(path.join(os.tmpdir(), 'no-templates-here'), diagnostics))!
    const view = (language: string) => ({ book: { title: 'T', subtitle: 'S', language } })
    const html = shareDocument(templates, view('en'), '@font-face { font-family: "Noto Sans"; }', '"Noto Sans"')
    expect(html).toContain('font-family: "Noto Sans", sans-serif;')
    expect(html).toContain('@font-face { font-family: "Noto Sans"; }')
    expect(html).toContain('<html lang="en">')
    expect(html).toContain(':lang(zh) .title { letter-spacing: 0.08em; }')
    expect(html).not.toMatch(/^\.title \{[^}]*letter-spacing/m)
  })
})
