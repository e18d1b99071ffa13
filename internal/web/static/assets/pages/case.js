// A mediation case (/case?id=): its facts, its statutory clocks with their
// legal basis (overdue in red), the dispute behind it, everything recorded
// on it, and the actions its state allows: the case's mediator accepts,
// records sessions, an agreement or a failure (with a transfer), judicial
// confirmation, follow-up visits, rectification and closing; the intake
// desk (re)assigns a case that waits or is assigned. Every action POSTs
// with If-Match (the case's version); a 422 puts each field's message next
// to its input; after success the case is loaded again.
import { api, boot, el, table, clockBadge, showError, showInfo, todayISO, param, ApiError } from '../app.js';
import { LABELS, label } from '../labels.js';

const content = document.getElementById('content');
const title = document.getElementById('title');
const id = param('id');

let me = null;
let mc = null;
let ruleNames = {};
let orgs = [];

function orgName(code) {
  const o = orgs.find(x => x.code === code);
  return o ? o.name : '';
}

function orgText(code) {
  if (!code) return '—';
  const name = orgName(code);
  return name ? el('span', { title: code }, name) : code;
}

function yuan(fen) {
  if (fen === null || fen === undefined) return '—';
  return (fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }) + ' 元';
}

// shanghai shows an instant as its date and time in Asia/Shanghai.
function shanghai(at) {
  const t = Date.parse(at || '');
  return Number.isNaN(t) ? '' : new Date(t + 8 * 3600e3).toISOString().slice(0, 16).replace('T', ' ');
}

function card(heading, body, cardId) {
  return el('section', { class: 'card', id: cardId || null }, el('h2', {}, heading), body);
}

function facts(pairs) {
  return el('dl', { class: 'facts' }, pairs.filter(p => p).flatMap(([k, v, vid]) =>
    [el('dt', {}, k), el('dd', { id: vid || null }, v === '' || v === null || v === undefined ? '—' : v)]));
}

function stateBadge(state) {
  const cls = state === 'waiting' ? 'badge warn' : state === 'closed' || state === 'transferred' ? 'badge muted' : 'badge';
  return el('span', { class: cls, dataset: { state } }, label('mediationState', state));
}

// ---- rendering -----------------------------------------------------------

function renderFacts() {
  return card('基本信息', facts([
    ['纠纷编号', mc.dispute_code],
    ['事项', mc.title],
    ['来源', label('source', mc.source)],
    ['办理渠道', label('track', mc.track)],
    ['承办组织', orgText(mc.org_code)],
    ['调解员', mc.assignee ? (mc.assignee_name ? [mc.assignee_name, ' ', el('span', { class: 'muted' }, mc.assignee)] : mc.assignee) : el('span', { class: 'muted' }, '待分派')],
    mc.assignment_reason ? ['分派说明', el('span', { class: 'muted' }, mc.assignment_reason)] : null,
    ['状态', stateBadge(mc.state), 'case-state'],
    ['难度等级', mc.tier ? label('tier', mc.tier) : '未定（达成协议时确定）'],
    ['立案日期', mc.opened_on],
    ['受理日期', mc.accepted_on || ''],
    mc.closed_on ? ['结案日期', mc.closed_on] : null,
  ]), 'facts');
}

function renderClocks() {
  const rows = mc.clocks || [];
  const body = rows.length === 0
    ? el('p', { class: 'empty' }, mc.state === 'assigned' || mc.state === 'waiting' ? '案件受理后开始计算调解期限。' : '暂无期限')
    : table([
      { title: '期限', get: k => [ruleNames[k.rule] || k.rule, el('div', { class: 'muted small' }, k.rule)] },
      { title: '起算日', get: k => k.from },
      { title: '类别', get: k => label('clockKind', k.kind) },
      { title: '届满日', get: k => clockBadge(k) },
      { title: '状态', get: k => el('span', { class: k.state === 'overdue' ? 'badge overdue' : 'badge', dataset: { state: k.state } }, label('clockState', k.state)) },
      { title: '法律依据', class: 'wrap', get: k => k.basis },
    ], rows);
  return card('办理期限', body, 'clocks');
}

