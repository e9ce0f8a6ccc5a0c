// What the book's diagrams share: the palette, and a diagram laid out in the book font.
import { Diagram, bookMeasure } from '../../tools/diagrams/layout.ts'

/** The palette of the book's diagrams. */
export const C = {
  navy: '#1f4e79',
  blue: '#2e75b6',
  sky: '#bdd7ee',
  pale: '#eef4fa',
  paleStroke: '#c6d8ea',
  teal: '#138d90',
  tealPale: '#e0f2f1',
  orange: '#e07b28',
  orangePale: '#fdeee2',
  ink: '#1f2d3d',
  muted: '#5b6b7b',
  white: '#ffffff',
  line: '#8fa9c4',
  missing: '#9aa9b8',
}

// `npm run diagrams` runs in the book's root.
const settings = { root: process.cwd(), measure: await bookMeasure(process.cwd()), ink: C.ink, line: C.line }

/** A diagram of the book: written to `figures/<name>.vl.json` and `figures/data/<name>.json` by its `write()`. */
export const diagram = (name: string, W: number, H: number, description: string) =>
  new Diagram(settings, name, W, H, description)
