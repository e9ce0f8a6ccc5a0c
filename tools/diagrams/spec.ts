/** The Vega-Lite spec that draws a diagram's rows: layered rect, rule, point (arrow head) and text marks. */
import type { Diagram } from './layout.ts'

const fixed = (type: 'nominal' | 'quantitative', field: string) => ({ field, type, scale: null })

/** A position in the diagram's own pixels: no axis, no nice domain; y grows downwards. */
const position = (field: string, domain: number, reverse: boolean) => ({
  field,
  type: 'quantitative',
  axis: null,
  scale: { domain: [0, domain], nice: false, zero: false, ...(reverse ? { reverse: true } : {}) },
})

/** A diagram's spec: its size and description, its data file, and one layer per kind of row it has. */
export function diagramSpec(d: Diagram) {
  const x = position('x', d.W, false)
  const y = position('y', d.H, true)
  const x2 = { field: 'x2' }
  const y2 = { field: 'y2' }
  const layers: unknown[] = [
    {
      transform: [{ filter: "datum.kind === 'box'" }],
      mark: { type: 'rect', cornerRadius: 6, strokeWidth: 1.2 },
      encoding: {
        x,
        x2,
        y,
        y2,
        fill: fixed('nominal', 'fill'),
        stroke: fixed('nominal', 'stroke'),
        strokeOpacity: { condition: { test: 'datum.dashed', value: 0 }, value: 1 },
      },
    },
    ...(d.rows.some((r) => r.dashed)
      ? [
          {
            transform: [{ filter: "datum.kind === 'box' && datum.dashed" }],
            mark: { type: 'rect', cornerRadius: 6, strokeWidth: 1.2, strokeDash: [4, 3], fillOpacity: 0 },
            encoding: { x, x2, y, y2, stroke: fixed('nominal', 'stroke') },
          },
        ]
      : []),
    {
      transform: [{ filter: "datum.kind === 'rule'" }],
      mark: { type: 'rule' },
      encoding: {
        x,
        x2,
        y,
        y2,
        color: fixed('nominal', 'stroke'),
        strokeDash: fixed('nominal', 'dash'),
        strokeWidth: fixed('quantitative', 'strokeWidth'),
      },
    },
    {
      transform: [{ filter: "datum.kind === 'head'" }],
      mark: { type: 'point', shape: 'triangle-up', filled: true, size: 60, opacity: 1 },
      encoding: { x, y, angle: fixed('quantitative', 'angle'), color: fixed('nominal', 'fill') },
    },
  ]
  for (const weight of ['normal', 'bold']) {
    for (const align of ['center', 'left', 'right']) {
      if (d.rows.some((r) => r.kind === 'text' && r.weight === weight && r.align === align))
        layers.push(textLayer(d, weight, align))
    }
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: d.description,
    width: d.W,
    height: d.H,
    padding: 2,
    autosize: { type: 'none' },
    background: 'transparent',
    data: { url: `data/${d.name}.json` },
    layer: layers,
    config: { view: { stroke: null } },
  }
}

/** Text of one weight and alignment (a mark's `align` and `fontWeight` cannot come from the data). */
function textLayer(d: Diagram, weight: string, align: string) {
  return {
    transform: [{ filter: `datum.kind === 'text' && datum.weight === '${weight}' && datum.align === '${align}'` }],
    mark: { type: 'text', baseline: 'middle', align, fontWeight: weight },
    encoding: {
      x: position('x', d.W, false),
      y: position('y', d.H, true),
      text: { field: 'text' },
      size: fixed('quantitative', 'size'),
      color: fixed('nominal', 'color'),
    },
  }
}