function renderDispute(d) {
  if (!d) return null;
  const parties = table([
    { title: '身份', get: p => label('partyRole', p.role) },
    { title: '类型', get: p => label('partyKind', p.kind || 'person') },
    { title: '姓名（名称）', get: p => p.name },
    { title: '证件号码／统一社会信用代码', get: p => (p.kind === 'organisation' ? p.credit_code : p.id_number) || '—' },
    { title: '电话', get: p => p.phone || '—' },
  ], d.parties || [], '无当事人');
  const history = table([
    { title: '时间', get: s => shanghai(s.at) },
    { title: '渠道', get: s => label('track', s.track) },
    { title: '组织', get: s => orgText(s.org_code) },
    { title: '调解员', get: s => s.assignee || '—' },
    { title: '依据', class: 'wrap', get: s => s.reason },
    { title: '经办', get: s => s.by },
  ], d.history || [], '无');
  return card('纠纷情况', [
    facts([
      ['纠纷编号', d.code],
      ['类别', label('category', d.category)],
      ['来源', label('source', d.source) + (d.source_ref ? '（' + d.source_ref + '）' : '')],
      ['发生地', d.township],
      ['涉及金额', d.amount_fen ? yuan(d.amount_fen) : ''],
      ['发生日期', d.occurred_on || ''],
      ['登记日期', d.received_on],
      ['标记', (d.flags || []).map(f => label('flag', f)).join('、')],
      ['优先级', label('priority', d.priority)],
      d.repeat_of ? ['重复来访', '前次纠纷 ' + d.repeat_of] : null,
      ['纠纷状态', label('disputeStatus', d.status)],
    ]),
    d.description ? el('p', { class: 'description' }, d.description) : null,
    el('h3', {}, '当事人'), parties,
    el('h3', {}, '分流记录'), history,
  ], 'dispute');
}

function renderRecords() {
  const parts = [];
  const sessions = mc.sessions || [];
  parts.push(el('h3', {}, '调解记录（' + sessions.length + ' 次）'));
  parts.push(table([
    { title: '日期', get: s => s.on },
    { title: '地点', get: s => s.place },
    { title: '参加人', get: s => (s.attendees || []).join('、') },
    { title: '记录', class: 'wrap', get: s => s.record },
  ], sessions, '尚无调解记录'));
  if (mc.agreement) {
    const a = mc.agreement;
    parts.push(el('h3', {}, '调解协议'), facts([
      ['达成日期', a.on],
      ['协议内容', a.terms],
      ['金额', a.amount_fen ? yuan(a.amount_fen) : ''],
      ['履行期限', a.performance_due || ''],
      ['生效日期', a.effective_on],
    ]), el('p', {}, el('a', { href: '/api/v1/mediation/cases/' + mc.id + '/agreement', target: '_blank', rel: 'noopener' }, '打印调解协议书')));
  }
  if (mc.failure) {
    const f = mc.failure;
    parts.push(el('h3', {}, '调解不成'), facts([
      ['日期', f.on],
      ['原因', f.reason],
      f.next_track ? ['移交渠道', label('track', f.next_track)] : null,
      f.next_org_code ? ['移交组织', orgText(f.next_org_code)] : null,
    ]));
  }
  if (mc.confirmation) {
    const c = mc.confirmation;
    parts.push(el('h3', {}, '司法确认'), facts([
      ['申请日期', c.applied_on],
      ['结果', c.result ? label('confirmResult', c.result) : '待法院答复'],
      c.result_on ? ['答复日期', c.result_on] : null,
    ]));
  }
  const fu = mc.followups || [];
  if (fu.length) {
    parts.push(el('h3', {}, '回访'), table([
      { title: '日期', get: f => f.on },
      { title: '评价', get: f => el('span', { class: f.rating <= 2 ? 'badge overdue' : 'badge' }, f.rating + ' 分') },
      { title: '协议履行', get: f => (f.performed ? '已履行' : '—') },
      { title: '意见', class: 'wrap', get: f => f.comment },
      { title: '回访人', get: f => f.by },
    ], fu));
  }
  const rect = mc.rectifications || [];
  if (rect.length) {
    parts.push(el('h3', {}, '差评整改'), table([
      { title: '开始', get: r => r.opened_on },
      { title: '评价', get: r => r.rating + ' 分' },
      { title: '完成', get: r => r.closed_on || el('span', { class: 'overdue' }, '整改中') },
      { title: '整改措施', class: 'wrap', get: r => r.action || '' },
    ], rect));
  }
  return card('办理记录', parts, 'records');
}

// ---- actions -------------------------------------------------------------

function input(name, attrs) {
  return el('input', Object.assign({ name }, attrs || {}));
}

function dateField(text, name, opt) {
  return el('label', {}, text, input(name, Object.assign({ type: 'date', max: todayISO() }, opt || {})));
}

function field(text, control, hint) {
  return el('label', {}, text, control, hint ? el('small', { class: 'muted' }, hint) : null);
}

