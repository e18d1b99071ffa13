// 系统管理 (/admin): the accounts the caller manages (姓名, 角色, 状态, 最后登录;
// 重置密码, 解锁, 停用, 启用) and a form to create one, the orgs, the routing
// rules in force (version and size), the holiday tables of this year and
// the next, the scheduled jobs with their last runs, and the webhook
// deliveries that gave up (dead letters). The calendar's state comes from
// the list of loaded years (GET /api/v1/calendar), so that the page asks
// only for tables that are loaded and makes no failing request. For the
// security administrator (账号管理) the page holds the accounts and the
// password policy (密码策略) only.
import { api, boot, el, table, showError, showInfo, todayISO, phoneCards, fetchAll, passwordRule } from '../app.js';
import { LABELS, label } from '../labels.js';

const content = document.getElementById('content');
let orgNames = {};

function card(title, id, ...body) {
  return el('section', { class: 'card', id }, el('h2', {}, title), ...body);
}

function fmtTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (isNaN(d)) return iso;
  return d.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false, year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

function orgCell(code) {
  if (!code) return el('span', { class: 'muted' }, '—');
  return orgNames[code] ? code + ' ' + orgNames[code] : code;
}

// ---- Users ---------------------------------------------------------------

// 三员分立 (auth.Manages on the server): the system administrator manages
// the business roles' accounts, the security administrator the
// administrators' and the auditor's.
const ADMINISTRATIVE = ['admin', 'security', 'auditor'];
function managedRoles(role) {
  const all = Object.keys(LABELS.role);
  if (role === 'admin') return all.filter(r => !ADMINISTRATIVE.includes(r));
  if (role === 'security') return ADMINISTRATIVE;
  return [];
}

function stateBadge(u) {
  const cls = { active: 'badge ok', locked: 'badge bad', disabled: 'badge quiet', must_change_password: 'badge warn' }[u.state] || 'badge';
  return el('span', { class: cls, dataset: { state: u.state } }, label('accountState', u.state));
}

