// The console's shell: sign-in with the admin token, the page list, and hash routes
// (#/keys?state=active) so every view has an address that can be bookmarked or shared.
import { api, session, whenUnauthorized, ApiError } from './api.js';
import { clear, el, notice, announce } from './dom.js';
import * as overview from './pages/overview.js';
import * as keys from './pages/keys.js';
import * as users from './pages/users.js';
import * as providers from './pages/providers.js';
import * as models from './pages/models.js';
import * as pricing from './pages/pricing.js';
import * as usage from './pages/usage.js';
import * as requests from './pages/requests.js';

const PAGES = { overview, keys, users, providers, models, pricing, usage, requests };
const page = document.getElementById('page');
const signin = document.getElementById('signin');
const nav = document.getElementById('nav');
const who = document.getElementById('who');
let rendering = 0;

/** The current route: page name and its parameters. */
export function route() {
  const hash = location.hash.replace(/^#\/?/, '');
  const [name, query] = hash.split('?');
  return { name: PAGES[name] ? name : 'overview', params: Object.fromEntries(new URLSearchParams(query || '')) };
}

/** Goes to a page with parameters (empty ones left out). */
export function go(name, params = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== null && v !== undefined && v !== '') q.set(k, v);
  }
  const hash = '#/' + name + (q.toString() ? '?' + q : '');
  if (location.hash === hash) render();
  else location.hash = hash;
}

function showSignIn(message) {
  session.clear();
  nav.hidden = true;
  who.hidden = true;
  clear(page);
  signin.hidden = false;
  const error = document.getElementById('signin-error');
  error.hidden = !message;
  error.textContent = message || '';
  document.title = 'Sign in · TokenRouter console';
  document.getElementById('token').focus();
}

async function checkToken(token) {
  try {
    return await api('info', { token, quiet401: true });
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      throw new Error(token ? 'That is not this gateway\'s admin token. Check admin.token (or TOKENROUTER_ADMIN_TOKEN) and try again.'
        : 'Enter the admin token.');
    }
    if (e instanceof ApiError && e.status === 404) {
      throw new Error('This gateway\'s admin API is off: it was started without an admin token. Set admin.token (or TOKENROUTER_ADMIN_TOKEN) and restart it.');
    }
    throw e;
  }
}

function signedIn(info) {
  signin.hidden = true;
  nav.hidden = false;
  who.hidden = false;
  document.getElementById('gateway-info').textContent = `${info.mode} mode · ${info.database}${info.redis ? ' · Redis' : ''}`;
  render();
}

async function render() {
  const { name, params } = route();
  const mine = ++rendering;
  for (const a of nav.querySelectorAll('a')) {
    if (a.getAttribute('href') === '#/' + name) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  const container = el('div', { class: 'page', 'aria-busy': 'true' });
  clear(page, container);
  try {
    await PAGES[name].render(container, params, { go, stale: () => mine !== rendering });
  } catch (e) {
    if (mine === rendering) container.append(notice('error', e.message || String(e)));
  } finally {
    container.setAttribute('aria-busy', 'false');
  }
  if (mine === rendering) {
    const h1 = container.querySelector('h1');
    document.title = (h1 ? h1.textContent + ' · ' : '') + 'TokenRouter console';
    if (h1) {
      h1.setAttribute('tabindex', '-1');
      if (document.activeElement === document.body || nav.contains(document.activeElement)) h1.focus();
      announce(h1.textContent + ' loaded');
    }
  }
}

whenUnauthorized(() => showSignIn('The gateway refused the admin token (it may have been restarted with another one). Sign in again.'));

document.getElementById('signin-form').addEventListener('submit', async event => {
  event.preventDefault();
  const input = document.getElementById('token');
  const button = document.getElementById('signin-button');
  const error = document.getElementById('signin-error');
  const token = input.value.trim();
  error.hidden = true;
  button.disabled = true;
  try {
    const info = await checkToken(token);
    session.set(token);
    input.value = '';
    signedIn(info);
  } catch (e) {
    error.textContent = e.message;
    error.hidden = false;
    input.focus();
  } finally {
    button.disabled = false;
  }
});

document.getElementById('sign-out').addEventListener('click', () => showSignIn(null));
window.addEventListener('hashchange', () => { if (session.token()) render(); });

(async () => {
  const token = session.token();
  if (!token) {
    showSignIn(null);
    return;
  }
  try {
    signedIn(await checkToken(token));
  } catch (e) {
    showSignIn(e.message);
  }
})();
