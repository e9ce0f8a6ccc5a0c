/**
 * The cases as a user types them: `npm run build` in a fresh folder (the
 * project's tracked files and its node_modules, nothing built: the engine
 * compiles, the pinned browser unpacks, every cache is empty), then
 * `npm run build` again with nothing changed. Each is a process of its own,
 * timed from the outside, npm included.
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { copyBook } from '../book.ts'
import { schedule, type BenchContext } from './cases.ts'
import type { CaseResult, Run } from './results.ts'

const execFileAsync = promisify(execFile)

/** The first and the no-change end-to-end cases, and the size of the PDF the first build printed. */
export interface EndToEnd {
  first: CaseResult
  noChange: CaseResult
  pdfBytes: number
}

/** The project that holds this bench: the folder with `tools/engine.mjs`, in the sources or above `.cache/tools`. */
function projectRoot(): string {
  for (let dir = import.meta.dirname; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'tools', 'engine.mjs')) && existsSync(path.join(dir, 'package.json'))) return dir
    if (path.dirname(dir) === dir) throw new Error(`No project with tools/engine.mjs above ${import.meta.dirname}`)
  }
}

/** The files git tracks in `root`, or, outside a git checkout, everything but built and installed folders. */
async function trackedFiles(root: string): Promise<string[] | undefined> {
  try {
    const { stdout } = await execFileAsync('git', ['ls-files', '-z'], { cwd: root, maxBuffer: 64 * 1024 * 1024 })
    return stdout.split('\0').filter(Boolean)
  } catch {
    return undefined
  }
}

/**
 * A fresh copy of the project: its tracked files, and node_modules hard-linked
 * (as fast as a symlink, but the copy's packages resolve inside the copy, so
 * the pinned browser unpacks into the copy's `.cache/browser` as after `npm ci`).
 */
async function freshProject(source: string, dest: string): Promise<void> {
  const files = await trackedFiles(source)
  if (files) {
    for (const file of files) {
      await fs.mkdir(path.dirname(path.join(dest, file)), { recursive: true })
      await fs.copyFile(path.join(source, file), path.join(dest, file)).catch(() => undefined)
    }
  } else {
    const skip = /[\\/](dist|\.cache|node_modules|\.git)$/
    await fs.cp(source, dest, { recursive: true, filter: (src) => !skip.test(src.slice(source.length)) })
  }
  try {
    await execFileAsync('cp', ['-al', path.join(source, 'node_modules'), path.join(dest, 'node_modules')])
  } catch {
    await fs.cp(path.join(source, 'node_modules'), path.join(dest, 'node_modules'), { recursive: true })
  }
}

/** `npm run build` in `project` for the book at `book`, timed; the Chromium the sampler sees is its own. */
async function npmBuild(context: BenchContext, project: string, book: string): Promise<Run> {
  await context.sampler.start()
  const t0 = performance.now()
  try {
    await execFileAsync('npm', ['run', '-s', 'build', '--', '--root', book], {
      cwd: project,
      maxBuffer: 16 * 1024 * 1024,
    })
  } catch (error) {
    await context.sampler.stop()
    const { stderr, stdout } = error as { stderr?: string; stdout?: string }
    throw new Error(`npm run build failed in ${project}:\n${stderr ?? ''}${stdout ?? ''}`, { cause: error })
  }
  const ms = performance.now() - t0
  return { ms, ...(await context.sampler.stop()) }
}

/**
 * Measure the end-to-end cases on the book at `bookRoot`: the project's own
 * book when it is the project, or else a fresh copy of the book per run,
 * built with the fresh project's engine.
 */
export async function runEndToEnd(context: BenchContext, bookRoot: string): Promise<EndToEnd> {
  const source = projectRoot()
  const ownBook = path.resolve(bookRoot) === source
  let last: { project: string; book: string } | undefined
  const prepare = async () => {
    const project = await context.temp('project')
    await freshProject(source, project)
    const book = ownBook ? project : await copyBook(bookRoot, { dest: await context.temp('project-book') })
    // A build stamps its inputs only when none changed within a second of its start (tools/build-stamp.mjs): a user
    // does not type the command in the same second as the checkout. Untimed.
    await new Promise((resolve) => setTimeout(resolve, 1100))
    return { project, book }
  }
  const [first] = await schedule(context, [
    {
      name: 'e2e-first',
      label: 'first `npm run build` in a fresh folder (end to end)',
      pdf: true,
      run: async () => {
        if (last) await fs.rm(last.project, { recursive: true, force: true })
        last = await prepare()
        return npmBuild(context, last.project, last.book)
      },
    },
  ])
  const built = last!
  const pdfBytes = (await fs.stat(path.join(built.book, 'dist', 'whitepaper.pdf'))).size
  const [noChange] = await schedule(context, [
    {
      name: 'e2e-no-change',
      label: 'no-change `npm run build` (end to end)',
      pdf: true,
      run: () => npmBuild(context, built.project, built.book),
    },
  ])
  return { first: first!, noChange: noChange!, pdfBytes }
}
