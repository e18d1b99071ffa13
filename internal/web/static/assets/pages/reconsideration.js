// 行政复议 (/reconsideration): the reconsideration cases with their clocks,
// as GET /api/v1/reconsideration/cases lists them (the nearest due date
// first, so overdue cases lead), filtered by state (?state=) and paged by
// next_cursor; above them the year's figures from
// GET /api/v1/reconsideration/stats (?year=, default this year). Agency
// staff see their own agency's cases and no statistics.
import { api, boot, el, table, pct, showError, todayISO, phoneCards, clockBadge, liveDuty } from '../app.js';
import { LABELS, label } from '../labels.js';

const CLOSED = ['decided', 'rejected'];

let ruleNames = {};
let orgNames = {};

function ruleName(id) {
  return ruleNames[id] || id;
}

// clockCell is the duty of an open case that falls due first (overdue in
// red, 暂计 beside a provisional day); a closed case shows the duties it
// met late (超期办结), which leaders count.
function clockCell(c) {
  if (CLOSED.includes(c.state)) {
    const late = (c.clocks || []).filter(k => k.kind === 'duty' && k.state === 'late');
    return el('span', {}, el('span', { class: 'muted' }, '已办结'),
      late.length ? el('span', { class: 'late', title: late.map(k => ruleName(k.rule) + ' ' + (k.due || '')).join('；') },
        '超期办结：' + late.map(k => ruleName(k.rule)).join('、')) : null);
  }
  const k = liveDuty(c.clocks);
  if (!k) return el('span', { class: 'muted' }, c.state === 'suspended' ? '中止，期限暂停' : '—');
  return el('span', { class: 'clock', dataset: { state: k.state } }, ruleName(k.rule) + ' ', clockBadge(k));
}

// stateCell is the case's state, with the mark of an application deemed
// accepted (第30条).
function stateCell(c) {
  const cls = c.state === 'decided' || c.state === 'rejected' ? 'badge state quiet' : 'badge state';
  return el('span', {}, el('span', { class: cls, dataset: { state: c.state } }, label('reconState', c.state)),
    c.deemed_accepted ? [' ', el('span', { class: 'badge bad deemed', title: '受理审查期限届满未作决定，自届满之日起视为受理（行政复议法 第30条）' }, '视为受理')] : null);
}

function resultCell(c) {
  if (!c.decision) return el('span', { class: 'muted' }, '—');
  return el('span', {}, label('reconResult', c.decision.result), el('span', { class: 'muted' }, ' ' + c.decision.on));
}

function documents(c) {
  const links = [];
  const base = '/api/v1/reconsideration/cases/' + c.id + '/documents/';
  if (c.accepted_on) links.push(el('a', { class: 'cell', href: base + 'acceptance_notice', target: '_blank', rel: 'noopener' }, '受理通知书'));
  if (c.decision) links.push(el('a', { class: 'cell', href: base + 'decision', target: '_blank', rel: 'noopener' }, '决定书'));
  if (!links.length) return el('span', { class: 'muted' }, '—');
  return el('span', { class: 'docs' }, links);
}

function kpi(name, value, id, alert) {
  return el('div', { class: 'kpi' + (alert ? ' alert' : ''), id },
    el('b', {}, value === undefined || value === null ? '—' : String(value)), el('span', {}, name));
}

