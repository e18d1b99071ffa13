import { api, homeOf, param, showError } from '../app.js';

const form = document.getElementById('login');
form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const data = Object.fromEntries(new FormData(form));
  try {
    const res = await api('POST', '/api/v1/auth/login?cookie=true', { username: data.username, password: data.password });
    const next = param('next');
    location.href = next && next.startsWith('/') && !next.startsWith('//') ? next : homeOf(res.user.role);
  } catch (err) {
    showError(err.status === 401 ? new Error('用户名或密码错误') : err.status === 423 ? new Error('账户已锁定，请稍后再试') : err, form);
  }
});
