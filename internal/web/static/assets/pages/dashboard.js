// The leaders' dashboard: loss and head-appearance rates by month over
// three years, by agency for the year, key cases, overdue clocks by track,
// 双下降, interview candidates and the early-warning disputes. Every chart
// and figure clicks through to the cases behind it (/cases).
import { api, boot, el, table, pct, orgNamer, showError, todayISO, provisionalMark } from '../app.js';
import { label } from '../labels.js';

const echarts = window.echarts;
const content = document.getElementById('content');

function casesLink(q) {
  return '/cases?' + new URLSearchParams(q).toString();
}

// agencyName is how a row of the figures names its body: by name (the
// statistics send agency_name beside agency_code).
function agencyName(r) { return r.agency_name || r.agency_code; }

function chart(id, option, onClick) {
  const box = document.getElementById(id);
  const c = echarts.init(box, null, { renderer: 'canvas' });
  c.setOption(Object.assign({ animation: false, grid: { left: 48, right: 16, top: 36, bottom: 56, containLabel: true },
    tooltip: { trigger: 'axis' } }, option));
  if (onClick) c.on('click', onClick);
  window.addEventListener('resize', () => c.resize());
  box.dataset.rendered = 'true';
  return c;
}

function card(title, body, id) {
  return el('section', { class: 'card', id: id || null }, el('h2', {}, title), body);
}

