/**
 * The edit cases: a chapter edit and a data edit rebuilt without the PDF,
 * then the same edits through the dev server, from saving the file to the
 * served page showing the change. Edits happen in their own copy of the book,
 * so the unchanged book stays unchanged for the build cases.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import { formatDiagnostic, startDevServer, type DevServer } from '../../build/index.ts'
import { copyBook, readBook } from '../book.ts'
import { measureBuild, schedule, type BenchContext } from './cases.ts'
import {
  bumpFirstNumber,
  editableChapter,
  editableData,
  firstNumber,
  type ChapterEdit,
  type DataEdit,
} from './edits.ts'
import { MB, type Run } from './results.ts'

/** The edited book and what is edited in it. */
interface EditSetup {
  root: string
  cacheDir: string
  chapter: ChapterEdit
  chapterText: string
  data: DataEdit
  dataText: string
}

/** Run the site-only edit cases and the dev server cases; the edited files are restored after each. */
export async function runEditCases(context: BenchContext, book: string, warmCache: string): Promise<void> {
  const root = await copyBook(book, { dest: await context.temp('book-edited') })
  const cacheDir = await context.temp('cache-edit')
  await fs.cp(warmCache, cacheDir, { recursive: true })
  const { model } = await readBook(root)
  const chapter = editableChapter(root, model)
  const data = await editableData(root, model)
  const setup: EditSetup = {
    root,
    cacheDir,
    chapter,
    chapterText: await fs.readFile(chapter.file, 'utf8'),
    data,
    dataText: await fs.readFile(data.file, 'utf8'),
  }
  await siteEditCases(context, setup)
  await devCases(context, setup)
}

async function siteEditCases(context: BenchContext, setup: EditSetup): Promise<void> {
  const { root, cacheDir, chapter, chapterText, data, dataText } = setup
  const outDir = await context.temp('out-edit')
  const build = () => measureBuild(context.sampler, root, { outDir, cacheDir, pdf: false })
  await schedule(context, [
    {
      name: 'chapter-edit',
      label: `chapter edit, site only (${path.basename(chapter.file)})`,
      pdf: false,
      warmup: true,
      run: async (index) => {
        await fs.writeFile(chapter.file, `${chapterText.trimEnd()}\n\n${chapter.words}${index + 10}\n`)
        return build()
      },
    },
  ])
  await fs.writeFile(chapter.file, chapterText)
  const [dataEdit] = await schedule(context, [
    {
      name: 'data-edit',
      label: `data edit, site only (${path.relative(root, data.file)})`,
      pdf: false,
      warmup: true,
      run: async (index) => {
        await fs.writeFile(data.file, bumpFirstNumber(dataText, index + 10))
        return build()
      },
    },
  ])
  dataEdit!.note = `figures re-rendered per run: ${dataEdit!.runs.map((r) => r.figuresRendered).join(', ')}`
  await fs.writeFile(data.file, dataText)
}

async function devCases(context: BenchContext, setup: EditSetup): Promise<void> {
  const { root, cacheDir, chapter, chapterText, data, dataText } = setup
  context.log('dev server: edit → served page')
  const dev = await startDevServer({
    root,
    port: 0,
    outDir: await context.temp('out-dev'),
    cacheDir,
    log: () => undefined,
  })
  try {
    const ready = await dev.ready
    if (!ready.ok)
      throw new Error(`The dev server's first build failed:\n${ready.diagnostics.map(formatDiagnostic).join('\n')}`)
    // Let the watcher settle, so that the previous edit's events are not counted in this one.
    const settle = () => new Promise((resolve) => setTimeout(resolve, 300))
    const servedRun = (ms: number): Run => ({
      ms,
      nodePeakMB: Math.round(process.memoryUsage().rss / MB),
      chromiumPeakMB: 0,
      chromiumConcurrentMB: 0,
    })
    await schedule(context, [
      {
        name: 'dev-chapter',
        label: `dev server: chapter edit → page served (${path.basename(chapter.file)})`,
        pdf: false,
        run: async (index) => {
          await settle()
          const token = `${chapter.words}${index + 100}`
          const t0 = performance.now()
          await fs.writeFile(chapter.file, `${chapterText.trimEnd()}\n\n${token}\n`)
          return servedRun(await served(dev, chapter.page, token, t0))
        },
      },
    ])
    await fs.writeFile(chapter.file, chapterText)
    await schedule(context, [
      {
        name: 'dev-data',
        label: `dev server: data edit → figure served (${path.relative(root, data.file)})`,
        pdf: false,
        run: async (index) => {
          await settle()
          const edited = bumpFirstNumber(dataText, index + 100)
          const t0 = performance.now()
          await fs.writeFile(data.file, edited)
          return servedRun(await served(dev, data.pages[0]!, `>${firstNumber(edited)}<`, t0))
        },
      },
    ])
    await fs.writeFile(data.file, dataText)
  } finally {
    await dev.close()
  }
}

/** Poll `page` until it contains `wanted`; the milliseconds since `started`. */
async function served(dev: DevServer, page: string, wanted: string, started: number): Promise<number> {
  for (;;) {
    const html = await (await fetch(new URL(page, dev.url))).text()
    if (html.includes(wanted)) return performance.now() - started
    if (performance.now() - started > 20_000) throw new Error(`The dev server never served “${wanted}” in ${page}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}
