// Shared by every page: the API client (browser session cookie, CSRF
// header on writes), the header with the pages a role may use, and small
// DOM helpers. No inline scripts anywhere: the pages load modules.
import { label } from './labels.js';

export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.error && body.error.message) || ('HTTP ' + status));
    this.status = status;
    this.code = body && body.error && body.error.code;
    this.fields = (body && body.error && body.error.fields) || [];
  }
}

export function cookie(name) {
  for (const part of document.cookie.split(';')) {
    const [k, v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v || '');
  }
  return '';
}

// api calls the JSON API with the session cookie; a write carries the CSRF
// token. 401 sends the user to the login page.
export async function api(method, path, body, headers) {
  // The pages are Chinese, so are the messages they show, whatever language
  // the browser itself prefers (a headless or English-language browser
  // would otherwise get English messages; see Accept-Language in API.md).
  const h = Object.assign({ Accept: 'application/json', 'Accept-Language': 'zh-CN' }, headers || {});
  const init = { method, headers: h, credentials: 'same-origin' };
  if (method !== 'GET' && method !== 'HEAD') {
    h['X-CSRF-Token'] = cookie('jiefen_csrf');
    if (body !== undefined && !(body instanceof Blob) && !(body instanceof FormData)) {
      h['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    } else if (body !== undefined) {
      init.body = body;
    }
  }
  const res = await fetch(path, init);
  if (res.status === 401 && !path.startsWith('/api/v1/auth/login')) {
    location.href = '/login?next=' + encodeURIComponent(location.pathname + location.search);
    throw new ApiError(401, null);
  }
  const text = await res.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch (e) { data = null; }
  }
  const err = res.ok ? null : new ApiError(res.status, data);
  if (err && err.code === 'password_change_required' && location.pathname !== '/password') {
    location.href = passwordPage();
    throw new Error('redirect');
  }
  if (err) throw err;
  return data;
}

// el builds an element: el('a', {href: '/x', class: 'btn'}, 'text', child…).
export function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

// table renders rows under columns [{title, get(row) → text|Node, class}].
export function table(columns, rows, empty) {
  if (!rows || rows.length === 0) return el('p', { class: 'empty' }, empty || '暂无数据');
  return el('div', { class: 'table-wrap' }, el('table', {},
    el('thead', {}, el('tr', {}, columns.map(c => el('th', {}, c.title)))),
    el('tbody', {}, rows.map(r => el('tr', {}, columns.map(c => el('td', { class: c.class || null }, c.get(r))))))));
}

export function pct(x) {
  return x === null || x === undefined ? '—' : (x * 100).toFixed(1) + '%';
}

// LIVE are the states of a duty still to be done (API.md clocks[]).
const LIVE = ['running', 'paused', 'overdue'];

// liveDuty is the duty of a case that falls due first among those still to
// be done (running, paused or overdue), or null: a window the parties may
// use, or a duty met, late or cancelled, never orders a queue.
export function liveDuty(clocks) {
  const live = (clocks || []).filter(k => k.kind === 'duty' && LIVE.includes(k.state) && k.due);
  live.sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : 0));
  return live[0] || null;
}

// provisionalMark is 暂计 beside a due day counted on the provisional
// calendar (next year's State Council notice is not out yet), with the
// reason on hover.
export function provisionalMark(k) {
  if (!k || !k.provisional) return null;
  return el('span', { class: 'provisional', title: k.basis || '节假日安排尚未公布，按法定节日暂计' }, '暂计');
}

// clockBadge shows a clock (API.md clocks[]): a live duty's due day, red
// only when the duty is overdue; a window (the parties' option) and a duty
// that is done or cancelled in quiet words; 暂计 beside a provisional day.
export function clockBadge(k) {
  if (!k) return el('span', { class: 'muted' }, '—');
  if (!k.due) return el('span', { class: 'muted', title: k.basis }, '无法计算');
  const word = {
    overdue: ' 已超期', paused: '（中止）', late: ' 超期办结', cancelled: ' 已取消', met: '', running: '',
    open: ' 前可行使', used: ' 已行使', lapsed: ' 已届满',
  }[k.state] || '';
  const cls = k.state === 'overdue' ? 'badge overdue' : k.state === 'late' ? 'badge warn'
    : ['met', 'cancelled', 'used', 'lapsed'].includes(k.state) ? 'badge quiet' : 'badge';
  return el('span', { class: 'clock-badge', dataset: { state: k.state, kind: k.kind || '' } },
    el('span', { class: cls, title: k.basis }, k.due + word), provisionalMark(k));
}