async function main() {
  const me = await boot(['leader', 'court_liaison', 'agency_staff']);
  const today = todayISO();
  const year = Number(new URLSearchParams(location.search).get('year')) || Number(today.slice(0, 4));
  const from = year + '-01-01';
  const to = year === Number(today.slice(0, 4)) ? today : year + '-12-31';
  const trendFrom = (year - 2) + '-01-01';
  const yearSelect = el('select', { id: 'year', onchange: (e) => { location.search = '?year=' + e.target.value; } },
    [0, 1, 2, 3].map(i => { const y = Number(today.slice(0, 4)) - i; return el('option', { value: y, selected: y === year }, y + ' 年'); }));
  document.getElementById('title').append(' ', yearSelect);

  // 双下降 and the interview candidates are the city's view: leaders and
  // the court liaison; agency staff see their own agency's figures only.
  const cityView = me.role !== 'agency_staff';
  const [short, months, agencies, year1, decline, candidates] = await Promise.all([
    orgNamer(true),
    api('GET', `/api/v1/litigation/stats?from=${trendFrom}&to=${to}&group_by=month`),
    api('GET', `/api/v1/litigation/stats?from=${from}&to=${to}&group_by=agency`),
    api('GET', `/api/v1/litigation/stats?from=${from}&to=${to}`),
    cityView ? api('GET', `/api/v1/litigation/double-decline?year=${year}`) : null,
    cityView ? api('GET', `/api/v1/litigation/interviews/candidates?year=${year}`) : null,
  ]);
  const city = (year1.items && year1.items[0]) || {};
  const keyRate = city.key_heard ? city.key_head_appeared / city.key_heard : null;
  // Two counts of suits, each named for what it counts: 一审收案 (the
  // administrative first-instance suits, the figure of 双下降, equal to its
  // 全市 row) and 全部收案 (every case filed, appeals and retrials too).
  // Agency staff have no 双下降; they see 全部收案.
  content.append(el('div', { class: 'kpis' },
    cityView ? kpi('一审收案', decline.city.filed, casesLink({ figure: 'filed', instance: 'first', from, to }), 'kpi-first-filed') : null,
    kpi('全部收案', city.filed, casesLink({ figure: 'filed', from, to }), 'kpi-filed'),
    kpi('结案', city.concluded, casesLink({ figure: 'concluded', from, to })),
    kpi('败诉率', pct(city.loss_rate), casesLink({ figure: 'lost', from, to })),
    kpi('负责人出庭率', pct(city.appearance_rate), casesLink({ figure: 'head_appeared', from, to })),
    kpi('重点案件出庭率', pct(keyRate), casesLink({ figure: 'key_heard', from, to }))));

  const grid = el('div', { class: 'grid' });
  content.append(grid);
  grid.append(card('败诉率与负责人出庭率（按月）', el('div', { class: 'chart', id: 'chart-trend' })));
  grid.append(card(year + ' 年各单位败诉率', el('div', { class: 'chart', id: 'chart-agency' })));
  grid.append(card(year + ' 年重点案件负责人出庭', el('div', { class: 'chart', id: 'chart-key' })));
  const leader = me.role === 'leader';
  if (leader) grid.append(card('超期与即将到期（按办理渠道）', el('div', { class: 'chart', id: 'chart-clocks' })));

  // Monthly trends, three years.
  const ms = months.items.filter(r => r.month);
  chart('chart-trend', {
    legend: { data: ['败诉率', '负责人出庭率'] },
    xAxis: { type: 'category', data: ms.map(r => r.month) },
    yAxis: { type: 'value', min: 0, max: 1, axisLabel: { formatter: v => (v * 100) + '%' } },
    tooltip: { trigger: 'axis', valueFormatter: v => pct(v) },
    series: [
      { name: '败诉率', type: 'line', data: ms.map(r => r.loss_rate), connectNulls: true, symbolSize: 7 },
      { name: '负责人出庭率', type: 'line', data: ms.map(r => r.appearance_rate), connectNulls: true, symbolSize: 7 },
    ],
  }, (p) => {
    const m = ms[p.dataIndex];
    const figure = p.seriesName === '败诉率' ? 'lost' : 'head_appeared';
    location.href = casesLink({ figure, month: m.month, from: trendFrom, to });
  });

  // By agency (the city government and townships among them), the year.
  const ag = agencies.items.filter(r => r.agency_code && (r.filed || r.concluded || r.heard));
  chart('chart-agency', {
    legend: { data: ['败诉率', '全部收案'] },
    xAxis: { type: 'category', data: ag.map(r => short(r.agency_code)), axisLabel: { rotate: 30 } },
    yAxis: [{ type: 'value', min: 0, max: 1, axisLabel: { formatter: v => (v * 100) + '%' } }, { type: 'value', name: '件' }],
    series: [
      { name: '败诉率', type: 'bar', data: ag.map(r => r.loss_rate) },
      { name: '全部收案', type: 'bar', yAxisIndex: 1, data: ag.map(r => r.filed) },
    ],
  }, (p) => {
    const r = ag[p.dataIndex];
    location.href = casesLink({ figure: p.seriesName === '败诉率' ? 'lost' : 'filed', agency: r.agency_code, from, to });
  });

  // Key cases: heard and head appeared, by agency.
  const key = ag.filter(r => r.key_heard > 0);
  chart('chart-key', {
    legend: { data: ['重点案件开庭', '负责人出庭'] },
    xAxis: { type: 'category', data: key.map(r => short(r.agency_code)), axisLabel: { rotate: 30 } },
    yAxis: { type: 'value', name: '件', minInterval: 1 },
    series: [
      { name: '重点案件开庭', type: 'bar', data: key.map(r => r.key_heard) },
      { name: '负责人出庭', type: 'bar', data: key.map(r => r.key_head_appeared) },
    ],
  }, (p) => {
    const r = key[p.dataIndex];
    location.href = casesLink({ figure: p.seriesName === '负责人出庭' ? 'key_head_appeared' : 'key_heard', agency: r.agency_code, from, to });
  });

  if (leader) {
    const clocks = await api('GET', '/api/v1/clocks/summary');
    chart('chart-clocks', {
      legend: { data: ['已超期', '即将到期', '在办', '本年超期办结'] },
      xAxis: { type: 'category', data: clocks.items.map(r => label('track', r.track)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: '已超期', type: 'bar', data: clocks.items.map(r => r.overdue), itemStyle: { color: '#c62828' } },
        { name: '即将到期', type: 'bar', data: clocks.items.map(r => r.due_soon), itemStyle: { color: '#b26a00' } },
        { name: '在办', type: 'bar', data: clocks.items.map(r => r.open), itemStyle: { color: '#1d4f91' } },
        { name: '本年超期办结', type: 'bar', data: clocks.items.map(r => r.late), itemStyle: { color: '#8d6e63' } },
      ],
    }, (p) => {
      const r = clocks.items[p.dataIndex];
      location.href = r.track === 'reconsideration' ? '/reconsideration' : '/queue?track=' + encodeURIComponent(r.track);
    });
  }

  // 双下降.
  const arrow = (prev, cur, rate) => {
    if (prev === null || prev === undefined || cur === null || cur === undefined) return el('span', { class: 'muted' }, '—');
    const text = rate ? pct(cur) : String(cur);
    if (cur < prev) return el('span', { class: 'down' }, '↓ ' + text);
    if (cur > prev) return el('span', { class: 'up' }, '↑ ' + text);
    return el('span', {}, '→ ' + text);
  };
  if (cityView) {
    const rows = [Object.assign({ agency_code: '全市' }, decline.city)].concat(decline.items);
    content.append(el('div', { class: 'grid' },
      card(year + ' 年“双下降”（一审收案数、败诉率同比）', table([
        { title: '单位', get: r => r.agency_code === '全市' ? '全市' : el('a', { class: 'cell', href: casesLink({ figure: 'filed', instance: 'first', agency: r.agency_code, from, to }) }, agencyName(r)) },
        { title: '上年一审收案', get: r => r.filed_prev },
        { title: '本年一审收案', get: r => arrow(r.filed_prev, r.filed, false) },
        { title: '上年败诉率', get: r => pct(r.loss_rate_prev) },
        { title: '本年败诉率', get: r => arrow(r.loss_rate_prev, r.loss_rate, true) },
        { title: '双下降', get: r => r.achieved === null || r.achieved === undefined ? '—' : (r.achieved ? '✓ 实现' : '✗ 未实现') },
      ], rows), 'double-decline'),
      card('约谈对象（' + year + ' 年）', table([
        { title: '单位', get: r => el('a', { class: 'cell', href: casesLink({ figure: 'lost', agency: r.agency_code, from, to }) }, agencyName(r)) },
        { title: '结案', get: r => r.figures.concluded },
        { title: '败诉率', get: r => pct(r.figures.loss_rate) },
        { title: '出庭率', get: r => pct(r.figures.appearance_rate) },
        { title: '原因', get: r => r.reasons.map(x => label('reason', x)).join('；') },
      ], candidates.items || candidates, '无约谈对象'), 'candidates')));
  }

  if (leader) {
    // The disputes still being handled (a case open with a mediator, or
    // waiting for one): a closed or guided dispute warns of nothing. The
    // handling organisation is shown by its name.
    const [routed, waiting, orgs] = await Promise.all([
      api('GET', '/api/v1/disputes?priority=high&status=routed&limit=10'),
      api('GET', '/api/v1/disputes?priority=high&status=waiting_assignment&limit=10'),
      api('GET', '/api/v1/orgs?limit=200'),
    ]);
    const orgName = new Map((orgs.items || []).map(o => [o.code, o.name]));
    const open = routed.items.concat(waiting.items).sort((a, b) => (a.code < b.code ? 1 : -1)).slice(0, 10);
    content.append(card('预警纠纷（在办；群体性、民转刑风险、重复）', table([
      { title: '编号', get: r => r.code },
      { title: '类别', get: r => label('category', r.category) },
      { title: '标记', get: r => (r.flags || []).map(f => label('flag', f)).join('、') },
      { title: '乡镇', get: r => r.township },
      { title: '渠道', get: r => label('track', r.routing && r.routing.track) },
      { title: '承办', get: r => { const code = r.routing && r.routing.org_code; return code ? (orgName.get(code) || code) : '—'; } },
      { title: '状态', get: r => label('disputeStatus', r.status) },
      { title: '期限', get: r => r.routing && r.routing.due ? [r.routing.due, provisionalMark(r.routing)] : el('span', { class: 'muted' }, '—') },
    ], open, '暂无在办预警纠纷'), 'warnings'));
  }
}

function kpi(name, value, href, id) {
  return el('a', { class: 'kpi', href, id: id || null }, el('b', {}, value === undefined || value === null ? '—' : String(value)), el('span', {}, name));
}

main().catch((err) => { if (err.message !== 'redirect') showError(err); });
