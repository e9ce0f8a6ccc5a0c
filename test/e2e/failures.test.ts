/**
 * Issue #8, through the command line and Chromium: bad input exits non-zero with a positioned message,
 * a broken or hanging browser is reported clearly, and the last good dist/ survives failed and
 * interrupted builds. (The bad-input corpus itself, which fails before printing, is a unit test.)
 */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findBrowser } from '../../build/index.ts'
import { build, buildErrors, copyBook } from '../helpers/book.ts'
import { append, CASES, replace } from '../bad-input/cases.ts'
import { STACK_LINE, alive, commandLine, descendants, hashTree, runCli, waitFor } from '../bad-input/support.ts'

/** This file's warm cache: the figures and font subsets of the mini book, made by a site-only build before any test. */
let warmCache: string
beforeAll(async () => {
  warmCache = await fs.mkdtemp(path.join(os.tmpdir(), 'failures-cache-'))
  await build(await copyBook(), { pdf: false, cacheDir: warmCache })
})
afterAll(async () => {
  await fs.rm(warmCache, { recursive: true, force: true })
})

/** A copy of the mini book whose .cache already holds the figures and font subsets, so it reaches the pdf stage fast. */
async function warmBook(edit?: (root: string) => Promise<void>): Promise<string> {
  const root = await copyBook(undefined, edit)
  await fs.cp(warmCache, path.join(root, '.cache'), { recursive: true })
  return root
}

const CH2 = 'chapters/02-second.md'

