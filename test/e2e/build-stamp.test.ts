/**
 * The whole-build short cut of `npm run build` (tools/build-stamp.mjs): a build with nothing changed stops at once,
 * and anything a build reads, or anything changed in dist/, makes it build in full. On a copy of the mini book whose
 * templates, styles and static files lie outside its folder, without the PDF (the stamp does not care).
 */
import { execFile } from 'node:child_process'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MINI_BOOK, REPO } from '../helpers/book.ts'

const run = promisify(execFile)
const BUILT = /✔ built in/
const SKIPPED = /✔ nothing changed since the last build/

describe('the whole-build short cut', () => {
  let work: string
  let book: string

  /** `npm run build` on the book, as the engine script runs it; returns what it printed. */
  const build = async (args: string[] = [], env: NodeJS.ProcessEnv = {}) => {
    const { stdout } = await run(
      process.execPath,
      [path.join(REPO, 'tools/engine.mjs'), 'build', '--root', book, '--no-pdf', ...args],
      { env: { ...process.env, ...env } },
    )
    return stdout
  }
  /** An input changed within a second of a build's start leaves no stamp: edits wait that long first. */
  const settle = () => new Promise((resolve) => setTimeout(resolve, 1100))
  const edit = async (file: string, change: (text: string) => string) => {
    await fs.writeFile(file, change(await fs.readFile(file, 'utf8')))
    await settle()
  }

  beforeAll(async () => {
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'build-stamp-'))
    book = path.join(work, 'book')
    await fs.cp(MINI_BOOK, book, { recursive: true, filter: (src) => !/[\\/](dist|\.cache)$/.test(src) })
    const config = path.join(book, 'chapters/book.yaml')
    for (const folder of ['templates', 'styles', 'static'])
      await fs.cp(path.join(REPO, folder), path.join(work, 'theme', folder), { recursive: true })
    await edit(config, (text) => text.replace(/^(templates|styles|static): .*$/gm, `$1: ${work}/theme/$1`))
    expect(await build()).toMatch(BUILT)
  }, 120_000)
  afterAll(() => fs.rm(work, { recursive: true, force: true }))

  it('stops at once when nothing changed, and says what the last build made', async () => {
    const started = performance.now()
    const out = await build()
    expect(out).toMatch(SKIPPED)
    expect(out).toContain('chapters 3 (parts 2, sections 3)')
    expect(performance.now() - started).toBeLessThan(5_000)
  })

  it('builds in full after an edit to a chapter, a data file or a template outside the book, then stops again', async () => {
    const changes: [string, (text: string) => string][] = [
      ['book/chapters/01-first.md', (text) => `${text}\n多一句。\n`],
      ['book/figures/data/' + (await fs.readdir(path.join(book, 'figures/data')))[0], (text) => `${text}\n`],
      ['theme/templates/' + (await fs.readdir(path.join(work, 'theme/templates')))[0], (text) => `${text}\n<!-- -->\n`],
    ]
    for (const [file, change] of changes) {
      await edit(path.join(work, file), change)
      expect(await build(), file).toMatch(BUILT)
      expect(await build(), file).toMatch(SKIPPED)
    }
  }, 120_000)

  it('builds in full when a file of dist/ was removed or changed, and restores it', async () => {
    const index = path.join(book, 'dist/site/index.html')
    await fs.rm(index)
    expect(await build()).toMatch(BUILT)
    const written = await fs.readFile(index, 'utf8')
    // The same size and modification time, other bytes: found by the content hash.
    const { mtime } = await fs.stat(index)
    await fs.writeFile(index, written.replace('<html', '<HTML'))
    await fs.utimes(index, mtime, mtime)
    expect(await build()).toMatch(BUILT)
    expect(await fs.readFile(index, 'utf8')).toBe(written)
    expect(await build()).toMatch(SKIPPED)
  }, 120_000)

  it('builds in full with another option or another SOURCE_DATE_EPOCH', async () => {
    expect(await build(['--strict'])).toMatch(BUILT)
    expect(await build(['--strict'])).toMatch(SKIPPED)
    expect(await build(['--strict'], { SOURCE_DATE_EPOCH: '1600000000' })).toMatch(BUILT)
  }, 120_000)

  it('leaves no stamp when an input changed just before or while the build ran', async () => {
    expect(await build()).toMatch(BUILT)
    await fs.appendFile(path.join(book, 'chapters/02-second.md'), '\n再多一句。\n')
    expect(await build()).toMatch(BUILT)
    await settle()
    expect(await build()).toMatch(BUILT)
    expect(await build()).toMatch(SKIPPED)
  }, 120_000)
})
