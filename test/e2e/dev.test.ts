/** Dev mode: a real server on a free port over a temporary copy of the mini book, edited on disk and read over HTTP. */
import { spawn } from 'node:child_process'
import fs from 'node:fs/promises'
import http from 'node:http'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  startDevServer,
  DevServerError,
  type DevServer,
  type PdfResult,
  type RebuildResult,
} from '../../build/index.ts'
import { build, copyBook, REPO } from '../helpers/book.ts'
import { openSearch } from '../helpers/search.ts'

/** Poll `check` until it returns a value, or fail after `timeout` ms. */
async function until<T>(check: () => Promise<T | undefined | false>, what: string, timeout = 15_000): Promise<T> {
  const deadline = Date.now() + timeout
  for (;;) {
    const value = await check()
    if (value) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

async function get(url: string): Promise<{ status: number; type: string; body: string }> {
  const response = await fetch(url)
  return { status: response.status, type: response.headers.get('content-type') ?? '', body: await response.text() }
}

/** An event of the dev server's stream: `reload` names the changed pages, `errors` carries the diagnostics. */
interface StreamEvent {
  event: string
  data: { changed: string[]; diagnostics: { where: string; severity: string; ruleId: string; message: string }[] }
}

/** Reads the server-sent event stream into a list. `contentType` is the stream's, once it is open. */
function subscribe(url: string) {
  const events: StreamEvent[] = []
  const controller = new AbortController()
  const response = fetch(new URL('/__dev/events', url), { signal: controller.signal })
  const done = (async () => {
    const decoder = new TextDecoder()
    let buffer = ''
    for await (const chunk of (await response).body!) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true })
      let end: number
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end)
        buffer = buffer.slice(end + 2)
        const event = /^event: (.*)$/m.exec(block)?.[1]
        const data = /^data: (.*)$/m.exec(block)?.[1]
        if (event && data) events.push({ event, data: JSON.parse(data) as StreamEvent['data'] })
      }
    }
  })().catch((error: unknown) => {
    // Closing the stream aborts the read; any other failure reaches the test through close().
    if (!controller.signal.aborted) throw error
  })
  const contentType = response.then((r) => r.headers.get('content-type'))
  return { events, contentType, close: () => (controller.abort(), done) }
}

/** A raw request, so that `..` reaches the server unnormalised. */
function rawGet(url: string, pathname: string): Promise<number> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    http
      .get({ hostname, port, path: pathname }, (response) => {
        response.resume()
        resolve(response.statusCode!)
      })
      .on('error', reject)
  })
}