function select(name, options, attrs) {
  return el('select', Object.assign({ name }, attrs || {}), options.map(([v, t]) => el('option', { value: v }, t)));
}

// fen reads an amount in 元 as fen; undefined when empty, NaN when bad.
function fen(v) {
  if (v === null || v === undefined || String(v).trim() === '') return undefined;
  const n = Number(String(v).trim());
  return Number.isFinite(n) ? Math.round(n * 100) : NaN;
}

function orEmpty(v) {
  const s = (v === null || v === undefined) ? '' : String(v).trim();
  return s === '' ? undefined : s;
}

// problem is a client-side 422 on one field.
function problem(fieldName, message) {
  return new ApiError(422, { error: { code: 'invalid', message: '提交的内容有误，请按提示修改', fields: [{ field: fieldName, message }] } });
}

// fitFields maps a field the form has no input for (attendees[1]) to the
// input that holds it (attendees).
function fitFields(err, form) {
  err.fields = (err.fields || []).map(f => {
    if (form.querySelector('[name="' + CSS.escape(f.field) + '"]')) return f;
    const base = f.field.replace(/\[\d+\]$/, '');
    return form.querySelector('[name="' + CSS.escape(base) + '"]') ? { field: base, message: f.field + ' ' + f.message } : f;
  });
  return err;
}

async function failed(err, form) {
  if (err.status === 412) {
    await load();
    showError(new Error('案件已被他人更新，已载入最新信息，请核对后重新提交。'));
  } else if (err.status === 422) {
    err.message = '提交的内容有误，请按提示修改';
    showError(fitFields(err, form), form);
  } else if (err.status === 409) {
    showError(new Error('当前状态不能办理此事项：' + err.message), form);
  } else {
    showError(err, form);
  }
}

// action is one small form that POSTs to the case's action path with
// If-Match; build turns the form into the body (or throws a problem).
function action(name, heading, fields, submitText, path, build, done, opts) {
  const form = el('form', { class: 'stack action', id: 'act-' + name, novalidate: true, dataset: { action: name } },
    fields, el('div', { class: 'actions' }, el('button', { type: 'submit' }, submitText)));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const btn = form.querySelector('button[type=submit]');
    btn.disabled = true;
    try {
      const body = build(form);
      await api('POST', '/api/v1/mediation/cases/' + mc.id + '/' + path, body, { 'If-Match': '"' + mc.version + '"' });
      await load();
      showInfo(done);
    } catch (err) {
      await failed(err, form);
    } finally {
      btn.disabled = false;
    }
  });
  const open = opts && opts.open;
  return el('details', { class: 'action-card', open: open || null, id: 'action-' + name },
    el('summary', {}, heading), form);
}

function val(form, name) {
  const x = form.elements.namedItem(name);
  return x ? x.value : '';
}

function acceptAction() {
  return action('accept', '受理案件', [
    el('p', { class: 'muted' }, '受理后开始计算' + (ruleNames[mc.clock_rule] || '调解') + '期限。'),
    el('div', { class: 'row' }, dateField('受理日期（默认今天）', 'on')),
  ], '受理', 'accept', f => ({ on: orEmpty(val(f, 'on')) }), '已受理，调解期限开始计算。', { open: true });
}

function sessionAction() {
  return action('session', '记录调解', [
    el('div', { class: 'row' }, dateField('调解日期（默认今天）', 'on'), field('地点', input('place', { type: 'text', maxlength: 200 }))),
    field('参加人', input('attendees', { type: 'text', placeholder: '如：申请人张某、被申请人李某' }), '多人用顿号或逗号分隔'),
    field('调解记录', el('textarea', { name: 'record', rows: 3 })),
  ], '保存调解记录', 'sessions', f => ({
    on: orEmpty(val(f, 'on')), place: val(f, 'place'), record: val(f, 'record'),
    attendees: val(f, 'attendees').split(/[、,，;；\n]/).map(s => s.trim()).filter(Boolean),
  }), '已记录调解。');
}

function agreementAction() {
  return action('agreement', '达成调解协议', [
    el('div', { class: 'row' }, dateField('达成日期（默认今天）', 'on'),
      field('涉及金额（元）', input('amount_fen', { type: 'number', min: 0, step: '0.01', inputmode: 'decimal' }))),
    field('协议内容', el('textarea', { name: 'terms', rows: 3 })),
    el('div', { class: 'row' },
      el('label', {}, '履行期限', input('performance_due', { type: 'date' })),
      el('label', {}, '生效日期（默认达成日期）', input('effective_on', { type: 'date' })),
      field('难度等级（以案定补）', select('tier', Object.entries(LABELS.tier)))),
  ], '保存协议', 'agreement', f => {
    const amount = fen(val(f, 'amount_fen'));
    if (Number.isNaN(amount) || amount < 0) throw problem('amount_fen', '请填写不小于 0 的金额（元）');
    return { on: orEmpty(val(f, 'on')), terms: val(f, 'terms'), amount_fen: amount || 0,
      performance_due: orEmpty(val(f, 'performance_due')), effective_on: orEmpty(val(f, 'effective_on')), tier: val(f, 'tier') };
  }, '已记录调解协议，司法确认申请期限开始计算。');
}

