/**
 * Post-processing of vega's SVG so that thirteen of them can be inlined into
 * one HTML document: ids are renumbered in document order under a per-figure
 * prefix, the root gets an accessible name, and text uses the book's family.
 */

/** Stands for the figure id in cached SVGs; replaced per request by {@link finalizeSvg}. */
const ID_TOKEN = '__FIGURE_ID__'

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

/**
 * Make vega's SVG independent of render order and of the requesting page:
 * vega numbers clip paths and gradients with process-wide counters, so the
 * same figure gets different ids depending on what rendered before it.
 */
export function normalizeSvg(svg: string, options: { fontFamily: string; description: string }): string {
  const ids = new Map<string, string>()
  for (const match of svg.matchAll(/\sid="([^"]+)"/g)) {
    const id = match[1]!
    if (!ids.has(id)) {
      const kind = id.replace(/[^a-zA-Z]+/g, '').toLowerCase() || 'id'
      ids.set(id, `${ID_TOKEN}-${kind}-${ids.size + 1}`)
    }
  }
  let out = svg
    .replace(/\sid="([^"]+)"/g, (_, id: string) => ` id="${ids.get(id)}"`)
    .replace(/url\(#([^)]+)\)/g, (whole, id: string) => (ids.has(id) ? `url(#${ids.get(id)})` : whole))
    .replace(/(xlink:href|href)="#([^"]+)"/g, (whole, attribute: string, id: string) =>
      ids.has(id) ? `${attribute}="#${ids.get(id)}"` : whole,
    )
    // The root carries the accessible name; the marks inside are presentational.
    .replace(/\s(?:role="graphics-[a-z-]+"|aria-roledescription="[^"]*"|aria-hidden="true"|aria-label="[^"]*")/g, '')
    .replace(/font-family="[^"]*"/g, `font-family="${escapeXml(options.fontFamily)}"`)
    .replace(/\sstroke-dasharray="([^"]*)"/g, (whole, pattern: string) => (isSolidDash(pattern) ? '' : whole))

  out = out.replace(/^<svg\b([^>]*)>/, (_, attributes: string) => {
    const kept = attributes.replace(/\s(?:class|role|aria-labelledby|aria-label)="[^"]*"/g, '')
    return (
      `<svg${kept} role="img" aria-labelledby="${ID_TOKEN}-title ${ID_TOKEN}-desc"><desc ` +
      `id="${ID_TOKEN}-desc">${escapeXml(options.description)}</desc>`
    )
  })
  return out
}

/**
 * Whether a dash pattern has no gaps (vega-lite writes `1,0` for "solid" in a strokeDash encoding). Drawn as
 * dashes, Chromium's PDF backend cuts such a line into one filled piece per unit: thousands per chart.
 */
function isSolidDash(pattern: string): boolean {
  const lengths = pattern
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(Number)
  if (lengths.length === 0 || lengths.some((n) => !Number.isFinite(n))) return false
  // An odd-length pattern repeats to even length, so every entry is also a gap.
  const gaps = lengths.length % 2 === 0 ? lengths.filter((_, i) => i % 2 === 1) : lengths
  return gaps.every((gap) => gap === 0)
}

/** Put the figure's id and caption into a normalized SVG. */
export function finalizeSvg(svg: string, options: { id: string; title: string; description?: string }): string {
  let out = svg.split(ID_TOKEN).join(options.id)
  if (options.description !== undefined) {
    out = out.replace(
      /<desc id="([^"]*)">[\s\S]*?<\/desc>/,
      (_, id: string) => `<desc id="${id}">${escapeXml(options.description!)}</desc>`,
    )
  }
  return out.replace(/(<svg\b[^>]*>)/, `$1<title id="${options.id}-title">${escapeXml(options.title)}</title>`)
}
