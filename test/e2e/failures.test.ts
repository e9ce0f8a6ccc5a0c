/**
 * Issue #8: bad input gets a clear, positioned message and a non-zero exit,
 * and loses nothing: the last good dist/ survives failed and interrupted builds.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { BuildError, formatDiagnostic } from '../build/diagnostics.ts'
import { findBrowser, INSTALL_HINT } from '../build/browser.ts'
import { build, buildErrors, copyBook } from './helpers/book.ts'
import { CASES, replace } from './bad-input/cases.ts'
import { SHARED_CACHE, STACK_LINE, alive, commandLine, descendants, hashTree, runCli, waitFor } from './bad-input/support.ts'

const failing = CASES.filter((c) => c.expected)
const warning = CASES.filter((c) => c.warnings)

/** A copy of the mini book whose .cache already holds the figures and font subsets, so it reaches the pdf stage fast. */
async function warmBook(edit?: (root: string) => Promise<void>): Promise<string> {
  const root = await copyBook(undefined, edit)
  await fs.cp(SHARED_CACHE, path.join(root, '.cache'), { recursive: true, filter: (src) => !/staging-/.test(src) })
  return root
}

const CH2 = 'chapters/02-second.md'

describe('bad-input corpus', () => {
  it('has at least 25 cases, each with its exact messages', () => {
    expect(failing.length).toBeGreaterThanOrEqual(25)
    for (const c of failing) expect(c.expected!.length, c.name).toBeGreaterThan(0)
  })

  it.each(failing)('$name', async ({ edit, expected }) => {
    const root = await copyBook(undefined, edit)
    expect(await buildErrors(root, { pdf: false, cacheDir: SHARED_CACHE })).toEqual(expected)
    // Nothing was written, and no staging folder is left behind.
    await expect(fs.access(path.join(root, 'dist'))).rejects.toThrow()
    expect((await fs.readdir(SHARED_CACHE).catch(() => [])).filter((name) => name.startsWith('staging-'))).toEqual([])
  })

  it.each(warning)('$name (warns, still builds)', async ({ edit, warnings }) => {
    const root = await copyBook(undefined, edit)
    const summary = await build(root, { pdf: false, cacheDir: SHARED_CACHE })
    expect(summary.warnings.map(formatDiagnostic)).toEqual(warnings)
    await fs.access(path.join(root, 'dist/site/index.html'))
  })
})

describe('the command line', () => {
  const unknownReference = CASES.find((c) => c.name === 'unknown reference with a suggestion')!

  it('exits 1 with the positioned message and no stack trace', async () => {
    const root = await copyBook(undefined, unknownReference.edit)
    const run = await runCli(['build', '--root', root, '--no-pdf'])
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(`\n${unknownReference.expected![0]}\n✖ build failed with 1 error; dist/ was left as it was\n`)
    expect(run.stderr).not.toMatch(STACK_LINE)
    await expect(fs.access(path.join(root, 'dist'))).rejects.toThrow()
  })

  it('adds the stack trace with --debug', async () => {
    const root = await copyBook(undefined, unknownReference.edit)
    const run = await runCli(['build', '--root', root, '--no-pdf', '--debug'])
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(unknownReference.expected![0])
    expect(run.stderr).toMatch(STACK_LINE)
  })

  it('reports a book config problem with its YAML line and column', async () => {
    const c = CASES.find((c) => c.name === 'config: unknown key')!
    const root = await copyBook(undefined, c.edit)
    const run = await runCli(['build', '--root', root, '--no-pdf'])
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(`\n${c.expected!.join('\n')}\n✖ build failed with 1 error; dist/ was left as it was\n`)
    expect(run.stderr).not.toMatch(STACK_LINE)
  })
})