describe('dev server', () => {
  let root: string
  let server: DevServer
  const lines: string[] = []

  beforeAll(async () => {
    root = await copyBook()
    server = await startDevServer({ root, port: 0, log: (line) => lines.push(line) })
    const first = await server.ready
    expect(first.ok).toBe(true)
  })

  afterAll(async () => {
    await server?.close()
  })

  it('serves the built site with content types, index.html for /, a 404 page, and nothing outside dist/site', async () => {
    expect(server.url).toBe(`http://localhost:${server.port}/`)
    expect(lines.some((line) => line.includes(server.url))).toBe(true)
    const index = await get(server.url)
    expect(index.status).toBe(200)
    expect(index.type).toBe('text/html; charset=utf-8')
    expect(index.body).toContain('<html lang="zh-CN">')
    expect((await get(new URL('assets/book.css', server.url).href)).type).toBe('text/css; charset=utf-8')
    expect((await get(new URL('data/sales.csv', server.url).href)).type).toBe('text/csv; charset=utf-8')
    const css = (await get(new URL('assets/book.css', server.url).href)).body
    const font = /url\("\.\.\/(fonts\/[^"]+\.woff2)"\)/.exec(css)![1]!
    expect((await fetch(new URL(font, server.url))).headers.get('content-type')).toBe('font/woff2')
    const missing = await get(new URL('no-such-page.html', server.url).href)
    expect(missing.status).toBe(404)
    expect(missing.body).toContain('404')
    await fs.writeFile(path.join(root, 'dist/secret.txt'), 'outside the site')
    expect(await rawGet(server.url, '/../secret.txt')).toBe(404)
    expect(await rawGet(server.url, '/%2e%2e/secret.txt')).toBe(404)
    expect(await rawGet(server.url, '/..%2fsecret.txt')).toBe(404)
    expect((await fetch(new URL('index.html', server.url), { method: 'POST' })).status).toBe(405)
  })

  it('injects the reload script into served HTML only; the files on disk stay clean', async () => {
    const served = await get(new URL('part-1.html', server.url).href)
    expect(served.body).toContain('/__dev/events')
    expect(served.body).toMatch(/<script data-dev-reload>[\s\S]*<\/script><\/body>/)
    for (const name of ['index.html', 'part-1.html', 'part-2.html', 'intro.html']) {
      expect(await fs.readFile(path.join(root, 'dist/site', name), 'utf8')).not.toContain('__dev')
    }
    // A publishing build of the same book has no trace of dev mode either.
    const other = await copyBook()
    await build(other, { pdf: false })
    for (const name of await fs.readdir(path.join(other, 'dist/site'))) {
      if (name.endsWith('.html'))
        expect(await fs.readFile(path.join(other, 'dist/site', name), 'utf8')).not.toMatch(/__dev|EventSource/)
    }
  })

  it('serves an edited chapter, rewriting only the pages that changed, and streams a reload', async () => {
    const stream = subscribe(server.url)
    const results: RebuildResult[] = []
    const stop = server.onRebuild((result) => results.push(result))
    try {
      expect(await stream.contentType).toMatch(/^text\/event-stream/)
      const file = path.join(root, 'chapters/02-second.md')
      const before = await fs.stat(path.join(root, 'dist/site/part-1.html'))
      await fs.writeFile(file, (await fs.readFile(file, 'utf8')).replace('第二部分回看', '第二部分重新回看'))
      await until(
        async () => (await get(new URL('part-2.html', server.url).href)).body.includes('第二部分重新回看'),
        'the edited text',
      )
      const result = await until(
        async () => results.find((r) => r.ok && r.written.includes('part-2.html')),
        'the rebuild result',
      )
      expect(result.changed).toEqual(['chapters/02-second.md'])
      expect(result.written).not.toContain('part-1.html')
      expect((await fs.stat(path.join(root, 'dist/site/part-1.html'))).mtimeMs).toBe(before.mtimeMs)
      await until(
        async () => stream.events.find((e) => e.event === 'reload' && e.data.changed.includes('part-2.html')),
        'a reload event',
      )
      expect(lines.some((line) => /chapters\/02-second\.md changed → rebuilt 1 page in \d+ ms/.test(line))).toBe(true)
    } finally {
      stop()
      await stream.close()
    }
  })

  it('updates the search index after an edit, once the edited page is served', async () => {
    const bundle = path.join(root, 'dist/site/pagefind')
    await server.searchWritten()
    expect(await (await openSearch(bundle))('蜂鸟')).toEqual([])
    const results: RebuildResult[] = []
    const stop = server.onRebuild((result) => results.push(result))
    try {
      const file = path.join(root, 'chapters/02-second.md')
      await fs.writeFile(file, `${(await fs.readFile(file, 'utf8')).trimEnd()}\n\n蜂鸟在花间。\n`)
      await until(async () => (await get(new URL('part-2.html', server.url).href)).body.includes('蜂鸟'), 'the page')
      await until(async () => results.find((r) => r.ok && r.written.includes('part-2.html')), 'the rebuild result')
      // The rebuild leaves pagefind/ alone: the index is written after it.
      expect(results.flatMap((r) => r.written).filter((name) => name.startsWith('pagefind/'))).toEqual([])
      await server.searchWritten()
      const hits = await (await openSearch(bundle))('蜂鸟')
      expect(hits.map((hit) => hit.url)).toContainEqual(expect.stringMatching(/^part-2\.html/))
    } finally {
      stop()
    }
  })

  it('re-renders a figure when its data changes', async () => {
    const file = path.join(root, 'figures/data/sales.csv')
    expect((await get(new URL('part-1.html', server.url).href)).body).not.toContain('>17</text>')
    await fs.writeFile(file, (await fs.readFile(file, 'utf8')).replace('2019,12', '2019,17'))
    const page = await until(async () => {
      const body = (await get(new URL('part-1.html', server.url).href)).body
      return body.includes('>17</text>') && body
    }, 'the new value in the SVG')
    expect(page).not.toContain('>12</text>')
    expect((await get(new URL('data/sales.csv', server.url).href)).body).toContain('2019,17')
  })

  it('reports a bad edit in the terminal, the API and the event stream, keeps serving the last good page, and clears when fixed', async () => {
    const stream = subscribe(server.url)
    const file = path.join(root, 'chapters/02-second.md')
    const good = await fs.readFile(file, 'utf8')
    try {
      const lastGood = (await get(new URL('part-2.html', server.url).href)).body
      await fs.writeFile(file, good.replace('@fig-sales', '@fig-nope'))
      await until(async () => server.errors.length > 0, 'the error')
      expect(server.errors.map((d) => `${d.file}:${d.place?.line} ${d.ruleId}`)).toEqual([
        'chapters/02-second.md:9 crossref:unknown-id',
      ])
      expect(lines.some((line) => /^chapters\/02-second\.md:9:\d+ error Unknown reference @fig-nope/.test(line))).toBe(
        true,
      )
      const overlay = await until(async () => stream.events.find((e) => e.event === 'errors'), 'an errors event')
      expect(overlay.data.diagnostics[0]).toMatchObject({
        where: expect.stringMatching(/^chapters\/02-second\.md:9:\d+$/),
        severity: 'error',
        ruleId: 'crossref:unknown-id',
      })
      expect(overlay.data.diagnostics[0]!.message).toContain('@fig-nope')
      const served = await get(new URL('part-2.html', server.url).href)
      expect(served.status).toBe(200)
      expect(served.body).toBe(lastGood)

      // A page opened now learns of the error as soon as it connects.
      const late = subscribe(server.url)
      await until(async () => late.events.find((e) => e.event === 'errors'), 'the error on connect')
      await late.close()

      await fs.writeFile(file, good)
      await until(async () => server.errors.length === 0, 'the error to clear')
      await until(async () => stream.events.find((e) => e.event === 'ok'), 'an ok event')
      expect(server.last?.ok).toBe(true)
    } finally {
      await stream.close()
      await fs.writeFile(file, good)
    }
  })

  it('renumbers every page when a figure is added before another', async () => {
    const file = path.join(root, 'chapters/00-intro.md')
    const text = await fs.readFile(file, 'utf8')
    await fs.writeFile(
      file,
      `${text}\n::figure[前言里的新图]{#fig-new spec="sales.vl.json" short="新图" source="测试"}\n`,
    )
    await until(
      async () => (await get(new URL('part-2.html', server.url).href)).body.includes('class="xref">图2</a>'),
      'the renumbered reference',
    )
    expect((await get(new URL('index.html', server.url).href)).body).toContain('新图')
  })

  it('refuses a busy port with a clear error instead of picking another', async () => {
    await expect(startDevServer({ root, port: server.port })).rejects.toThrow(DevServerError)
    await expect(startDevServer({ root, port: server.port })).rejects.toThrow(`Port ${server.port} is already in use`)
  })

  it('the CLI says the port is busy and exits non-zero', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(REPO, 'build/cli.ts'), 'dev', '--root', root, '--port', String(server.port)],
      { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] },
    )
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
    expect(code).toBe(1)
    expect(output).toContain(`Port ${server.port} is already in use`)
    expect(output).toContain('--port')
  })
})