export function todayISO() {
  const d = new Date(Date.now() + 8 * 3600 * 1000); // Asia/Shanghai
  return d.toISOString().slice(0, 10);
}

// showError puts an error in the page's message area; field errors go next
// to their inputs (name = field, dots as in the API).
export function showError(err, form) {
  const box = document.getElementById('message');
  if (form) {
    form.querySelectorAll('.field-error').forEach(x => x.remove());
    form.querySelectorAll('.invalid').forEach(x => x.classList.remove('invalid'));
    for (const f of (err.fields || [])) {
      const input = form.querySelector('[name="' + CSS.escape(f.field) + '"]');
      // Next to its input the message stands alone (the input's label is
      // beside it); a field the form has no input for keeps its path.
      const msg = el('span', { class: 'field-error', 'data-field': f.field }, input ? f.message : f.field + '：' + f.message);
      if (input) {
        input.classList.add('invalid');
        input.insertAdjacentElement('afterend', msg);
      } else if (box) {
        box.append(msg);
      }
    }
  }
  if (box) {
    box.className = 'message error';
    box.textContent = err.message || String(err);
  }
}

export function showInfo(text) {
  const box = document.getElementById('message');
  if (box) {
    box.className = 'message info';
    box.textContent = text;
  }
}

// The pages of each role, in menu order.
const MENU = [
  { path: '/dashboard', text: '总览', roles: ['leader', 'court_liaison', 'agency_staff'] },
  { path: '/queue', text: '调解案件', roles: ['mediator', 'intake', 'leader'] },
  { path: '/intake', text: '纠纷登记', roles: ['intake'] },
  { path: '/reconsideration', text: '行政复议', roles: ['reconsideration', 'agency_staff', 'leader'] },
  { path: '/liaison', text: '府院联动', roles: ['court_liaison', 'agency_staff', 'leader'] },
  { path: '/admin', text: '系统管理', roles: ['admin'] },
  { path: '/admin', text: '账号管理', roles: ['security'] },
  { path: '/report', text: '年度报告', roles: ['leader', 'admin'] },
];

// passwordRule says in Chinese what a new password must be under the
// password policy (GET /api/v1/auth/password-policy).
export function passwordRule(p) {
  return '至少' + p.min_length + '位，' + (p.min_classes >= 4 ? '须同时含小写字母、大写字母、数字和符号'
    : '含小写字母、大写字母、数字、符号中的至少三类');
}

// passwordPage is the 修改密码 page, coming back here afterwards.
export function passwordPage() {
  return '/password?next=' + encodeURIComponent(location.pathname + location.search);
}

export function homeOf(role) {
  const m = MENU.find(x => x.roles.includes(role));
  return m ? m.path : '/login';
}

// boot loads the user, draws the header and returns the user. A user who
// must change the password is sent to 修改密码 first; a role that may not
// use the page is sent to its own first page.
export async function boot(roles) {
  const me = await api('GET', '/api/v1/auth/me');
  if (me.must_change_password && location.pathname !== '/password') {
    location.href = passwordPage();
    throw new Error('redirect');
  }
  if (roles && !roles.includes(me.role)) {
    location.href = homeOf(me.role);
    throw new Error('redirect');
  }
  const nav = el('nav', { class: 'menu' }, MENU.filter(m => m.roles.includes(me.role)).map(m =>
    el('a', { href: m.path, class: location.pathname === m.path ? 'active' : null }, m.text)));
  const who = el('span', { class: 'who' }, (me.name || me.username) + '（' + label('role', me.role) + (me.org ? '·' + (me.org_name || me.org) : '') + '）');
  const pw = el('a', { href: '/password', id: 'change-password' }, '修改密码');
  const out = el('button', { type: 'button', class: 'link', id: 'logout', onclick: async () => {
    try { await api('POST', '/api/v1/auth/logout'); } finally { location.href = '/login'; }
  } }, '退出');
  // 通知 waits until the password is changed: until then the API refuses it.
  const notices = NOTICE_ROLES.includes(me.role) && !me.must_change_password ? el('a', { href: '/notifications', id: 'notices-link', class: location.pathname === '/notifications' ? 'active' : null },
    '通知', el('span', { class: 'notice-count', id: 'notice-count', hidden: true })) : null;
  const header = document.getElementById('header');
  header.replaceChildren(el('a', { href: homeOf(me.role), class: 'brand' }, '解纷 · 汝州市三调联动平台'), nav, el('div', { class: 'user' }, notices, who, pw, out));
  if (notices) refreshNotices().catch(() => {}); // the page works without the count
  return me;
}