describe('environment', () => {
  it('names the install hint when no browser is found', () => {
    const error = (() => {
      try {
        findBrowser({}, [])
      } catch (error) {
        return error
      }
    })()
    expect(error).toBeInstanceOf(BuildError)
    expect((error as BuildError).diagnostics.map(formatDiagnostic)).toEqual([`chromium error ${INSTALL_HINT} browser:not-found`])
    expect(INSTALL_HINT).toContain('apt-get install -y chromium')
  })

  it('says so when PUPPETEER_EXECUTABLE_PATH points nowhere (through the CLI)', async () => {
    const root = await warmBook()
    const run = await runCli(['build', '--root', root], { env: { PUPPETEER_EXECUTABLE_PATH: '/nonexistent/chromium' } })
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(
      `\nPUPPETEER_EXECUTABLE_PATH error PUPPETEER_EXECUTABLE_PATH is set to /nonexistent/chromium, but no executable is there. ${INSTALL_HINT} browser:not-found\n`,
    )
    expect(run.stderr).not.toMatch(STACK_LINE)
    await expect(fs.access(path.join(root, 'dist'))).rejects.toThrow()
  })

  it('reports a browser that exits at once', async () => {
    const root = await warmBook()
    const fake = path.join(root, 'fake-chromium.sh')
    await fs.writeFile(fake, '#!/bin/sh\necho "fake chromium: out of memory" >&2\nexit 3\n', { mode: 0o755 })
    const messages = await buildErrors(root, { env: { PUPPETEER_EXECUTABLE_PATH: fake } })
    // The parenthesis holds puppeteer's own words, which depend on how the browser died.
    expect(messages).toHaveLength(1)
    const [before, after] = messages[0]!.replaceAll(root, '<root>').split(/ \(.+\)\. /)
    expect(before).toBe('<root>/fake-chromium.sh error Chromium failed to start')
    expect(after).toMatch(/^(It printed: .+\. )?If this is not a working Chromium or Chrome, install one: on Debian or Ubuntu run `sudo apt-get install -y chromium`, then set PUPPETEER_EXECUTABLE_PATH to its path if it is not at \/usr\/bin\/chromium\. browser:launch$/)
  })

  it('times out a print that hangs, retries once, then fails clearly', async () => {
    const root = await warmBook()
    const started = Date.now()
    const messages = await buildErrors(root, { env: { WHITEPAPER_PRINT_TIMEOUT: '1' } })
    expect(messages).toEqual([
      'whitepaper.html error Chromium failed to print, twice (Navigation timeout of 1 ms exceeded; then Navigation timeout of 1 ms exceeded). Check that the machine has memory free, then build again; if printing is only slow, raise WHITEPAPER_PRINT_TIMEOUT (now 1 ms). print:chromium',
    ])
    expect(Date.now() - started).toBeLessThan(60_000)
    expect((await fs.readdir(path.join(root, '.cache'))).filter((name) => name.startsWith('staging-'))).toEqual([])
  })

  it('reports an output folder whose parent is a file', async () => {
    const root = await warmBook()
    await fs.writeFile(path.join(root, 'blocker'), 'not a folder')
    const messages = await buildErrors(root, { pdf: false, outDir: path.join(root, 'blocker/dist') })
    expect(messages.map((m) => m.replaceAll(root, '<root>'))).toEqual([
      'blocker/dist error Cannot write the output folder: blocker is a file, not a folder. Move it away, or choose another output folder with --out write:dist',
    ])
    expect(await fs.readFile(path.join(root, 'blocker'), 'utf8')).toBe('not a folder')
  })

  it('refuses to replace a file that stands where dist/ should be', async () => {
    const root = await warmBook()
    await fs.writeFile(path.join(root, 'dist'), 'precious notes')
    expect(await buildErrors(root, { pdf: false })).toEqual([
      'dist error Cannot write the output folder: dist exists and is not a folder. Move that file away, or choose another output folder with --out write:dist',
    ])
    expect(await fs.readFile(path.join(root, 'dist'), 'utf8')).toBe('precious notes')
    expect((await fs.readdir(root)).filter((name) => name.startsWith('.dist-'))).toEqual([])
  })
})

describe('nothing is lost', () => {
  let root: string
  let before: Record<string, string>

  beforeAll(async () => {
    root = await warmBook()
    await build(root)
    before = await hashTree(path.join(root, 'dist'))
    expect(Object.keys(before)).toEqual(expect.arrayContaining(['whitepaper.pdf', 'whitepaper.html', 'site/index.html', 'site/part-1.html']))
  })

  const staging = async () => (await fs.readdir(path.join(root, '.cache'))).filter((name) => name.startsWith('staging-'))

  it('a build that fails early leaves dist/ byte-identical', async () => {
    await replace(CH2, '回看 @fig-sales 的', '回看 @fig-sale 的')(root)
    expect(await buildErrors(root)).toEqual(CASES.find((c) => c.name === 'unknown reference with a suggestion')!.expected)
    expect(await hashTree(path.join(root, 'dist'))).toEqual(before)
    await replace(CH2, '回看 @fig-sale 的', '回看 @fig-sales 的')(root)
  })

  it('a build that fails while printing leaves dist/ byte-identical', async () => {
    await replace(CH2, '的数据。', '的数据，再次确认。')(root)
    const messages = await buildErrors(root, { env: { WHITEPAPER_PRINT_TIMEOUT: '1' } })
    expect(messages[0]).toMatch(/print:chromium$/)
    expect(await hashTree(path.join(root, 'dist'))).toEqual(before)
    expect(await staging()).toEqual([])
  })

  it('an interrupted build (SIGINT while printing) leaves dist/ byte-identical and no Chromium or staging folder behind', async () => {
    // The text changed above, so the PDF cannot come from the cache: Chromium must print.
    const browsers = new Set<number>()
    let interrupted = false
    const run = await runCli(['build', '--root', root], {
      onStderr: (text, pid) => {
        if (interrupted || !text.includes('▸ pdf…')) return
        interrupted = true
        void waitFor(
          async () => {
            for (const child of await descendants(pid)) if (/--user-data-dir=\S*whitepaper-chromium-/.test(await commandLine(child))) browsers.add(child)
            return browsers.size > 0 || undefined
          },
          30_000,
          'Chromium to start',
        ).then(async () => {
          await new Promise((resolve) => setTimeout(resolve, 500))
          // Signal the node process that runs cli.ts. (A terminal's Ctrl-C reaches the whole group, and tsx's
          // parent then SIGKILLs its child if the child is slow to acknowledge, which on a loaded machine it can be.)
          let cli: number | undefined
          for (const child of await descendants(pid)) if (/preflight\.cjs.*build\/cli\.ts/.test(await commandLine(child))) cli = child
          process.kill(cli!, 'SIGINT')
        })
      },
    })
    expect(interrupted).toBe(true)
    expect(browsers.size).toBeGreaterThan(0)
    expect(run.code).toBe(130)
    expect(run.stderr).toContain('Interrupted: stopping; dist/ is left as it was.')
    expect(run.stderr).not.toMatch(STACK_LINE)
    expect(run.stderr).not.toContain('✔ built')
    const profiles = await Promise.all([...browsers].map(commandLine))
    await waitFor(() => [...browsers].every((pid) => !alive(pid)) || undefined, 10_000, 'Chromium to exit')
    for (const profile of profiles.map((line) => /--user-data-dir=(\S+)/.exec(line)?.[1]).filter(Boolean)) {
      await expect(fs.access(profile!)).rejects.toThrow()
    }
    expect(await hashTree(path.join(root, 'dist'))).toEqual(before)
    expect(await staging()).toEqual([])
    expect((await fs.readdir(root)).filter((name) => name.startsWith('.dist-'))).toEqual([])
  })
})

