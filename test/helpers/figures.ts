/** Helpers of the figure tests: throwaway books holding figures, a renderer over them, the real book's figures. */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { expect } from 'vitest'
import {
  collectBook,
  Diagnostics,
  FigureRenderer,
  formatDiagnostic,
  loadConfig,
  readChapters,
  type FigureRequest,
  type SummaryWords,
} from '../../build/index.ts'
import { REPO } from './book.ts'

const root = REPO
const fontDir = path.join(root, 'node_modules/@fontsource/noto-sans-sc/files')
export const fontFiles = {
  regular: path.join(fontDir, 'noto-sans-sc-chinese-simplified-400-normal.woff2'),
  bold: path.join(fontDir, 'noto-sans-sc-chinese-simplified-700-normal.woff2'),
}
export const realFigures = path.join(root, 'figures')

/** The real book's figures, in book order, as its model numbers them from the chapters (图1, 图2, …). */
export async function realBookFigures(): Promise<FigureRequest[]> {
  const diagnostics = new Diagnostics(root)
  const loaded = await loadConfig(root, diagnostics)
  const model = loaded && collectBook(await readChapters(root, loaded, diagnostics), diagnostics)
  if (!model || diagnostics.list.length > 0) throw new Error(diagnostics.list.map(formatDiagnostic).join('\n'))
  return model.figures.map((figure) => ({
    id: figure.id,
    spec: figure.spec!,
    title: figure.caption,
    file: figure.chapter.file,
    place: figure.place,
  }))
}

/** A fresh book root with a figures/ folder holding `files` (path → contents). */
export async function book(files: Record<string, string> = {}): Promise<{ root: string; figuresDir: string }> {
  const bookRoot = await fs.mkdtemp(path.join(os.tmpdir(), 'figures-test-'))
  const figuresDir = path.join(bookRoot, 'figures')
  await fs.mkdir(path.join(figuresDir, 'data'), { recursive: true })
  for (const [name, text] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(figuresDir, name)), { recursive: true })
    await fs.writeFile(path.join(figuresDir, name), text)
  }
  return { root: bookRoot, figuresDir }
}

export function renderer(
  bookRoot: string,
  figuresDir: string,
  cacheDir = path.join(bookRoot, '.cache/figures'),
  summaryWords?: SummaryWords,
) {
  const diagnostics = new Diagnostics(bookRoot)
  return {
    diagnostics,
    renderer: new FigureRenderer({
      figuresDir,
      cacheDir,
      fontFamily: 'Noto Sans SC',
      fontFiles,
      diagnostics,
      summaryWords,
    }),
  }
}

export const request = (name: string): FigureRequest => ({
  id: `fig-${name}`,
  spec: `${name}.vl.json`,
  title: `${name} caption`,
  file: 'chapters/01.md',
  place: { line: 3, column: 1 },
})

export async function copyFigure(name: string, to: string): Promise<void> {
  const spec = await fs.readFile(path.join(realFigures, `${name}.vl.json`), 'utf8')
  await fs.writeFile(path.join(to, `${name}.vl.json`), spec)
  for (const file of await fs.readdir(path.join(realFigures, 'data'))) {
    if (file.startsWith(`${name}.`))
      await fs.copyFile(path.join(realFigures, 'data', file), path.join(to, 'data', file))
  }
}

/** Render one bad figure and return its formatted messages. */
export async function problems(files: Record<string, string>, spec = 'bad.vl.json'): Promise<string[]> {
  const { root: bookRoot, figuresDir } = await book(files)
  const { diagnostics, renderer: r } = renderer(bookRoot, figuresDir)
  const result = await r.render({ ...request('bad'), spec })
  expect(result).toBeUndefined()
  return diagnostics.list.map(formatDiagnostic)
}

/** Bars a reader sees: the slots of missing values are drawn at opacity 0. */
export const countBars = (svg: string): number =>
  [...svg.matchAll(/<g class="mark-rect role-mark[^"]*"[^>]*>([\s\S]*?)<\/g>/g)]
    .flatMap((group) => group[1]!.match(/<path[^>]*>/g) ?? [])
    .filter((path) => !/\sopacity="0"/.test(path)).length