describe('the command line', () => {
  const unknownReference = CASES.find((c) => c.name === 'unknown reference with a suggestion')!

  it('exits 1 with the positioned message and no stack trace', async () => {
    const root = await copyBook(undefined, unknownReference.edit)
    const run = await runCli(['build', '--root', root, '--no-pdf'])
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(
      `\n${unknownReference.expected![0]}\n✖ build failed with 1 error; dist/ was left as it was\n`,
    )
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
  it('says so when PUPPETEER_EXECUTABLE_PATH points nowhere (through the CLI)', async () => {
    const root = await warmBook()
    const run = await runCli(['build', '--root', root], { env: { PUPPETEER_EXECUTABLE_PATH: '/nonexistent/chromium' } })
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(
      '\nPUPPETEER_EXECUTABLE_PATH error PUPPETEER_EXECUTABLE_PATH is set to /nonexistent/chromium, but no ' +
        'executable is there. Unset it to use the pinned Chromium, or point it at a browser. browser:not-found\n',
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
    expect(after).toMatch(
      /^(It printed: .+\. )?If this is not a working Chromium or Chrome, install one: on Debian or Ubuntu run `sudo apt-get install -y chromium`, then set PUPPETEER_EXECUTABLE_PATH to its path\. browser:launch$/,
    )
  })

  it('names the shared library a browser cannot start without, and the ways out', async () => {
    const root = await warmBook()
    const fake = path.join(root, 'no-nss-chromium')
    const loader = 'error while loading shared libraries: libnss3.so: cannot open shared object file: No such file'
    await fs.writeFile(fake, `#!/bin/sh\necho "$0: ${loader}" >&2\nexit 127\n`, { mode: 0o755 })
    expect(await buildErrors(root, { env: { PUPPETEER_EXECUTABLE_PATH: fake } })).toEqual([
      `${fake} error The browser at ${fake} cannot start: the shared library libnss3.so is missing. Either install ` +
        'it (on Debian or Ubuntu: `sudo apt-get install -y libnss3`), or set PUPPETEER_EXECUTABLE_PATH to a Chromium ' +
        'or Chrome that runs on this machine. browser:missing-library',
    ])
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
})

describe('nothing is lost', () => {
  let root: string
  let before: Record<string, string>

  beforeAll(async () => {
    root = await warmBook()
    await build(root)
    before = await hashTree(path.join(root, 'dist'))
    expect(Object.keys(before)).toEqual(
      expect.arrayContaining(['whitepaper.pdf', 'whitepaper.html', 'site/index.html', 'site/part-1.html']),
    )
  })

  const staging = async () =>
    (await fs.readdir(path.join(root, '.cache'))).filter((name) => name.startsWith('staging-'))

  it('a build that fails early leaves dist/ byte-identical', async () => {
    await replace(CH2, '回看 @fig-sales 的', '回看 @fig-sale 的')(root)
    expect(await buildErrors(root)).toEqual(
      CASES.find((c) => c.name === 'unknown reference with a suggestion')!.expected,
    )
    expect(await hashTree(path.join(root, 'dist'))).toEqual(before)
    await replace(CH2, '回看 @fig-sale 的', '回看 @fig-sales 的')(root)
  })

  it('a build that fails after launching its browser early closes it, and leaves dist/ byte-identical', async () => {
    // A changed chapter makes the build launch Chromium before the site stage, which then fails on a missing glyph.
    // The browser is the real one behind a wrapper that records its process id (exec keeps it), since the build may
    // fail within a few milliseconds of the launch.
    const real = await findBrowser()
    const pids = path.join(root, '.browser-pids')
    const wrapper = path.join(root, 'recording-chromium.sh')
    const exports = Object.entries(real.env ?? {}).map(([name, value]) => `export ${name}='${value}'\n`)
    await fs.writeFile(
      wrapper,
      `#!/bin/sh\n${exports.join('')}echo $$ >> '${pids}'\nexec '${real.executablePath}' "$@"\n`,
      {
        mode: 0o755,
      },
    )
    await append(CH2, '\n没有字形的字：\u{1F600}。\n')(root)
    try {
      const messages = await buildErrors(root, { env: { PUPPETEER_EXECUTABLE_PATH: wrapper } })
      expect(messages.some((message) => message.endsWith('font:missing-glyph'))).toBe(true)
      const browsers = (await fs.readFile(pids, 'utf8')).trim().split('\n').map(Number)
      expect(browsers.length).toBeGreaterThan(0)
      // Closed, not left to linger: gone within seconds (a killed process can take a moment to be reaped).
      await waitFor(() => browsers.every((pid) => !alive(pid)) || undefined, 10_000, 'Chromium to exit')
      expect(await hashTree(path.join(root, 'dist'))).toEqual(before)
    } finally {
      await replace(CH2, '\n没有字形的字：\u{1F600}。\n', '')(root)
      await fs.rm(wrapper, { force: true })
      await fs.rm(pids, { force: true })
    }
  })

  it('a build that fails while printing leaves dist/ byte-identical', async () => {
    await replace(CH2, '的数据。', '的数据，再次确认。')(root)
    const messages = await buildErrors(root, { env: { WHITEPAPER_PRINT_TIMEOUT: '1' } })
    expect(messages[0]).toMatch(/print:chromium$/)
    expect(await hashTree(path.join(root, 'dist'))).toEqual(before)
    expect(await staging()).toEqual([])
  })

  it('an interrupted build (SIGINT while printing) leaves dist/ byte-identical and no Chromium or staging folder behind', async () => {
    // New text, so that the PDF cannot come from the cache: Chromium must print (whichever test ran before).
    await append(CH2, '\n中断测试新加的一段。\n')(root)
    const browsers = new Set<number>()
    let interrupted = false
    const run = await runCli(['build', '--root', root], {
      onStderr: (text, pid) => {
        if (interrupted || !text.includes('▸ pdf…')) return
        interrupted = true
        void waitFor(
          async () => {
            for (const child of await descendants(pid))
              if (/--user-data-dir=\S*whitepaper-chromium-/.test(await commandLine(child))) browsers.add(child)
            return browsers.size > 0 || undefined
          },
          30_000,
          'Chromium to start',
        ).then(async () => {
          await new Promise((resolve) => setTimeout(resolve, 500))
          // Signal the node process that runs cli.ts. (A terminal's Ctrl-C reaches the whole group, and tsx's
          // parent then SIGKILLs its child if the child is slow to acknowledge, which on a loaded machine it can be.)
          let cli: number | undefined
          for (const child of await descendants(pid))
            if (/preflight\.cjs.*build\/cli\.ts/.test(await commandLine(child))) cli = child
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