function usersCard(me, users, orgs, policy) {
  const list = el('div', { id: 'user-list', class: 'scroll' });
  const count = el('p', { class: 'muted', id: 'user-count' });
  // act runs an account action and puts the answer in the list; a reset
  // shows the one-time password once.
  const act = async (u, action, confirmText) => {
    if (confirmText && !window.confirm(confirmText)) return;
    try {
      const res = await api('POST', '/api/v1/users/' + encodeURIComponent(u.username) + '/' + action);
      if (action === 'reset-password') {
        const fresh = await api('GET', '/api/v1/users/' + encodeURIComponent(u.username));
        users[users.indexOf(u)] = fresh;
        showInfo('已重置 ' + u.username + ' 的密码。一次性密码：' + res.password + '（只显示这一次，请当面或经安全渠道告知本人；登录后须先修改密码）');
      } else {
        users[users.indexOf(u)] = res;
        showInfo({ unlock: '已解锁 ', disable: '已停用 ', enable: '已启用 ' }[action] + u.username);
      }
      render();
    } catch (err) {
      showError(err);
    }
  };
  const buttons = u => {
    const own = u.id === me.id;
    return el('span', { class: 'actions inline' },
      own ? null : el('button', { type: 'button', class: 'secondary', dataset: { action: 'reset-password' },
        onclick: () => act(u, 'reset-password', '重置 ' + u.username + ' 的密码？其登录将全部退出。') }, '重置密码'),
      u.state === 'locked' ? el('button', { type: 'button', class: 'secondary', dataset: { action: 'unlock' }, onclick: () => act(u, 'unlock') }, '解锁') : null,
      u.active && !own ? el('button', { type: 'button', class: 'secondary', dataset: { action: 'disable' },
        onclick: () => act(u, 'disable', '停用 ' + u.username + '？停用后不能登录。') }, '停用') : null,
      !u.active ? el('button', { type: 'button', class: 'secondary', dataset: { action: 'enable' }, onclick: () => act(u, 'enable') }, '启用') : null);
  };
  const columns = [
    { title: '用户名', get: u => u.username },
    { title: '姓名', get: u => u.name || '—' },
    { title: '角色', get: u => label('role', u.role) },
    { title: '单位', get: u => orgCell(u.org) },
    { title: '状态', get: stateBadge },
    { title: '最后登录', get: u => fmtTime(u.last_login_at) },
    { title: '操作', get: buttons },
  ];
  function render() {
    list.replaceChildren(table(columns, users, '暂无用户'));
    const byRole = {};
    for (const u of users) byRole[u.role] = (byRole[u.role] || 0) + 1;
    count.textContent = '共 ' + users.length + ' 个账号：' + Object.keys(LABELS.role).filter(r => byRole[r])
      .map(r => label('role', r) + ' ' + byRole[r]).join('，');
  }
  const form = el('form', { class: 'stack', id: 'user-form', autocomplete: 'off' },
    el('div', { class: 'row' },
      el('label', {}, '用户名', el('input', { name: 'username', required: true, autocomplete: 'off' })),
      el('label', {}, '姓名', el('input', { name: 'name', maxlength: 32, autocomplete: 'off' })),
      el('label', {}, '初始密码', el('input', { name: 'password', type: 'password', required: true, minlength: policy.min_length,
        autocomplete: 'new-password', placeholder: passwordRule(policy) }))),
    el('div', { class: 'row' },
      el('label', {}, '角色', el('select', { name: 'role', required: true }, el('option', { value: '' }, '请选择'),
        managedRoles(me.role).map(r => el('option', { value: r }, label('role', r))))),
      orgs ? el('label', {}, '所属单位（可选）', el('select', { name: 'org' }, el('option', { value: '' }, '无'),
        orgs.map(o => el('option', { value: o.code }, o.code + ' ' + o.name)))) : null),
    el('p', { class: 'muted' }, '三员分立：系统管理员管理业务人员账号，安全管理员管理系统管理员、安全管理员和审计员账号；三者不得由同一人兼任。'),
    el('div', { class: 'actions' }, el('button', { type: 'submit' }, '创建用户')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = n => form.elements[n] ? form.elements[n].value.trim() : '';
    try {
      const u = await api('POST', '/api/v1/users', { username: v('username'), name: v('name'), password: form.elements.password.value,
        role: v('role'), org: v('org') });
      users.push(u);
      render();
      form.reset();
      form.querySelectorAll('.field-error').forEach(x => x.remove());
      form.querySelectorAll('.invalid').forEach(x => x.classList.remove('invalid'));
      showInfo('已创建用户 ' + u.username + '（' + label('role', u.role) + '）');
    } catch (err) {
      showError(err, form);
    }
  });
  render();
  return card('用户', 'users', count, list,
    el('details', { class: 'create', id: 'user-create' }, el('summary', {}, '＋ 创建用户'), form));
}

// ---- Password policy -----------------------------------------------------

// The fields of the password policy, with the bounds the server holds:
// API.md's policy is the floor, a looser value is refused.
const POLICY_FIELDS = [
  ['min_length', '密码最少位数', 10, 64],
  ['min_classes', '至少包含几类字符', 3, 4],
  ['max_age_days', '密码有效期（天，0为永不过期）', 0, 365],
  ['lockout_failures', '连续输错几次锁定', 3, 5],
  ['lockout_window_minutes', '输错计数时段（分钟）', 15, 1440],
  ['lockout_minutes', '锁定时长（分钟）', 30, 1440],
];

// policyCard lets the security administrator set the password policy; it
// applies to every account at once.
function policyCard(policy) {
  const form = el('form', { class: 'stack', id: 'policy-form', autocomplete: 'off' },
    [POLICY_FIELDS.slice(0, 3), POLICY_FIELDS.slice(3)].map(fields => el('div', { class: 'row' }, fields.map(([name, text, min, max]) =>
      el('label', {}, text, el('input', { name, type: 'number', required: true, min, max, step: 1, value: String(policy[name]) }))))),
    el('p', { class: 'muted' }, '不得低于平台基本要求：至少10位，含大写字母、小写字母、数字、符号中的至少三类；15分钟内输错5次锁定30分钟。修改后对所有账号立即生效：此后设置的密码按新规则检查，密码有效期按新天数计算。'),
    el('div', { class: 'actions' }, el('button', { type: 'submit' }, '保存密码策略')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = Object.fromEntries(POLICY_FIELDS.map(([name]) => [name, Number(form.elements[name].value)]));
    try {
      policy = await api('PUT', '/api/v1/auth/password-policy', body, { 'If-Match': '"' + policy.version + '"' });
      form.querySelectorAll('.field-error').forEach(x => x.remove());
      form.querySelectorAll('.invalid').forEach(x => x.classList.remove('invalid'));
      showInfo('密码策略已保存：新密码' + passwordRule(policy) + '。');
    } catch (err) {
      showError(err, form);
    }
  });
  return card('密码策略', 'password-policy', form);
}

