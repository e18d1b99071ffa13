import { api, homeOf, param, sameOrigin, showError } from '../app.js';

const form = document.getElementById('login');
form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const data = Object.fromEntries(new FormData(form));
  try {
    const res = await api('POST', '/api/v1/auth/login?cookie=true', { username: data.username, password: data.password });
    const next = sameOrigin(param('next')) || homeOf(res.user.role);
    // A one-time or too old password is changed before anything else.
    location.href = res.user.must_change_password ? '/password?next=' + encodeURIComponent(next) : next;
  } catch (err) {
    showError(err.status === 401 ? new Error('用户名或密码错误') : err.status === 423 ? new Error('账户已锁定，请稍后再试') : err, form);
  }
});
