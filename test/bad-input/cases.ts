/**
 * The bad-input corpus: each case is an edit applied to a fresh copy of the
 * mini book, and the exact messages the build must report. A case with
 * `warnings` must still build.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import zlib from 'node:zlib'

export interface BadInputCase {
  name: string
  edit: (root: string) => Promise<void>
  /** Every message of the failing stage, formatted, in order. */
  expected?: string[]
  /** For cases that must build: the warnings reported. */
  warnings?: string[]
}

/** Replace one exact piece of a book file; fails loudly when the fixture changed. */
export function replace(file: string, from: string, to: string) {
  return async (root: string): Promise<void> => {
    const full = path.join(root, file)
    const text = await fs.readFile(full, 'utf8')
    if (!text.includes(from)) throw new Error(`fixture ${file} no longer contains ${JSON.stringify(from)}`)
    await fs.writeFile(full, text.replace(from, to))
  }
}

/** Append text to a book file. */
export function append(file: string, text: string) {
  return async (root: string): Promise<void> => {
    await fs.appendFile(path.join(root, file), text)
  }
}

export function write(file: string, text: string) {
  return async (root: string): Promise<void> => {
    await fs.mkdir(path.dirname(path.join(root, file)), { recursive: true })
    await fs.writeFile(path.join(root, file), text)
  }
}

export function remove(file: string) {
  return async (root: string): Promise<void> => {
    await fs.rm(path.join(root, file))
  }
}

/**
 * A tiny PNG that claims `width` × `height` grey pixels (one compressed row of data): enough for its size to be read,
 * without a large file in the repository.
 */
function pngHeader(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4)
    length.writeUInt32BE(data.length)
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(zlib.crc32(body))
    return Buffer.concat([length, body, crc])
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header[8] = 8 // bits per sample; colour type 0 (grey), compression, filter and interlace 0
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(Buffer.alloc(width + 1))),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

const CH1 = 'chapters/01-first.md'
const CH2 = 'chapters/02-second.md'
const CONFIG = 'chapters/book.yaml'
const SPEC = 'figures/sales.vl.json'
const CSV = 'figures/data/sales.csv'
/** 02-second.md is 9 lines long; appended blocks start at line 11. */
const tail = (text: string) => append(CH2, `\n${text}\n`)
const dataUrl = (url: string) => replace(SPEC, '"url": "data/sales.csv"', `"url": ${JSON.stringify(url)}`)