function failureAction() {
  const orgList = el('datalist', { id: 'org-list' }, orgs.map(o => el('option', { value: o.code }, o.name)));
  const agencyList = el('datalist', { id: 'agency-list' }, orgs.filter(o => ['agency', 'office', 'township'].includes(o.kind)).map(o => el('option', { value: o.code }, o.name)));
  const recon = el('div', { class: 'row', hidden: true },
    field('被申请人（行政机关）', input('respondent', { type: 'text', list: 'agency-list' })),
    field('被申请复议的行政行为', input('act', { type: 'text' })));
  const next = select('next_track', [['', '不移交（调解终结）']].concat(Object.keys(LABELS.track).map(t => [t, label('track', t)])),
    { onchange: e => { recon.hidden = e.target.value !== 'reconsideration'; } });
  return action('failure', '调解不成', [
    el('div', { class: 'row' }, dateField('日期（默认今天）', 'on')),
    field('原因', el('textarea', { name: 'reason', rows: 2 })),
    el('div', { class: 'row' }, field('移交渠道', next), field('接收组织（代码）', input('next_org_code', { type: 'text', list: 'org-list' }))),
    recon, orgList, agencyList,
  ], '记录调解不成', 'failure', f => {
    const body = { on: orEmpty(val(f, 'on')), reason: val(f, 'reason') };
    if (val(f, 'next_track')) {
      Object.assign(body, { next_track: val(f, 'next_track'), next_org_code: val(f, 'next_org_code') });
      if (val(f, 'next_track') === 'reconsideration') Object.assign(body, { respondent: val(f, 'respondent'), act: val(f, 'act') });
    }
    return body;
  }, '已记录调解不成。');
}

function confirmationApplyAction() {
  return action('confirmation-apply', '申请司法确认', [
    el('div', { class: 'row' }, dateField('申请日期（默认今天）', 'applied_on')),
  ], '记录申请', 'confirmation', f => ({ applied_on: orEmpty(val(f, 'applied_on')) }), '已记录司法确认申请。');
}

function confirmationResultAction() {
  return action('confirmation-result', '司法确认结果', [
    el('div', { class: 'row' }, field('结果', select('result', Object.entries(LABELS.confirmResult))), dateField('答复日期（默认今天）', 'on')),
  ], '记录结果', 'confirmation', f => ({ result: val(f, 'result'), on: orEmpty(val(f, 'on')) }), '已记录司法确认结果。');
}

function followupAction() {
  const ratings = [[5, '5 分 · 非常满意'], [4, '4 分 · 满意'], [3, '3 分 · 基本满意'], [2, '2 分 · 不满意'], [1, '1 分 · 非常不满意']];
  return action('followup', '回访', [
    el('div', { class: 'row' }, dateField('回访日期（默认今天）', 'on'), field('当事人评价', select('rating', ratings))),
    mc.agreement ? el('label', { class: 'check' }, input('performed', { type: 'checkbox', value: 'true' }), '协议已履行') : null,
    field('回访意见', el('textarea', { name: 'comment', rows: 2 })),
  ], '保存回访', 'followups', f => {
    const performed = f.elements.namedItem('performed');
    return { on: orEmpty(val(f, 'on')), rating: Number(val(f, 'rating')), comment: val(f, 'comment'), performed: !!(performed && performed.checked) };
  }, '已记录回访。');
}

function rectifyAction() {
  return action('rectification', '差评整改', [
    el('div', { class: 'row' }, dateField('完成日期（默认今天）', 'on')),
    field('整改措施', el('textarea', { name: 'action', rows: 2 })),
  ], '完成整改', 'rectification', f => ({ on: orEmpty(val(f, 'on')), action: val(f, 'action') }), '已完成整改。', { open: true });
}

function closeAction() {
  return action('close', '结案', [
    el('div', { class: 'row' }, dateField('结案日期（默认今天）', 'on')),
  ], '结案', 'close', f => ({ on: orEmpty(val(f, 'on')) }), '已结案。');
}

