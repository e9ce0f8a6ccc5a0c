/** The live-reload stream: server-sent events to every open page, with a heartbeat. */
import type http from 'node:http'
import { formatDiagnostic, type Diagnostic } from '../index.ts'

/** What a page is told when it connects: the current build, and the errors to show, if any. */
export interface LiveState {
  build: string
  errors?: ErrorPayload
}

/** The overlay's content. */
export interface ErrorPayload {
  title: string
  diagnostics: ReturnType<typeof overlayEntry>[]
}

/** A diagnostic as the overlay shows it. */
function overlayEntry(d: Diagnostic) {
  const where = d.place ? `${d.file}:${d.place.line}:${d.place.column}` : d.file
  return { where, severity: d.severity, message: d.message, ruleId: d.ruleId, text: formatDiagnostic(d) }
}

/** The `errors` event for `diagnostics` (warnings are left out). */
export function errorPayload(title: string, diagnostics: Diagnostic[]): ErrorPayload {
  return { title, diagnostics: diagnostics.filter((d) => d.severity === 'error').map(overlayEntry) }
}

/** Open event streams; `broadcast` reaches all of them. */
export class LiveReload {
  private readonly clients = new Set<http.ServerResponse>()
  private readonly heartbeat: NodeJS.Timeout

  /** @param state what a newly connected page is told first */
  constructor(private readonly state: () => LiveState) {
    // Proxies and browsers drop a silent stream after a while.
    this.heartbeat = setInterval(() => {
      for (const client of this.clients) client.write(': ping\n\n')
    }, 15_000)
    this.heartbeat.unref()
  }

  /** Turn `response` into an event stream, and tell it the current state. */
  attach(request: http.IncomingMessage, response: http.ServerResponse): void {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    })
    response.write('retry: 500\n\n')
    this.clients.add(response)
    request.on('close', () => this.clients.delete(response))
    const { build, errors } = this.state()
    send(response, 'hello', { build })
    if (errors) send(response, 'errors', errors)
  }

  /** Send one event to every open page. */
  broadcast(event: string, data: unknown): void {
    for (const client of this.clients) send(client, event, data)
  }

  /** End every stream and the heartbeat. */
  close(): void {
    clearInterval(this.heartbeat)
    for (const client of this.clients) client.end()
    this.clients.clear()
  }
}

function send(client: http.ServerResponse, event: string, data: unknown): void {
  client.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)
}
