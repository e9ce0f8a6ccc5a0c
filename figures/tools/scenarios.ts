// The diagrams of the application scenarios: 图9–图13.
import { C, diagram } from './kit.ts'

/** 图9 金融科技赋能融资信贷 */
export function credit(): void {
  const d = diagram(
    'credit',
    640,
    300,
    '流程图：金融科技在贷前、贷中、贷后的信贷全流程释放能量——区块链、生物识别等技术保证信息的可靠性和透明性，大数据降低信息获取成本，人工智能减少人力成本，从而缓解信息不对称，解决中小企业风险评估问题，降低金融服务风险，提高金融服务可得性。',
  )
  const t = d.box(0, 0, 110, 52, C.navy)
  d.label(t, '信贷全流程', { bold: true, color: C.white, size: 13.5 })
  const stages = ['贷前', '贷中', '贷后']
  const sw = 150
  stages.forEach((s, i) => {
    const x = 130 + i * (sw + 30)
    const b = d.box(x, 0, sw, 52, C.blue)
    d.label(b, s, { bold: true, color: C.white, size: 15 })
    if (i < 2) d.arrow(x + sw + 3, 26, x + sw + 27, 26, C.navy)
  })
  d.rule(0, 70, 640, 70, C.paleStroke, [4, 3], 1)
  const techs: [string, string][] = [
    ['区块链、生物识别', '保证信息的可靠性和透明性'],
    ['大数据', '极大地降低信息获取成本'],
    ['人工智能', '减少人力成本'],
  ]
  const cw = (640 - 2 * 12) / 3
  techs.forEach(([a, b], i) => {
    const x = i * (cw + 12)
    const h = d.box(x, 86, cw, 34, C.navy)
    d.label(h, a, { bold: true, color: C.white, size: 13 })
    const body = d.box(x, 120, cw, 52, C.pale)
    d.label(body, b, { size: 12.5, color: C.ink })
    d.arrow(x + cw / 2, 174, x + cw / 2, 198)
  })
  const out = d.box(0, 200, 640, 100, C.accentPale)
  void out
  d.text(14, 218, '应用成效', { bold: true, color: C.accentDeep, size: 12.5, align: 'left' })
  const effects = ['缓解信息不对称问题', '解决中小企业风险评估问题', '降低金融服务风险', '提高金融服务可得性']
  d.chips(14, 236, 612, 48, effects, C.white, C.ink, { stroke: C.accentLine, size: 12.5, gap: 10 })
  d.write()
}

/** 图10 消费金融典型应用场景 */
export function consumerFinance(): void {
  const d = diagram(
    'consumer-finance',
    640,
    280,
    '场景图：消费金融以场景为依托，为消费者提供小额、短期融资；文中提及的场景包括信用卡与信用消费、房地产后市场、汽车后市场、教育和耐用消费品；大数据用于精准获客和差异化推广，人工智能迭代优化以提高营销转化率，机器学习建模用于风控评估、实时阻断交易风险。',
  )
  const c = d.box(150, 0, 340, 60, C.navy)
  d.label(c, '消费金融', { bold: true, color: C.white, size: 15, dy: -10 })
  d.text(320, 42, '以场景为依托，为消费者提供小额、短期融资', { size: 11.5, color: C.sky })
  d.text(0, 84, '典型应用场景', { bold: true, color: C.navy, size: 12.5, align: 'left' })
  const scenes = ['信用卡、信用消费', '房地产后市场', '汽车后市场', '教育', '耐用消费品']
  const sw = (640 - 4 * 8) / 5
  scenes.forEach((s, i) => {
    const x = i * (sw + 8)
    d.rule(320, 60, x + sw / 2, 98, C.line, [1, 0], 1)
    const b = d.box(x, 98, sw, 46, C.blue)
    d.label(b, s, { bold: true, color: C.white, size: 12.5 })
  })
  d.text(0, 170, '科技手段', { bold: true, color: C.navy, size: 12.5, align: 'left' })
  const techs: [string, string][] = [
    ['大数据', '掌握基础数据和行为数据\n精准获客、差异化推广'],
    ['人工智能', '每次结果迭代优化\n逐步提高营销转化率'],
    ['机器学习建模', '风控评估\n为每笔交易评估风险分值\n实时阻断交易风险'],
  ]
  const tw = (640 - 2 * 10) / 3
  techs.forEach(([t, s], i) => {
    const x = i * (tw + 10)
    const h = d.box(x, 184, tw, 32, C.teal)
    d.label(h, t, { bold: true, color: C.white, size: 13 })
    const b = d.box(x, 216, tw, 64, C.tealPale)
    d.label(b, s, { size: 12, color: C.ink })
  })
  d.write()
}