async function main() {
  const me = await boot(['reconsideration', 'agency_staff', 'leader']);
  const q = new URLSearchParams(location.search);
  const today = todayISO();
  const thisYear = Number(today.slice(0, 4));
  const year = Number(q.get('year')) || thisYear;
  const state = LABELS.reconState[q.get('state')] ? q.get('state') : '';
  const content = document.getElementById('content');

  const go = (k, v) => {
    const p = new URLSearchParams(location.search);
    if (v) p.set(k, v); else p.delete(k);
    location.search = p.toString();
  };

  const [rules, orgs] = await Promise.all([
    api('GET', '/api/v1/deadlines/rules'),
    api('GET', '/api/v1/orgs?limit=200'),
  ]);
  ruleNames = Object.fromEntries((rules.items || []).map(r => [r.id, r.name]));
  orgNames = Object.fromEntries((orgs.items || []).map(o => [o.code, o.name]));

  // The year's figures (the reconsideration body and leaders).
  if (me.role !== 'agency_staff') {
    const yearSelect = el('select', { id: 'year', name: 'year', onchange: e => go('year', e.target.value === String(thisYear) ? '' : e.target.value) },
      [0, 1, 2, 3].map(i => el('option', { value: thisYear - i, selected: thisYear - i === year }, (thisYear - i) + ' 年')));
    document.getElementById('title').append(' ', yearSelect);
    const from = year + '-01-01';
    const to = year === thisYear ? today : year + '-12-31';
    const st = await api('GET', `/api/v1/reconsideration/stats?from=${from}&to=${to}`);
    content.append(el('div', { class: 'kpis', id: 'stats' },
      kpi('收到申请', st.received, 'stat-received'),
      kpi('受理（含视为受理）', st.accepted, 'stat-accepted'),
      kpi('审结', st.decided, 'stat-decided'),
      kpi('纠错率（纠错 ' + st.corrected + ' 件）', pct(st.correction_rate), 'stat-correction'),
      kpi('调解、和解结案', st.resolved_by_mediation, 'stat-mediation'),
      kpi('超期未决', st.overdue, 'stat-overdue', st.overdue > 0),
      kpi('超期办结', st.late, 'stat-late', st.late > 0)),
    el('p', { class: 'muted' }, from + ' 至 ' + to + '。纠错：变更、撤销、确认违法、责令履行、确认无效；纠错率＝纠错数 ÷ ' +
      (st.correction_rate_basis === 'decisions' ? '实体决定数（含维持、驳回）' : '审结数（含调解、和解、终止）') +
      '；超期未决：决定期限在期间内届满、至今未作出决定的案件；超期办结：决定期限在期间内届满、届满后才作出决定的案件。'),
    (st.by_respondent || []).length ? el('details', { class: 'card', id: 'by-respondent' },
      el('summary', {}, '按被申请人统计'),
      table([
        { title: '被申请人', get: r => orgNames[r.respondent] || r.respondent },
        { title: '收到', get: r => r.received },
        { title: '受理', get: r => r.accepted },
        { title: '审结', get: r => r.decided },
        { title: '纠错', get: r => r.corrected },
        { title: '纠错率', get: r => pct(r.correction_rate) },
        { title: '调解和解', get: r => r.resolved_by_mediation },
        { title: '超期未决', get: r => r.overdue ? el('span', { class: 'up' }, String(r.overdue)) : '0' },
        { title: '超期办结', get: r => r.late ? el('span', { class: 'up' }, String(r.late)) : '0' },
        { title: '复议后起诉', get: r => r.later_lawsuits },
      ], st.by_respondent)) : null);
  }

  const stateSelect = el('select', { id: 'filter-state', name: 'state', onchange: e => go('state', e.target.value) },
    el('option', { value: '' }, '全部状态'),
    Object.keys(LABELS.reconState).map(s => el('option', { value: s, selected: s === state }, label('reconState', s))));
  const wrap = el('div', { id: 'recon-cases' });
  const count = el('p', { class: 'muted', id: 'recon-count' });
  const more = el('button', { type: 'button', class: 'secondary', id: 'more', hidden: true }, '加载更多');
  content.append(el('section', { class: 'card', id: 'cases' },
    el('h2', {}, me.role === 'agency_staff' ? '本单位作为被申请人的复议案件' : '复议案件（按最近到期排列）'),
    el('div', { class: 'toolbar' }, el('label', {}, '状态', stateSelect)),
    wrap, count, more));

  const columns = [
    { title: '申请人', get: c => (c.applicant && c.applicant.name) || '—' },
    { title: '被申请人', get: c => orgNames[c.respondent] || c.respondent, class: 'name' },
    { title: '行政行为', get: c => c.act, class: 'name' },
    { title: '收到日期', get: c => c.received_on },
    { title: '程序', get: c => label('procedure', c.procedure) },
    { title: '状态', get: stateCell },
    { title: '受理日期', get: c => c.accepted_on || el('span', { class: 'muted' }, '—') },
    { title: '下一期限', get: clockCell, class: 'name' },
    { title: '结果', get: resultCell },
    { title: '文书', get: documents },
  ];
  let cursor = '';
  let shown = 0;
  const load = async () => {
    const p = new URLSearchParams({ limit: '50' });
    if (state) p.set('state', state);
    if (cursor) p.set('cursor', cursor);
    const res = await api('GET', '/api/v1/reconsideration/cases?' + p.toString());
    const items = res.items || [];
    const body = wrap.querySelector('tbody');
    if (body) {
      // Later pages: their rows go under the same header.
      const t = phoneCards(table(columns, items));
      const rows = t.querySelectorAll('tbody tr');
      body.append(...rows);
    } else {
      wrap.replaceChildren(phoneCards(table(columns, items, state ? '没有' + label('reconState', state) + '的案件' : '暂无复议案件')));
    }
    shown += items.length;
    cursor = res.next_cursor || '';
    more.hidden = !cursor;
    count.textContent = '已显示 ' + shown + ' 件' + (cursor ? '，还有更多' : '');
  };
  more.addEventListener('click', () => load().catch(err => showError(err)));
  await load();
  content.dataset.ready = 'true';
}

main().catch((err) => { if (err.message !== 'redirect') showError(err); });