// assignForm is the intake desk's (re)assignment of a waiting or assigned
// case to a mediator of the case's org.
function assignForm() {
  const form = el('form', { class: 'stack action', id: 'act-assign', novalidate: true },
    el('div', { class: 'row' }, field('调解员（用户名）', input('assignee', { type: 'text', value: mc.assignee || '', autocomplete: 'off' }),
      '须为' + (orgName(mc.org_code) || mc.org_code) + '的在岗调解员')),
    el('div', { class: 'actions' }, el('button', { type: 'submit' }, mc.assignee ? '改派' : '分派')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const btn = form.querySelector('button[type=submit]');
    btn.disabled = true;
    try {
      await api('POST', '/api/v1/mediation/cases/' + mc.id + '/assign', { assignee: val(form, 'assignee') }, { 'If-Match': '"' + mc.version + '"' });
      await load();
      showInfo('已分派给 ' + mc.assignee + '。');
    } catch (err) {
      await failed(err, form);
    } finally {
      btn.disabled = false;
    }
  });
  return el('details', { class: 'action-card', open: true, id: 'action-assign' }, el('summary', {}, '分派调解员'), form);
}

function renderActions() {
  const list = [];
  if (me.role === 'intake' && (mc.state === 'waiting' || mc.state === 'assigned')) list.push(assignForm());
  if (me.role === 'mediator' && mc.assignee === me.username) {
    const rect = (mc.rectifications || []).some(r => !r.closed_on);
    switch (mc.state) {
      case 'assigned': list.push(acceptAction()); break;
      case 'accepted':
      case 'in_mediation': list.push(sessionAction(), agreementAction(), failureAction()); break;
      case 'agreement': list.push(confirmationApplyAction(), followupAction()); break;
      case 'confirmation':
        if (!(mc.confirmation && mc.confirmation.result)) list.push(confirmationResultAction());
        list.push(followupAction());
        break;
      case 'followup':
        if (rect) list.push(rectifyAction());
        list.push(followupAction());
        if (!rect) list.push(closeAction());
        break;
      case 'failed':
        if (rect) list.push(rectifyAction());
        list.push(followupAction());
        if (!rect) list.push(closeAction());
        break;
    }
  }
  if (list.length === 0) {
    if (me.role === 'leader') return null;
    const why = mc.state === 'closed' ? '本案已结案。' : mc.state === 'transferred' ? '本案已移交其他渠道。' : '当前没有您可办理的事项。';
    return card('办理', el('p', { class: 'empty' }, why), 'actions');
  }
  if (list.length === 1 && list[0].tagName === 'DETAILS') list[0].open = true;
  return card('办理', el('div', { class: 'action-list' }, list), 'actions');
}

// ---- loading -------------------------------------------------------------

async function load() {
  mc = await api('GET', '/api/v1/mediation/cases/' + encodeURIComponent(id));
  let dispute = null;
  try {
    dispute = await api('GET', '/api/v1/disputes/' + mc.dispute_id);
  } catch (err) {
    if (err.status !== 404 && err.status !== 403) throw err;
  }
  title.replaceChildren('调解案件 ' + mc.dispute_code + ' ', stateBadge(mc.state));
  document.title = mc.dispute_code + ' · 调解案件 · 解纷';
  const msg = document.getElementById('message');
  msg.className = 'message';
  msg.textContent = '';
  content.replaceChildren(
    el('p', { class: 'muted back' }, el('a', { href: '/queue' }, '← 返回调解案件')),
    el('div', { class: 'case-layout' },
      el('div', { class: 'case-side' }, renderFacts()),
      el('div', { class: 'case-main' }, renderClocks(), renderActions(), renderRecords(), renderDispute(dispute))));
  content.dataset.version = String(mc.version);
  content.dataset.state = mc.state;
}

async function main() {
  me = await boot(['mediator', 'intake', 'leader']);
  if (!id || !/^\d+$/.test(id)) {
    showError(new Error('缺少案件编号：请从调解案件列表进入。'));
    return;
  }
  const [rules, orgList] = await Promise.all([
    api('GET', '/api/v1/deadlines/rules').catch(() => ({ items: [] })),
    api('GET', '/api/v1/orgs?limit=200').catch(() => ({ items: [] })),
  ]);
  for (const r of rules.items || []) ruleNames[r.id] = r.name;
  orgs = orgList.items || [];
  try {
    await load();
  } catch (err) {
    if (err.status === 404) {
      showError(new Error('没有找到该案件，或您无权查看。'));
      return;
    }
    throw err;
  }
}

main().catch((err) => { if (err.message !== 'redirect') showError(err); });
