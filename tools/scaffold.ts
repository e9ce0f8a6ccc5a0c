/**
 * A minimal new book, ready to build: book.yaml, two chapters, one chart with its CSV, one table. Written in Chinese
 * (zh-CN) or English; the engine's default theme and fonts do the rest.
 */
import fs from 'node:fs/promises'
import path from 'node:path'

export type ScaffoldLanguage = 'zh-CN' | 'en'

interface Words {
  config: string
  intro: string
  results: string
}

const CHART = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  width: 420,
  height: 240,
  data: { url: 'data/growth.csv', format: { type: 'csv', parse: { year: 'string', value: 'number' } } },
  encoding: {
    x: { field: 'year', type: 'ordinal', title: null, axis: { labelAngle: 0 } },
    y: { field: 'value', type: 'quantitative', title: null },
  },
  layer: [{ mark: 'bar' }, { mark: { type: 'text', dy: -6 }, encoding: { text: { field: 'value' } } }],
}

const CSV = 'year,value\n2022,120\n2023,150\n2024,210\n2025,260\n'

const EN: Words = {
  config: `# The book config: every key is described in docs/book-config.md of the engine.
title: A New Report
subtitle: Written in Markdown, published as a site and a PDF
publisher: Your Organisation
author: Your Name
date: "${new Date().getUTCFullYear()}"
language: en
description: A minimal book made by \`npm run new\`.
keywords: [report]
chapters:
  - 01-introduction.md
  - 02-results.md
`,
  intro: `---
title: Introduction
---

This book was made by \`npm run new\`. Each chapter is a Markdown file listed in \`book.yaml\`; a chapter without
\`kind\` is a numbered chapter. Write *emphasis* with asterisks and **bold** with two.

## What the chart shows

The values grew every year, as @fig-growth shows.

::figure[Growth of the example value, 2022–2025]{#fig-growth spec="growth.vl.json" short="Growth of the example value" source="Example data"}
`,
  results: `---
title: Results
---

## In a table

@tbl-summary sums up the chart of the first chapter.

:::table[The example value by year]{#tbl-summary source="Example data"}
| Year | Value | Change |
| --- | --- | --- |
| 2024 | 210 | +40% |
| 2025 | 260 | +24% |
:::
`,
}

const ZH: Words = {
  config: `# 书的配置：每个键的含义见引擎的 docs/book-config.md。
title: 新报告
subtitle: 用 Markdown 写成，发布为网站与 PDF
publisher: 你的机构
author: 你的名字
date: "${new Date().getUTCFullYear()}"
language: zh-CN
description: 由 npm run new 生成的最小的书。
keywords: [报告]
chapters:
  - 01-introduction.md
  - 02-results.md
`,
  intro: `---
kind: part
title: 引言
---

这本书由 \`npm run new\` 生成。每一章是 \`book.yaml\` 中列出的一个 Markdown 文件，\`kind: part\` 的章节是带标题页的一个部分。

## 图表说明

示例数值逐年增长，见 @fig-growth。

::figure[2022—2025年示例数值增长情况]{#fig-growth spec="growth.vl.json" short="示例数值增长情况" source="示例数据"}
`,
  results: `---
kind: part
title: 结果
---

## 表格

@tbl-summary 汇总了第一部分的图表。

:::table[各年示例数值]{#tbl-summary source="示例数据"}
| 年份 | 数值 | 变化 |
| --- | --- | --- |
| 2024 | 210 | +40% |
| 2025 | 260 | +24% |
:::
`,
}

/** Write a new book into `dir`, which must be missing or empty. Returns the files written, relative to `dir`. */
export async function scaffoldBook(dir: string, language: ScaffoldLanguage): Promise<string[]> {
  const existing = await fs.readdir(dir).catch(() => [])
  if (existing.length > 0) throw new Error(`${dir} is not empty; choose a new folder for the book`)
  const words = language === 'en' ? EN : ZH
  const files: Record<string, string> = {
    'chapters/book.yaml': words.config,
    'chapters/01-introduction.md': words.intro,
    'chapters/02-results.md': words.results,
    'figures/growth.vl.json': `${JSON.stringify(CHART, null, 2)}\n`,
    'figures/data/growth.csv': CSV,
  }
  for (const [name, text] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(dir, name)), { recursive: true })
    await fs.writeFile(path.join(dir, name), text)
  }
  return Object.keys(files)
}
