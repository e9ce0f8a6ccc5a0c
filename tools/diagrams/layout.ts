/**
 * Diagram layout: boxes, labels wrapped to the book font's real widths,
 * rules, arrows and chips, collected as rows of a data file that a layered
 * Vega-Lite spec (spec.ts) draws.
 */
import fs from 'node:fs'
import path from 'node:path'
import { BuildError, Diagnostics, createTextMeasurer, loadConfig, resolveFonts } from '../../build/index.ts'
import { diagramSpec } from './spec.ts'

export type Row = Record<string, unknown>
export interface Box {
  x: number
  y: number
  w: number
  h: number
}
type Measure = (text: string, size: number, bold?: boolean) => number

export interface TextOptions {
  size?: number
  bold?: boolean
  color?: string
  align?: 'center' | 'left' | 'right'
}

/** What every diagram of a book shares. */
export interface DiagramSettings {
  /** The book root: specs go to `figures/`, data to `figures/data/`. */
  root: string
  /** Text width in pixels, from the book font. */
  measure: Measure
  /** Default text colour. */
  ink: string
  /** Default colour of rules and arrows. */
  line: string
}

/** To one decimal: the data files stay short and stable. */
const r1 = (n: number) => Math.round(n * 10) / 10

/** One diagram: its rows, its size and its description (the SVG's accessible description). */
export class Diagram {
  rows: Row[] = []
  constructor(
    private readonly settings: DiagramSettings,
    public name: string,
    public W: number,
    public H: number,
    public description: string,
  ) {}

  box(x: number, y: number, w: number, h: number, fill: string, stroke = 'none', dash: number[] = [1, 0]): Box {
    const dashed = dash[0] !== 1 ? { dashed: true } : {}
    this.rows.push({ kind: 'box', x: r1(x), y: r1(y), x2: r1(x + w), y2: r1(y + h), fill, stroke, ...dashed })
    return { x, y, w, h }
  }

  text(x: number, y: number, text: string, o: TextOptions = {}): void {
    const weight = o.bold ? 'bold' : 'normal'
    const color = o.color ?? this.settings.ink
    this.rows.push({
      kind: 'text',
      x: r1(x),
      y: r1(y),
      text,
      size: o.size ?? 12,
      weight,
      align: o.align ?? 'center',
      color,
    })
  }

  /** Text centred in a box, wrapped to fit with padding. Returns line count. */
  label(b: Box, text: string, o: Omit<TextOptions, 'align'> & { dy?: number } = {}): number {
    const size = o.size ?? 12
    const lines = wrap(this.settings.measure, text, b.w - 16, size, o.bold)
    const lh = size * 1.35
    const top = b.y + b.h / 2 - ((lines.length - 1) * lh) / 2 + (o.dy ?? 0)
    lines.forEach((line, i) => this.text(b.x + b.w / 2, top + i * lh, line, { ...o, size }))
    return lines.length
  }

  rule(
    x: number,
    y: number,
    x2: number,
    y2: number,
    color = this.settings.line,
    dash: number[] = [1, 0],
    strokeWidth = 1.5,
  ): void {
    this.rows.push({ kind: 'rule', x: r1(x), y: r1(y), x2: r1(x2), y2: r1(y2), stroke: color, dash, strokeWidth })
  }

  /** Arrow from (x,y) to (x2,y2) with a head at the end. */
  arrow(x: number, y: number, x2: number, y2: number, color = this.settings.line): void {
    const angle = (Math.atan2(y2 - y, x2 - x) * 180) / Math.PI + 90
    const back = 5
    const len = Math.hypot(x2 - x, y2 - y)
    this.rule(x, y, x2 - ((x2 - x) / len) * back, y2 - ((y2 - y) / len) * back, color)
    const head = { x: r1(x2 - ((x2 - x) / len) * 4), y: r1(y2 - ((y2 - y) / len) * 4) }
    this.rows.push({ kind: 'head', ...head, angle: r1(angle), fill: color })
  }

  /** Equal chips in a row. */
  chips(
    x: number,
    y: number,
    w: number,
    h: number,
    labels: string[],
    fill: string,
    color: string,
    o: { gap?: number; size?: number; bold?: boolean; stroke?: string } = {},
  ): Box[] {
    const gap = o.gap ?? 8
    const cw = (w - gap * (labels.length - 1)) / labels.length
    return labels.map((l, i) => {
      const b = this.box(x + i * (cw + gap), y, cw, h, fill, o.stroke ?? 'none')
      this.label(b, l, { size: o.size ?? 12.5, bold: o.bold, color })
      return b
    })
  }

  /** Chips sized to their text, flowing left to right. Returns the right edge. */
  flow(
    x: number,
    y: number,
    h: number,
    labels: string[],
    fill: string,
    color: string,
    o: { gap?: number; size?: number; pad?: number; stroke?: string } = {},
  ): number {
    const size = o.size ?? 12.5
    let cx = x
    for (const l of labels) {
      const w = this.settings.measure(l, size) + 2 * (o.pad ?? 12)
      const b = this.box(cx, y, w, h, fill, o.stroke ?? 'none')
      this.label(b, l, { size, color })
      cx += w + (o.gap ?? 8)
    }
    return cx - (o.gap ?? 8)
  }

  /** Write `figures/data/<name>.json` (one row a line) and `figures/<name>.vl.json`. */
  write(): void {
    const { root } = this.settings
    const rows = '[\n' + this.rows.map((r) => '  ' + JSON.stringify(r)).join(',\n') + '\n]\n'
    fs.writeFileSync(path.join(root, 'figures/data', `${this.name}.json`), rows)
    fs.writeFileSync(
      path.join(root, 'figures', `${this.name}.vl.json`),
      JSON.stringify(diagramSpec(this), null, 2) + '\n',
    )
  }
}

/**
 * Break after punctuation or between CJK characters, keeping ASCII words
 * together; no line starts with closing punctuation.
 */
function wrap(measure: Measure, text: string, max: number, size: number, bold?: boolean): string[] {
  const out: string[] = []
  for (const para of text.split('\n')) {
    let line = ''
    const tokens = para.match(/[A-Za-z0-9+.%]+|./gu) ?? []
    for (const t of tokens) {
      if (line && measure(line + t, size, bold) > max && !/^[，、。；：）”]$/.test(t)) {
        out.push(line)
        line = t
      } else line += t
    }
    out.push(line)
  }
  return out
}

/** A text measurer for the book at `root`, from the fonts its config names. */
export async function bookMeasure(root: string): Promise<Measure> {
  const diagnostics = new Diagnostics(root)
  const loaded = await loadConfig(root, diagnostics)
  const fonts = loaded && resolveFonts(loaded.config, root, diagnostics, loaded.file)
  if (!fonts) throw new BuildError(diagnostics.list)
  const measure = createTextMeasurer({ regular: fonts.regular, bold: fonts.bold })
  return (text, size, bold = false) => measure({ fontSize: size, fontWeight: bold ? 'bold' : 'normal' }, text)
}
