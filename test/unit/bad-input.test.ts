/**
 * Issue #8: bad input gets a clear, positioned message, and nothing is written.
 * Every case here fails (or warns) before printing, so no browser is needed.
 */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatDiagnostic } from '../../build/index.ts'
import { build, buildErrors, copyBook, loadValidator } from '../helpers/book.ts'
import { CASES } from '../bad-input/cases.ts'

const failing = CASES.filter((c) => c.expected)
const warning = CASES.filter((c) => c.warnings)

/**
 * One cache for this file's builds, so that figures and font subsets are made once. A case that runs
 * first (or alone, with `-t`) fills it itself: no case depends on another having run.
 */
let cacheDir: string
beforeAll(async () => {
  loadValidator()
  cacheDir = await fs.mkdtemp(path.join(os.tmpdir(), 'bad-input-cache-'))
})
afterAll(async () => {
  await fs.rm(cacheDir, { recursive: true, force: true })
})

describe('bad-input corpus', () => {
  it('has at least 25 cases, each with its exact messages', () => {
    expect(failing.length).toBeGreaterThanOrEqual(25)
    for (const c of failing) expect(c.expected!.length, c.name).toBeGreaterThan(0)
  })

  it.each(failing)('$name', async ({ edit, expected }) => {
    const root = await copyBook(undefined, edit)
    expect(await buildErrors(root, { pdf: false, cacheDir })).toEqual(expected)
    // Nothing was written, and no staging folder is left behind.
    await expect(fs.access(path.join(root, 'dist'))).rejects.toThrow()
    expect((await fs.readdir(cacheDir)).filter((name) => name.startsWith('staging-'))).toEqual([])
  })

  it.each(warning)('$name (warns, still builds)', async ({ edit, warnings }) => {
    const root = await copyBook(undefined, edit)
    // Whole font files (as in dev mode) here and below: subsetting costs seconds and is not what these test.
    const summary = await build(root, { pdf: false, cacheDir, wholeFonts: true, searchIndex: false })
    expect(summary.warnings.map(formatDiagnostic)).toEqual(warnings)
    await fs.access(path.join(root, 'dist/site/index.html'))
  })
})

describe('environment', () => {
  it('reports an output folder whose parent is a file', async () => {
    const root = await copyBook()
    await fs.writeFile(path.join(root, 'blocker'), 'not a folder')
    const messages = await buildErrors(root, {
      pdf: false,
      cacheDir,
      wholeFonts: true,
      outDir: path.join(root, 'blocker/dist'),
    })
    expect(messages.map((m) => m.replaceAll(root, '<root>'))).toEqual([
      'blocker/dist error Cannot write the output folder: blocker is a file, not a folder. Move it away, or choose another output folder with --out write:dist',
    ])
    expect(await fs.readFile(path.join(root, 'blocker'), 'utf8')).toBe('not a folder')
  })

  it('refuses to replace a file that stands where dist/ should be', async () => {
    const root = await copyBook()
    await fs.writeFile(path.join(root, 'dist'), 'precious notes')
    expect(await buildErrors(root, { pdf: false, cacheDir, wholeFonts: true })).toEqual([
      'dist error Cannot write the output folder: dist exists and is not a folder. Move that file away, or choose another output folder with --out write:dist',
    ])
    expect(await fs.readFile(path.join(root, 'dist'), 'utf8')).toBe('precious notes')
    expect((await fs.readdir(root)).filter((name) => name.startsWith('.dist-'))).toEqual([])
  })
})