// NOTICE_ROLES are the roles that receive in-app notifications (GET
// /api/v1/notifications is everyone's but the auditor's and the security
// administrator's).
export const NOTICE_ROLES = ['admin', 'intake', 'mediator', 'reconsideration', 'agency_staff', 'court_liaison', 'leader'];

// NOTICE_CAP is the most unread notifications the header counts; more
// show as 99+.
const NOTICE_CAP = 99;
let noticeAsk = 0;

// refreshNotices asks for the user's unread notifications and shows their
// number beside 通知 in the header (nothing when there are none); it
// returns the number. Of two calls in flight, only the later one's answer
// is shown.
export async function refreshNotices() {
  const ask = ++noticeAsk;
  const res = await api('GET', '/api/v1/notifications?unread=true&limit=' + (NOTICE_CAP + 1));
  const n = (res.items || []).length;
  const badge = document.getElementById('notice-count');
  if (badge && ask === noticeAsk) {
    badge.textContent = n > NOTICE_CAP ? NOTICE_CAP + '+' : String(n);
    badge.hidden = n === 0;
    badge.dataset.count = String(n);
    document.getElementById('notices-link').title = n ? '未读通知 ' + badge.textContent + ' 条' : '没有未读通知';
  }
  return n;
}

export function param(name) {
  return new URLSearchParams(location.search).get(name);
}

// fetchAll follows next_cursor through a list, at most pages pages of 200.
export async function fetchAll(path, pages) {
  const items = [];
  let cursor = '';
  for (let i = 0; i < (pages || 10); i++) {
    const sep = path.includes('?') ? '&' : '?';
    const res = await api('GET', path + sep + 'limit=200' + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''));
    items.push(...(res.items || []));
    cursor = res.next_cursor || '';
    if (!cursor) break;
  }
  return items;
}

// orgNamer reads the org table once and returns how a page names an org:
// by its name, the code only for an org the table does not know. People
// read names; codes stay in links and data attributes.
export async function orgNamer(short) {
  const orgs = await fetchAll('/api/v1/orgs', 5);
  const names = new Map(orgs.map(o => [o.code, short ? shortName(o) : o.name]));
  return code => (code ? names.get(code) || code : '');
}

// shortName is an org's 短名 where space is short (a chart's axis): its
// shortest alias written in Chinese characters (市政府, 公安局), else its name.
function shortName(o) {
  const han = (o.aliases || []).filter(a => /^\p{Script=Han}+$/u.test(a) && a.length < o.name.length);
  return han.sort((a, b) => a.length - b.length)[0] || o.name;
}

// phoneCards marks a table to show its rows as cards on a phone: each cell
// carries its column's title (the pages' CSS shows it).
export function phoneCards(box) {
  const heads = Array.from(box.querySelectorAll('thead th')).map(th => th.textContent);
  box.querySelectorAll('tbody tr').forEach(tr => Array.from(tr.cells).forEach((td, i) => { td.dataset.label = heads[i] || ''; }));
  box.classList.add('phone-cards');
  return box;
}

// sameOrigin returns next as a path of this site, or '' when it would lead
// elsewhere: browsers read /\host and //host as another host, so the URL
// is resolved the way the browser will and its origin compared.
export function sameOrigin(next) {
  if (!next || !next.startsWith('/')) return '';
  try {
    const u = new URL(next, location.origin);
    return u.origin === location.origin ? u.pathname + u.search + u.hash : '';
  } catch (e) {
    return '';
  }
}