// ---- Orgs, routing -------------------------------------------------------

function orgsCard(orgs) {
  const kinds = {};
  for (const o of orgs) kinds[o.kind] = (kinds[o.kind] || 0) + 1;
  return card('组织机构', 'orgs',
    el('p', { class: 'muted' }, '共 ' + orgs.length + ' 个：' + Object.keys(LABELS.orgKind).filter(k => kinds[k])
      .map(k => label('orgKind', k) + ' ' + kinds[k]).join('，')),
    el('div', { class: 'scroll' }, table([
      { title: '代码', get: o => o.code },
      { title: '名称', get: o => o.name, class: 'wrap' },
      { title: '类别', get: o => label('orgKind', o.kind) },
      { title: '上级', get: o => o.parent_code || '—' },
      { title: '别名', get: o => (o.aliases || []).join('、') || '—', class: 'wrap' },
    ], orgs, '暂无组织机构')));
}

function routingCard(rs) {
  const rules = rs.rules || [];
  return card('分流规则', 'routing',
    el('div', { class: 'kpis small' },
      el('div', { class: 'kpi' }, el('b', { id: 'routing-version' }, String(rs.version)), el('span', {}, '当前版本')),
      el('div', { class: 'kpi' }, el('b', { id: 'routing-count' }, String(rules.length)), el('span', {}, '条规则')),
      el('div', { class: 'kpi' }, el('b', {}, String(Object.keys(rs.townships || {}).length)), el('span', {}, '个乡镇街道调委会'))),
    table([
      { title: '规则', get: r => el('span', { title: r.reason || '' }, r.name) },
      { title: '渠道', get: r => label('track', r.track) },
      { title: '承办', get: r => r.by_township ? '纠纷发生地乡镇街道调委会' : orgCell(r.org), class: 'wrap' },
    ], rules, '没有规则'));
}

// ---- Calendar ------------------------------------------------------------

// calendarYears says which of this year and the next have a holiday table
// ("loaded" or "missing"), from the list of loaded years.
async function calendarYears(thisYear) {
  const res = await api('GET', '/api/v1/calendar');
  const loaded = new Set((res.items || []).map(y => y.year));
  return { [thisYear]: loaded.has(thisYear) ? 'loaded' : 'missing', [thisYear + 1]: loaded.has(thisYear + 1) ? 'loaded' : 'missing' };
}

async function calendarCard() {
  const today = todayISO();
  const thisYear = Number(today.slice(0, 4));
  const years = await calendarYears(thisYear);
  const rows = [];
  for (const y of [thisYear, thisYear + 1]) {
    let view = null;
    let st = years[y];
    if (st === 'loaded') {
      try {
        view = await api('GET', '/api/v1/calendar/' + y);
      } catch (err) {
        st = err.status === 404 ? 'missing' : 'unchecked';
      }
    }
    rows.push({ year: y, state: st, view });
  }
  const stateCell = r => {
    if (r.state === 'loaded') return el('span', { class: 'badge ok', dataset: { year: String(r.year), state: 'loaded' } }, '已导入');
    if (r.state === 'missing') return el('span', { class: 'badge bad', dataset: { year: String(r.year), state: 'missing' } }, '未导入');
    return el('span', { class: 'badge quiet', dataset: { year: String(r.year), state: 'unchecked' } }, '无法读取');
  };
  const missing = rows.filter(r => r.state === 'missing');
  return card('节假日表', 'calendar',
    phoneCards(table([
      { title: '年度', get: r => String(r.year) },
      { title: '状态', get: stateCell },
      { title: '来源', get: r => r.view ? label('calendarSource', r.view.source) : '—' },
      { title: '依据', get: r => r.view ? [r.view.title || '', r.view.doc_no ? '（' + r.view.doc_no + '）' : ''].join('') || '—' : '—', class: 'wrap' },
      { title: '节假日', get: r => r.view ? String(r.view.holidays.length) : '—' },
      { title: '调休上班', get: r => r.view ? String(r.view.make_up_workdays.length) : '—' },
      { title: '工作日', get: r => r.view ? String(r.view.working_days) : '—' },
    ], rows)),
    missing.length ? el('p', { class: 'message error' }, missing.map(r => r.year).join('、') + ' 年节假日表未导入：到期日落在该年度的期限无法计算。' +
      '国务院办公厅通知发布后，用 PUT /api/v1/calendar/' + missing[0].year + ' 或 jiefen calendar import 导入。') : null);
}

