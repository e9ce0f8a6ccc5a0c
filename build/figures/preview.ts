/**
 * Look at the figures: render every spec in a figures folder, put each SVG in
 * a small HTML page that loads the book font with @font-face, and screenshot
 * it with headless Chromium.
 *
 *   npx tsx build/figures/preview.ts out-dir [--figures figures] [--width 680] [name …]
 *
 * Writes out-dir/<name>.svg, <name>.html and <name>.png, and out-dir/index.html
 * with all of them. Exits non-zero when a figure has errors.
 */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import puppeteer from 'puppeteer-core'
import { Diagnostics, formatDiagnostic } from '../diagnostics.ts'
import { FigureRenderer } from './index.ts'

const FONT_DIR = 'node_modules/@fontsource/noto-sans-sc/files'
const FONT_FAMILY = 'Noto Sans SC'

function page(title: string, body: string, fontDir: string, width: number): string {
  const face = (weight: number) =>
    `@font-face{font-family:'${FONT_FAMILY}';font-weight:${weight};src:url('${pathToFileURL(path.join(fontDir, `noto-sans-sc-chinese-simplified-${weight}-normal.woff2`)).href}') format('woff2')}`
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${title}</title><style>${face(400)}${face(700)}
body{margin:0;padding:16px;font-family:'${FONT_FAMILY}';background:#fff}
figure{margin:0 0 32px;width:${width}px}figcaption{font-weight:700;margin-bottom:8px;text-align:center}
svg{width:100%;height:auto;display:block;outline:1px dotted #ccc}</style></head><body>${body}</body></html>`
}

async function main(): Promise<void> {
  const args = process.argv.slice(2)
  const option = (name: string, fallback: string): string => {
    const index = args.indexOf(name)
    if (index === -1) return fallback
    const [, value] = args.splice(index, 2)
    return value ?? fallback
  }
  const root = process.cwd()
  const figuresDir = path.resolve(option('--figures', 'figures'))
  const width = Number(option('--width', '680'))
  const [outArg, ...only] = args
  if (!outArg) {
    console.error('usage: npx tsx build/figures/preview.ts out-dir [--figures dir] [--width px] [name …]')
    process.exit(2)
  }
  const outDir = path.resolve(outArg)
  await fs.mkdir(outDir, { recursive: true })
  const fontDir = path.resolve(root, FONT_DIR)
  const diagnostics = new Diagnostics(root)
  const renderer = new FigureRenderer({
    figuresDir,
    cacheDir: path.join(root, '.cache/figures'),
    fontFamily: FONT_FAMILY,
    fontFiles: {
      regular: path.join(fontDir, 'noto-sans-sc-chinese-simplified-400-normal.woff2'),
      bold: path.join(fontDir, 'noto-sans-sc-chinese-simplified-700-normal.woff2'),
    },
    diagnostics,
  })
  const names = (await fs.readdir(figuresDir))
    .filter((name) => name.endsWith('.vl.json'))
    .map((name) => name.slice(0, -'.vl.json'.length))
    .filter((name) => only.length === 0 || only.includes(name))
    .sort()
  const started = performance.now()
  const rendered = await renderer.renderAll(names.map((name) => ({ id: `fig-${name}`, spec: `${name}.vl.json`, title: name, file: `${name}.vl.json` })))
  console.log(`rendered ${rendered.size}/${names.length} in ${Math.round(performance.now() - started)} ms`)
  for (const message of diagnostics.list) console.error(formatDiagnostic(message))

  const userDataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'figures-preview-'))
  const browser = await puppeteer.launch({
    executablePath: process.env['CHROMIUM'] ?? '/usr/bin/chromium',
    userDataDir,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  })
  try {
    const tab = await browser.newPage()
    await tab.setViewport({ width: width + 32, height: 400, deviceScaleFactor: 2 })
    const all: string[] = []
    for (const name of names) {
      const figure = rendered.get(`fig-${name}`)
      if (!figure) continue
      const body = `<figure><figcaption>${name}</figcaption>${figure.svg}</figure>`
      all.push(body)
      await fs.writeFile(path.join(outDir, `${name}.svg`), figure.svg)
      const htmlFile = path.join(outDir, `${name}.html`)
      await fs.writeFile(htmlFile, page(name, body, fontDir, width))
      await tab.goto(pathToFileURL(htmlFile).href, { waitUntil: 'load' })
      await tab.evaluate(() => document.fonts.ready.then(() => undefined))
      const element = await tab.$('figure')
      await element?.screenshot({ path: path.join(outDir, `${name}.png`) as `${string}.png` })
      console.log(`${name}.png${figure.cached ? ' (cached)' : ''}`)
    }
    await fs.writeFile(path.join(outDir, 'index.html'), page('figures', all.join('\n'), fontDir, width))
  } finally {
    await browser.close()
    await fs.rm(userDataDir, { recursive: true, force: true })
  }
  if (diagnostics.errorCount > 0) process.exitCode = 1
}

await main()
