import { api, homeOf, param, showError } from '../app.js';

const form = document.getElementById('login');
form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const data = Object.fromEntries(new FormData(form));
  try {
    const res = await api('POST', '/api/v1/auth/login?cookie=true', { username: data.username, password: data.password });
    location.href = sameOrigin(param('next')) || homeOf(res.user.role);
  } catch (err) {
    showError(err.status === 401 ? new Error('用户名或密码错误') : err.status === 423 ? new Error('账户已锁定，请稍后再试') : err, form);
  }
});

// sameOrigin returns next as a path of this site, or '' when it would lead
// elsewhere: browsers read /\host and //host as another host, so the URL
// is resolved the way the browser will and its origin compared.
function sameOrigin(next) {
  if (!next || !next.startsWith('/')) return '';
  try {
    const u = new URL(next, location.origin);
    return u.origin === location.origin ? u.pathname + u.search + u.hash : '';
  } catch (e) {
    return '';
  }
}
