/**
 * The words the engine prints around the book's own text. They follow the
 * fixed zh-CN authoring conventions (图3, 表1, 数据来源：…, 表4（续）).
 */
export const LABELS = {
  figure: '图',
  table: '表',
  source: '数据来源：',
  continued: '（续）',
  /** The site's link to a figure's data file. */
  data: '下载数据',
  /** The site's index page, in previous/next links. */
  home: '封面与目录',
} as const

/** The words of the site's reader tools (data tables and search results). */
export const SITE_LABELS = {
  showData: '显示数据',
  /** After a figure's label and short title: `图3 中国金融科技整体市场规模及预测的数据`. */
  dataCaption: '的数据',
  missing: '数据缺失',
  /** Search results name the part a hit is in: `第一部分 浪潮来袭`. */
  partName: (numeral: string, title: string) => `第${numeral}部分 ${title}`,
} as const