export const CASES: BadInputCase[] = [
  // Markdown: directives
  {
    name: 'unknown directive name',
    edit: replace(CH1, '::callout[42个]', '::callot[42个]'),
    expected: [
      'chapters/01-first.md:14:1 error Unknown directive `callot`; did you mean `callout`? Known directives are `figure`, `table`, `callout`. directive:unknown',
    ],
  },
  {
    name: 'unknown text directive',
    edit: tail('比值写作 HTML:abbr[x] 即可。'),
    expected: [
      'chapters/02-second.md:11:10 error Unknown directive `abbr`. Known directives are `figure`, `table`, `callout`. If you meant a literal colon, write `\\:`. directive:unknown',
    ],
  },
  {
    name: 'figure without id',
    edit: tail('::figure[无编号的图]{spec="sales.vl.json"}'),
    expected: [
      'chapters/02-second.md:11:1 error A figure needs an id: write it as `::figure[标题]{#fig-name spec="name.vl.json"}` figure:missing-id',
    ],
  },
  {
    name: 'figure without caption',
    edit: tail('::figure{#fig-nocap spec="sales.vl.json"}'),
    expected: [
      'chapters/02-second.md:11:1 error The figure `fig-nocap` needs a caption in square brackets: `::figure[标题]{#fig-name spec="name.vl.json"}` figure:missing-caption',
    ],
  },
  {
    name: 'figure without spec',
    edit: tail('::figure[缺规格的图]{#fig-nospec}'),
    expected: [
      'chapters/02-second.md:11:1 error The figure `fig-nospec` needs a chart or an image: add `spec="name.vl.json"` (a chart, relative to figures/) or `src="images/name.png"` (an image, relative to the chapter) figure:missing-spec',
    ],
  },
  {
    name: 'figure id without fig- prefix',
    edit: tail('::figure[图]{#sales-two spec="sales.vl.json"}'),
    expected: [
      'chapters/02-second.md:11:1 error The figure id `sales-two` must start with `fig-` (for example `fig-sales-two`) figure:id-prefix',
    ],
  },
  {
    name: 'figure written as a container',
    edit: tail(':::figure[图]{#fig-box spec="sales.vl.json"}\n:::'),
    expected: [
      'chapters/02-second.md:11:1 error `figure` must be written as `::figure[…]{…}` on a line of its own directive:form',
    ],
  },
  {
    name: 'unknown figure attribute',
    edit: tail('::figure[图]{#fig-attr spec="sales.vl.json" sorce="测试"}'),
    expected: [
      'chapters/02-second.md:11:1 error Unknown figure attribute `sorce`; use id, spec or src, short, source, note or description figure:attribute',
    ],
  },
  {
    name: 'table without id',
    edit: tail(':::table[无编号的表]\n| 甲 | 乙 |\n| --- | --- |\n| 1 | 2 |\n:::'),
    expected: [
      'chapters/02-second.md:11:1 error A table needs an id: write it as `:::table[标题]{#tbl-name}` table:missing-id',
    ],
  },
  {
    name: 'table without caption',
    edit: tail(':::table{#tbl-nocap}\n| 甲 | 乙 |\n| --- | --- |\n| 1 | 2 |\n:::'),
    expected: [
      'chapters/02-second.md:11:1 error The table `tbl-nocap` needs a caption in square brackets: `:::table[标题]{#tbl-name}` table:missing-caption',
    ],
  },
  {
    name: 'unclosed table',
    edit: tail(':::table[未闭合的表]{#tbl-open}\n| 甲 | 乙 |\n| --- | --- |\n| 1 | 2 |'),
    expected: [
      'chapters/02-second.md:11:1 error The `:::table` block `tbl-open` is never closed: end it with a line `:::` table:unclosed',
    ],
  },
  {
    name: 'table directive holding no table',
    edit: tail(':::table[空表]{#tbl-empty}\n这里只有一段文字。\n:::'),
    expected: [
      'chapters/02-second.md:11:1 error The table `tbl-empty` holds no table: put a GFM table (a header row, a `| --- |` row, then the rows) between `:::table` and `:::` table:no-table',
    ],
  },
  {
    name: 'table directive holding two tables',
    edit: tail(':::table[两张表]{#tbl-two}\n| 甲 |\n| --- |\n| 1 |\n\n| 乙 |\n| --- |\n| 2 |\n:::'),
    expected: [
      'chapters/02-second.md:11:1 error The table `tbl-two` holds 2 tables; put each in its own `:::table` block table:no-table',
    ],
  },
  // Markdown: chapters and front matter
  {
    name: 'malformed front matter',
    edit: replace(CH2, 'title: 第二篇章', 'title: [第二篇章'),
    expected: [
      'chapters/02-second.md:4:13 error Malformed front matter: Flow sequence in block collection must be sufficiently indented and end with a ] chapter:front-matter',
    ],
  },
  {
    name: 'unknown front matter key',
    edit: replace(CH2, 'title: 第二篇章', 'title: 第二篇章\ntitel: 重复'),
    expected: [
      'chapters/02-second.md:5:1 error Front matter: unknown key `titel`; did you mean `title`? Allowed keys are kind, title, numeral, subtitle chapter:front-matter',
    ],
  },
  {
    name: 'missing front matter',
    edit: replace(CH2, '---\nkind: part\nnumeral: 二\ntitle: 第二篇章\n---\n', ''),
    expected: [
      'chapters/02-second.md:1:1 error Missing front matter; start the chapter with a `---` block giving at least `title:` (and `kind: part`, `front` or `appendix` when it is not a plain chapter) chapter:front-matter',
    ],
  },
  {
    name: 'front matter kind not allowed',
    edit: replace(CH2, 'kind: part', 'kind: partt'),
    expected: [
      'chapters/02-second.md:2:7 error Front matter: `kind`: expected one of "chapter"|"part"|"appendix"|"front"|"abstract"; did you mean `part`? chapter:front-matter',
    ],
  },
  {
    name: 'chapter listed but missing on disk',
    edit: replace(CONFIG, '  - 02-second.md\n', '  - 02-second.md\n  - 03-third.md\n'),
    expected: [
      'chapters/book.yaml:13:5 error Chapter 03-third.md (chapters[3]) is listed in the book config but missing on disk; create it or remove it from `chapters:` config:missing-chapter',
    ],
  },
  {
    name: 'empty chapter',
    edit: write(CH2, '---\nkind: part\nnumeral: 二\ntitle: 第二篇章\n---\n\n<!-- 待写 -->\n'),
    expected: [
      'chapters/02-second.md:1:1 error Empty chapter: it has front matter but no text. Write its content, or remove it from `chapters:` in the book config chapter:empty',
    ],
  },
  {
    name: 'level-1 heading in a chapter',
    edit: tail('# 不该有的一级标题'),
    expected: [
      'chapters/02-second.md:11:1 error A `#` heading is not allowed in a chapter: the chapter title comes from the front matter. Use `##` for a section chapter:heading-depth',
    ],
  },
  {
    name: 'raw HTML loading from the network',
    edit: tail('图示：<img src="http://example.invalid/x.png" alt="外链">'),
    expected: [
      'chapters/02-second.md:11:14 error Raw HTML loads http://example.invalid/x.png from the network; the book must be self-contained (its site contacts no third-party host, and printing may load nothing from outside). Remove it, or draw the picture as a figure html:external-resource',
    ],
  },
  // Markdown: cross-references
  {
    name: 'unknown reference with a suggestion',
    edit: replace(CH2, '回看 @fig-sales 的', '回看 @fig-sale 的'),
    expected: [
      'chapters/02-second.md:9:8 error Unknown reference @fig-sale; did you mean @fig-sales? crossref:unknown-id',
    ],
  },
  {
    name: 'unknown reference without a suggestion',
    edit: replace(CH2, '回看 @fig-sales 的', '回看 @fig-population 的'),
    expected: [
      'chapters/02-second.md:9:8 error Unknown reference @fig-population; no figure has that id crossref:unknown-id',
    ],
  },
  {
    name: 'duplicate id',
    edit: tail('::figure[再画一次]{#fig-sales spec="sales.vl.json"}'),
    expected: [
      'chapters/02-second.md:11:1 error Duplicate id `fig-sales`; it is already used at chapters/01-first.md:16:1. Give each figure, table and section its own id crossref:duplicate-id',
    ],
  },
  {
    name: 'figure reference at a table',
    edit: replace(CH2, '回看 @fig-sales 的', '回看 @fig-items 的'),
    expected: [
      'chapters/02-second.md:9:8 error @fig-items refers to a figure, but `tbl-items` is a table: `fig-` is for figures. Write @tbl-items crossref:wrong-kind',
    ],
  },
  // Specs and data
  {
    name: 'spec is invalid JSON',
    edit: replace(SPEC, '"height": 200,', '"height": 200,,'),
    expected: [
      "figures/sales.vl.json:5:17 error Invalid JSON in sales.vl.json: expected a property name in double quotes but found ','; fix the syntax at this position figures:json",
    ],
  },
  {
    name: 'spec is schema-invalid Vega-Lite',
    edit: replace(SPEC, '"mark": "bar"', '"mark": "barr"'),
    expected: [
      'figures/sales.vl.json:8:15 error /layer/0/mark must be of type object, or one of "boxplot", "errorbar", "errorband", "arc", "area", "bar", "image", "line", "point", "rect", "rule", "text", … (5 more) vega-lite:schema',
    ],
  },
  {
    name: 'spec has an unknown property',
    edit: replace(SPEC, '"height": 200,', '"height": 200, "colour": "red",'),
    expected: ['figures/sales.vl.json:1:1 error / has unknown property "colour" vega-lite:schema'],
  },
  {
    name: 'missing spec file',
    edit: replace(CH1, 'spec="sales.vl.json"', 'spec="sale.vl.json"'),
    expected: [
      'chapters/01-first.md:16:1 error Figure spec figures/sale.vl.json does not exist; create it or fix the spec="sale.vl.json" attribute figures:missing-spec',
    ],
  },
  {
    name: 'spec path leaving figures/',
    edit: replace(CH1, 'spec="sales.vl.json"', 'spec="../chapters/book.yaml"'),
    expected: [
      'chapters/01-first.md:16:1 error Figure spec "../chapters/book.yaml" leaves the figures folder through ".."; keep data files under figures/ and give a path such as "name.vl.json" figures:spec-path',
    ],
  },
  {
    name: 'CSV ragged row',
    edit: replace(CSV, '2021,30', '2021,30,5'),
    expected: [
      'figures/data/sales.csv:4:1 error Line 4 of sales.csv (data of sales.vl.json) has 3 cells but the header has 2; add or remove cells (an empty cell between commas means a missing value) figures:csv-row',
    ],
  },
  {
    name: 'CSV non-numeric value in a quantitative field',
    edit: replace(CSV, '2019,12', '2019,12万'),
    expected: [
      'figures/data/sales.csv:2:6 error "12万" in column "sales" of sales.csv (data of sales.vl.json) is not a number, but the spec encodes "sales" as quantitative; write a plain number such as 3753 (no units or thousands separators), or leave the cell empty for a missing value figures:csv-number',
    ],
  },
  {
    name: 'missing data file',
    edit: dataUrl('data/sale.csv'),
    expected: [
      'figures/sales.vl.json:6:20 error Data file figures/data/sale.csv (from /data/url in sales.vl.json) does not exist; create it or fix the url figures:missing-data',
    ],
  },
  {
    name: 'data URL with ..',
    edit: dataUrl('../chapters/book.yaml'),
    expected: [
      'figures/sales.vl.json:6:20 error Data URL "../chapters/book.yaml" at /data/url leaves the figures folder through ".."; keep data files under figures/ and give a path such as "data/name.csv" figures:data-url',
    ],
  },
  {
    name: 'data URL that is an absolute path',
    edit: dataUrl('/etc/passwd'),
    expected: [
      'figures/sales.vl.json:6:20 error Data URL "/etc/passwd" at /data/url is an absolute path; give a path relative to figures/, such as "data/name.csv" figures:data-url',
    ],
  },
  {
    name: 'data URL with file:',
    edit: dataUrl('file:///etc/passwd'),
    expected: [
      'figures/sales.vl.json:6:20 error Data URL "file:///etc/passwd" at /data/url uses the URL scheme "file:"; figures may only read files under figures/, so give a relative path such as "data/name.csv" figures:data-url',
    ],
  },
  {
    name: 'data URL with http:',
    edit: dataUrl('http://example.invalid/sales.csv'),
    expected: [
      'figures/sales.vl.json:6:20 error Data URL "http://example.invalid/sales.csv" at /data/url uses the URL scheme "http:"; figures may only read files under figures/, so give a relative path such as "data/name.csv" figures:data-url',
    ],
  },
  {
    name: 'data URL with https:',
    edit: dataUrl('https://example.invalid/sales.csv'),
    expected: [
      'figures/sales.vl.json:6:20 error Data URL "https://example.invalid/sales.csv" at /data/url uses the URL scheme "https:"; figures may only read files under figures/, so give a relative path such as "data/name.csv" figures:data-url',
    ],
  },
  // Book config
  {
    name: 'config: unknown key',
    edit: replace(CONFIG, 'language: zh-CN\n', 'language: zh-CN\nlanguge: en\n'),
    expected: [
      'chapters/book.yaml:7:1 error Unknown key `languge`; did you mean `language`? Known keys are title, subtitle, publisher, publisherEnglish, author, date, language, labels, numbering, partTitlePages, noteNumbers, description, baseUrl, place, keywords, chapters, backCover, static, templates, styles, fonts config:schema',
    ],
  },
  {
    name: 'config: unknown nested key',
    edit: replace(
      CONFIG,
      '{ label: 邮箱, value: hello@example.com }',
      '{ label: 邮箱, value: hello@example.com, phone: 123 }',
    ),
    expected: [
      'chapters/book.yaml:19:46 error Unknown key `backCover.contact.0.phone`. Known keys of `backCover.contact.0` are label, value config:schema',
    ],
  },
  {
    name: 'config: wrong type',
    edit: replace(CONFIG, 'keywords: [测试, 夹具]', 'keywords: 测试'),
    expected: ['chapters/book.yaml:8:11 error `keywords`: expected array, received string config:schema'],
  },
  {
    name: 'config: missing required field',
    edit: replace(CONFIG, 'author: 测试作者\n', ''),
    expected: [
      'chapters/book.yaml:1:1 error `author`: missing required field; add `author:` to the config config:schema',
    ],
  },
  {
    name: 'config: bad date',
    edit: replace(CONFIG, 'date: "2021.03"', 'date: March 2021'),
    expected: ['chapters/book.yaml:5:7 error `date`: must look like 2020, 2020.05 or 2020.05.31 config:schema'],
  },
  {
    name: 'config: chapter that is not Markdown',
    edit: replace(CONFIG, '  - 02-second.md', '  - 02-second.txt'),
    expected: ['chapters/book.yaml:12:5 error `chapters.2`: must be a .md file config:schema'],
  },
  {
    name: 'config: unknown label',
    edit: replace(CONFIG, 'language: zh-CN\n', 'language: zh-CN\nlabels:\n  figrue: 插图{n}\n'),
    expected: [
      'chapters/book.yaml:8:3 error Unknown key `labels.figrue`; did you mean `figure`? Known keys of `labels` are figure, table, source, continued, part, chapter, appendix, contents, listOfFigures, listOfTables, cover, backCover, data, home, startReading, downloadPdf, downloadPdfLong, skipToContent, pager, previous, next, notes, backToText, showData, dataCaption, missing, summaryColon, summarySeparator, summaryEnd, summaryFlag, subtitleSeparator, search, searchAll, searchKeywords, searchNoScript, searchFromFile, searching, searchFound, searchNone, searchUnavailable, onThisPage, toTop, cite, copy, linkCopied, citationCopied, copyFailed, zoom, close, notFound, notFoundText, backHome config:schema',
    ],
  },
  {
    name: 'config: label with a character the font lacks',
    edit: replace(CONFIG, 'language: zh-CN\n', 'language: zh-CN\nlabels:\n  continued: （续）↩\n'),
    expected: [
      'chapters/book.yaml:8:17 error The character “↩” (U+21A9) has no glyph in the book font Noto Sans SC; replace it, or choose a font that has it font:missing-glyph',
    ],
  },
  {
    name: 'config: unknown numbering style',
    edit: replace(CONFIG, 'language: zh-CN\n', 'language: zh-CN\nnumbering:\n  sections: decimall\n'),
    expected: [
      'chapters/book.yaml:8:13 error `numbering.sections`: expected one of "chinese-parenthesized"|"decimal"|"chapter-decimal"|"none"; did you mean `decimal`? config:schema',
    ],
  },
  {
    name: 'config: font file not found',
    // The mini book names the real book's fonts (the last lines of its book.yaml); these replace them.
    edit: replace(
      CONFIG,
      'fonts:\n  family: Noto Sans SC\n  regular: "@fontsource/noto-sans-sc/files/noto-sans-sc-chinese-simplified-400-normal.woff2"\n' +
        '  bold: "@fontsource/noto-sans-sc/files/noto-sans-sc-chinese-simplified-700-normal.woff2"\n  latin: false\n',
      'fonts:\n  family: Mine\n  regular: fonts/mine.woff2\n  bold: ./fonts/mine-bold.woff2\n',
    ),
    expected: [
      'chapters/book.yaml:23:12 error `fonts.regular`: font file fonts/mine.woff2 not found (paths are relative to book.yaml, or name a file in an npm package); run `npm ci`, or point it at a .woff2/.ttf file config:font',
      'chapters/book.yaml:24:9 error `fonts.bold`: font file ./fonts/mine-bold.woff2 not found (paths are relative to book.yaml, or name a file in an npm package); run `npm ci`, or point it at a .woff2/.ttf file config:font',
    ],
  },
  {
    name: 'config: invalid YAML',
    edit: replace(CONFIG, 'title: 小书测试', 'title: [小书测试'),
    expected: [
      'chapters/book.yaml:2:1 error Invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ] config:yaml',
    ],
  },
  {
    name: 'config: missing',
    edit: remove(CONFIG),
    expected: [
      'chapters/book.yaml error No book config found; create chapters/book.yaml with the title, author, date and the list of chapters config:missing',
    ],
  },
  {
    name: 'config: malformed baseUrl',
    edit: replace(CONFIG, 'language: zh-CN', 'language: zh-CN\nbaseUrl: example.org/report'),
    expected: [
      'chapters/book.yaml:7:10 error `baseUrl`: must be an absolute http(s) URL of the folder the site is published in, such as https://example.org/whitepaper/ config:schema',
    ],
  },
  // Markdown: notes, images and links (issue 15; the same kinds as test/fixtures/bad-features)
  {
    name: 'note defined twice and note never defined',
    edit: tail('代码库[^repo]与分布式[^decentral]。\n\n[^repo]: 代码仓库。\n\n[^repo]: 又一个定义。'),
    expected: [
      'chapters/02-second.md:15:1 error The note `[^repo]` is defined twice; the first definition is at `chapters/02-second.md:13:1`. Remove one, or give it its own label note:duplicate',
      'chapters/02-second.md:11:15 error `[^decentral]` refers to a note that is not defined in this chapter; add `[^decentral]: …` at the end of the chapter (notes are per chapter) note:undefined',
    ],
  },
  {
    name: 'missing image',
    edit: tail('![一份代码库对应多份部署](images/codebase.png)'),
    expected: [
      'chapters/02-second.md:11:1 error The image `images/codebase.png` does not exist (looked for `chapters/images/codebase.png`, relative to the chapter). Add the file, or fix the path image:missing',
    ],
  },
  {
    name: 'image outside the book',
    edit: tail('![系统口令](../../../etc/passwd)'),
    expected: [
      "chapters/02-second.md:11:1 error The image path `../../../etc/passwd` leads outside the book's folder; keep images inside the book (for example in `chapters/images/`) image:outside-book",
    ],
  },
  {
    name: 'image that is not an image',
    edit: async (root) => {
      await write('chapters/images/notes.png', '这不是图片\n')(root)
      await tail('![流程](images/notes.png)')(root)
    },
    expected: [
      'chapters/02-second.md:11:1 error `images/notes.png` is not a PNG, JPEG, WebP or SVG image that can be read. Replace it with a real image image:unreadable',
    ],
  },
  {
    name: 'SVG image with a script',
    edit: async (root) => {
      await write(
        'chapters/images/x.svg',
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>',
      )(root)
      await tail('![图](images/x.svg)')(root)
    },
    expected: [
      'chapters/02-second.md:11:1 error `images/x.svg` contains a <script> element; SVGs are put inline into the pages, so they may hold only drawing. Remove it, or export the drawing as PNG image:unsafe-svg',
    ],
  },
  {
    name: 'image too large to embed',
    edit: async (root) => {
      await fs.mkdir(path.join(root, 'chapters/images'), { recursive: true })
      await fs.writeFile(path.join(root, 'chapters/images/huge.png'), pngHeader(8000, 8000))
      await tail('![很大的图](images/huge.png)')(root)
    },
    expected: [
      'chapters/02-second.md:11:1 error `images/huge.png` is 8000×8000 pixels, too large to embed (at most 50 million); scale it down to about 1800 pixels on its longest side image:too-large',
    ],
  },
  {
    name: 'reference-style image',
    edit: tail('![部署][deploys]\n\n[deploys]: images/deploys.png'),
    expected: [
      'chapters/02-second.md:11:1 error The image `![…][deploys]` is written reference-style, which the book does not support; write the path in the image itself: `![what the image shows](images/x.png)` image:reference-style',
    ],
  },
  {
    name: 'figure with both a chart and an image',
    edit: tail('::figure[图]{#fig-both spec="sales.vl.json" src="images/x.png"}'),
    expected: [
      'chapters/02-second.md:11:1 error The figure `fig-both` needs either: add `spec="name.vl.json"` (a chart, relative to figures/) or `src="images/name.png"` (an image, relative to the chapter), not both figure:missing-spec',
    ],
  },
  {
    name: 'links to a missing chapter and a missing anchor',
    edit: tail('见[第一部分](01-frist.md)与[细节](01-first.md#细节说)。'),
    expected: [
      'chapters/02-second.md:11:2 error The link to `01-frist.md` points at no chapter of the book; did you mean `01-first.md`? link:missing-chapter',
      'chapters/02-second.md:11:22 error `01-first.md` has no heading or id `细节说`; did you mean `#细节说明`? link:missing-anchor',
    ],
  },
  // Warnings only
  {
    name: 'chart column without a title',
    edit: replace(SPEC, ', "title": "销量"', ''),
    warnings: [
      'figures/sales.vl.json:8:101 warning Column "sales" of data/sales.csv has no title in this spec, so its CSV download and data table call it "sales". Give it one where the spec names the field, or in a tooltip: `{"field": "sales", "title": "Name (unit)"}` site:data-title',
    ],
  },
  {
    name: 'chapter on disk but not listed',
    edit: write('chapters/03-extra.md', '---\nkind: front\ntitle: 附录\n---\n\n没有列入目录的附录。\n'),
    warnings: [
      'chapters/03-extra.md warning This chapter is not listed in `chapters:` of book.yaml, so it is not in the book; add it there, or move it out of the folder config:unlisted-chapter',
    ],
  },
  {
    name: 'unused note and image without alt text',
    edit: async (root) => {
      await fs.mkdir(path.join(root, 'chapters/images'), { recursive: true })
      await fs.copyFile(
        path.join(import.meta.dirname, '../fixtures/bad-features/chapters/images/symbol.png'),
        path.join(root, 'chapters/images/symbol.png'),
      )
      await tail('![](images/symbol.png)\n\n[^git]: 分布式版本控制系统。')(root)
    },
    warnings: [
      'chapters/02-second.md:13:1 warning The note `[^git]` is defined but never referenced, so it would not be printed; reference it with `[^git]` in the text, or delete it note:unused',
      'chapters/02-second.md:11:1 warning The image `images/symbol.png` has no alt text; describe it in the brackets: `![what the image shows](images/symbol.png)` image:missing-alt',
    ],
  },
]
