/**
 * The engine's public surface: what the CLI, the dev server, the tools and the tests import.
 * This file only re-exports.
 */
export { Builder, type BuildOptions, type BuildSummary, type StageTiming, type BuilderEvents } from './builder.ts'
export { BuildError, Diagnostics, formatDiagnostic, type Diagnostic } from './diagnostics.ts'
export { loadConfig, bookConfigSchema } from './config.ts'
export { parseMarkdown, readFrontMatter } from './markdown.ts'
export { collectBook, checkReferences, chineseNumeral, type BookModel } from './model.ts'
export { renderChapter, stringify } from './render.ts'
export { bookView } from './pages.ts'
export { findBrowser, launchBrowser, INSTALL_HINT, type LaunchedBrowser } from './browser.ts'
export { readPdf, finishPdf, type PdfReadback } from './pdf.ts'
export { checkFigure, createTextMeasurer, FigureRenderer, type FigureRequest } from './figures/index.ts'
export { getValidator } from './figures/schema.ts'
export { startDevServer, DevServerError, type DevServer, type RebuildResult } from './dev.ts'