describe('dev server with --pdf', () => {
  it('prints the PDF, reprints it after an edit with the same warm Chromium, and closes Chromium on exit', async () => {
    const root = await copyBook()
    const pdfs: PdfResult[] = []
    const lines: string[] = []
    const server = await startDevServer({
      root,
      port: 0,
      pdf: true,
      pdfDebounceMs: 50,
      log: (line) => lines.push(line),
    })
    server.onPdf((result) => pdfs.push(result))
    let pid: number | undefined
    try {
      await server.ready
      await until(async () => pdfs.length >= 1, 'the first PDF', 120_000)
      expect(pdfs[0]).toMatchObject({ ok: true, file: path.join(root, 'dist/whitepaper.pdf') })
      pid = server.browserPid
      expect(pid).toBeGreaterThan(0)
      const first = await fs.readFile(path.join(root, 'dist/whitepaper.pdf'))
      expect((await fetch(new URL('whitepaper.pdf', server.url))).headers.get('content-type')).toBe('application/pdf')

      const file = path.join(root, 'chapters/02-second.md')
      await fs.writeFile(file, (await fs.readFile(file, 'utf8')).replace('第二部分回看', '第二部分在此回看'))
      await until(async () => pdfs.length >= 2, 'the second PDF', 120_000)
      expect(pdfs[1]!.ok).toBe(true)
      expect(server.browserPid).toBe(pid)
      expect((await fs.readFile(path.join(root, 'dist/whitepaper.pdf'))).equals(first)).toBe(false)
      expect(lines.some((line) => line.startsWith('✔ PDF ready: dist/whitepaper.pdf'))).toBe(true)
    } finally {
      await server.close()
    }
    expect(() => process.kill(pid!, 0)).toThrow()
  })
})