/** 图11 数字支付典型应用场景 */
export function digitalPayment(): void {
  const d = diagram(
    'digital-payment',
    640,
    262,
    '场景图：支付体系先后经历实物支付、信用支付、数字支付三个发展阶段，支付介质从物理走向数字化；数字支付突破时空限制、与场景融合更加紧密；随着5G、人工智能、大数据、区块链的发展，生物识别进入支付领域，例如自助售货机刷脸支付，全程5秒完成，无需移动设备。',
  )
  const stages: [string, string, string][] = [
    ['实物支付', C.sky, C.navy],
    ['信用支付', C.blue, C.white],
    ['数字支付', C.navy, C.white],
  ]
  const sw = 176
  stages.forEach(([s, f, t], i) => {
    const x = i * (sw + 56)
    const b = d.box(x, 0, sw, 48, f)
    d.label(b, s, { bold: true, color: t, size: 15 })
    if (i < 2) d.arrow(x + sw + 6, 24, x + sw + 50, 24, C.navy)
  })
  d.text(320, 66, '支付介质：从物理到数字化的演变', { size: 11.5, color: C.muted })
  d.rule(0, 82, 640, 82, C.paleStroke, [4, 3], 1)
  const feats = ['加速突破时空限制', '与场景融合更加紧密', '“当你需要时，它就在那里”']
  d.text(0, 102, '数字支付的特点', { bold: true, color: C.navy, size: 12.5, align: 'left' })
  d.chips(0, 116, 640, 36, feats, C.pale, C.navy, { size: 12.5, gap: 10 })
  d.text(0, 174, '典型场景', { bold: true, color: C.navy, size: 12.5, align: 'left' })
  const t = d.box(0, 188, 220, 74, C.teal)
  d.label(t, '5G、人工智能、大数据、区块链\n推动生物识别进入支付领域', { size: 12, bold: true, color: C.white })
  d.arrow(222, 225, 246, 225, C.teal)
  const s = d.box(248, 188, 392, 74, C.tealPale)
  d.label(s, '刷脸支付自助售货机：用户对着摄像头看一眼，\n全程5秒完成支付，无需移动设备', { size: 12.5, color: C.ink })
  void s
  d.write()
}

/** 图12 金融科技涉及的主要生物识别技术 */
export function biometrics(): void {
  const d = diagram(
    'biometrics',
    640,
    196,
    '概念图：生物识别以生物特征标识用户身份；文中涉及的生物识别技术为人脸识别（刷脸支付）和声纹识别（声纹识别系统、移动金融基于声纹识别的安全应用技术规范）；在融资信贷中，生物识别等技术可保证信息的可靠性和透明性。',
  )
  const c = d.box(0, 0, 640, 44, C.navy)
  d.label(c, '生物识别：以生物特征标识用户身份', { bold: true, color: C.white, size: 14 })
  const items: [string, string][] = [
    ['人脸识别', '刷脸支付：对着摄像头看一眼，全程5秒完成支付'],
    ['声纹识别', '声纹识别系统\n移动金融基于声纹识别的安全应用技术规范'],
  ]
  items.forEach(([t, s], i) => {
    const x = i * 326
    d.arrow(x + 157, 46, x + 157, 66)
    const h = d.box(x, 68, 314, 34, C.blue)
    d.label(h, t, { bold: true, color: C.white, size: 13.5 })
    const b = d.box(x, 102, 314, 50, C.pale)
    d.label(b, s, { size: 12, color: C.ink })
  })
  const a = d.box(0, 162, 640, 34, C.tealPale)
  d.label(a, '应用：数字支付（刷脸支付）· 融资信贷（保证信息的可靠性和透明性）', {
    size: 12,
    color: C.teal,
    bold: true,
  })
  void a
  d.write()
}

/** 图13 智能风控全流程管理 */
export function riskControl(): void {
  const d = diagram(
    'risk-control',
    640,
    334,
    '流程图：智能风控整合客户的交易行为、个人资产、身份特征画像、履约历史、行为偏好、关系网络等多个维度的数据，在业务的事前、事中、事后进行综合分析和判断，开展全方位的风险预测和管控；风险识别是核心，数据的维度和密度是基础，数据分析与建模能力是关键。',
  )
  const h = d.box(0, 0, 110, 80, C.blue)
  d.label(h, '多维度数据', { bold: true, color: C.white, size: 13.5 })
  d.box(116, 0, 524, 80, C.pale)
  const dims = ['交易行为', '个人资产', '身份特征画像', '履约历史', '行为偏好', '关系网络']
  const dw = (524 - 20 - 2 * 8) / 3
  dims.forEach((t, i) => {
    const b = d.box(126 + (i % 3) * (dw + 8), 8 + Math.floor(i / 3) * 36, dw, 28, C.white, C.paleStroke)
    d.label(b, t, { size: 12.5 })
  })
  d.arrow(320, 82, 320, 106, C.navy)
  const stages = ['事前', '事中', '事后']
  const sw = 180
  stages.forEach((s, i) => {
    const x = i * (sw + 50)
    const b = d.box(x, 108, sw, 48, C.navy)
    d.label(b, s, { bold: true, color: C.white, size: 15 })
    if (i < 2) d.arrow(x + sw + 5, 132, x + sw + 45, 132, C.navy)
  })
  const band = d.box(0, 164, 640, 36, C.sky)
  d.label(band, '综合分析和判断，开展全方位的风险预测和管控', { bold: true, color: C.navy, size: 13 })
  void band
  d.text(0, 222, '智能风控三要素', { bold: true, color: C.navy, size: 12.5, align: 'left' })
  const pillars: [string, string, string][] = [
    ['核心', '风险识别', C.accentDeep],
    ['基础', '数据的维度和密度', C.teal],
    ['关键', '数据分析与建模能力', C.blue],
  ]
  const pw = (640 - 2 * 12) / 3
  pillars.forEach(([k, v, f], i) => {
    const x = i * (pw + 12)
    const a = d.box(x, 238, pw, 34, f)
    d.label(a, k, { bold: true, color: C.white, size: 13.5 })
    const b = d.box(x, 272, pw, 62, C.white, f)
    d.label(b, v, { size: 13, color: C.ink, bold: true })
  })
  d.write()
}