// ---- Jobs, dead letters --------------------------------------------------

function outcomeCell(run) {
  if (!run) return el('span', { class: 'muted' }, '尚未运行');
  const cls = run.outcome === 'ok' ? 'badge ok' : run.outcome === 'failed' ? 'badge bad' : 'badge';
  return el('span', { class: cls }, label('outcome', run.outcome));
}

function jobsCard(jobs) {
  if (!jobs.length) {
    return card('定时任务', 'jobs', el('p', { class: 'empty', id: 'jobs-empty' }, '本实例未运行定时任务。'));
  }
  return card('定时任务', 'jobs', phoneCards(table([
    { title: '任务', get: j => el('span', { title: j.name }, label('job', j.name)) },
    { title: '计划', get: j => el('code', {}, j.schedule) },
    { title: '下次运行', get: j => fmtTime(j.next_at) },
    { title: '上次运行', get: j => j.last_run ? fmtTime(j.last_run.started_at) : '—' },
    { title: '结果', get: j => outcomeCell(j.last_run) },
    { title: '错误', get: j => j.last_run && j.last_run.error ? j.last_run.error : '', class: 'error-text' },
  ], jobs)));
}

function deadCard(items) {
  return card('推送失败（已停止重试）', 'dead-letters',
    el('p', { class: 'muted' }, 'Webhook 推送多次重试仍失败后不再重试，请排查接收方。'),
    phoneCards(table([
      { title: '事件', get: d => '#' + d.event_id },
      { title: '类型', get: d => label('notification', d.kind) },
      { title: '接收方', get: d => d.webhook },
      { title: '尝试次数', get: d => String(d.attempts) },
      { title: '状态', get: d => label('deliveryState', d.state) },
      { title: '最后错误', get: d => d.last_error || '—', class: 'error-text' },
    ], items, '没有停止重试的推送')));
}

async function main() {
  const me = await boot(['admin', 'security']);
  if (me.role === 'security') {
    // The security administrator manages accounts and reaches nothing else.
    document.getElementById('title').textContent = '账号管理';
    const [users, policy] = await Promise.all([fetchAll('/api/v1/users'), api('GET', '/api/v1/auth/password-policy')]);
    content.append(el('div', { class: 'stack-page' }, usersCard(me, users, null, policy), policyCard(policy)));
    content.dataset.ready = 'true';
    return;
  }
  const [orgs, users, rules, jobs, dead, policy] = await Promise.all([
    fetchAll('/api/v1/orgs'),
    fetchAll('/api/v1/users'),
    api('GET', '/api/v1/routing/rules'),
    api('GET', '/api/v1/jobs'),
    api('GET', '/api/v1/notifications/deliveries?state=dead'),
    api('GET', '/api/v1/auth/password-policy'),
  ]);
  orgNames = Object.fromEntries(orgs.map(o => [o.code, o.name]));
  const calendar = await calendarCard();
  content.append(el('div', { class: 'stack-page' },
    jobsCard(jobs.items || []),
    el('div', { class: 'grid' }, calendar, deadCard(dead.items || [])),
    usersCard(me, users, orgs, policy),
    el('div', { class: 'grid' }, routingCard(rules), orgsCard(orgs))));
  content.dataset.ready = 'true';
}

main().catch((err) => { if (err.message !== 'redirect') showError(err); });
