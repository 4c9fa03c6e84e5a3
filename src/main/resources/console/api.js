// Calls to the admin API with the admin token the user signed in with. The token is kept in this
// tab's sessionStorage (gone when the tab closes) and sent as "Authorization: Bearer <token>".
// URLs are relative to the console (../api-keys from /admin/ui/), so a proxy prefix keeps working.

const KEY = 'tokenrouter.admin-token';

export const session = {
  token: () => sessionStorage.getItem(KEY),
  set: t => sessionStorage.setItem(KEY, t),
  clear: () => sessionStorage.removeItem(KEY),
};

/** A refusal or failure, with the gateway's own message when it sent one. */
export class ApiError extends Error {
  constructor(status, message, code, param) {
    super(message);
    this.status = status;
    this.code = code;
    this.param = param;
  }
}

let onUnauthorized = () => {};

/** What to do when the gateway refuses the token (it was changed, or the gateway restarted with another). */
export function whenUnauthorized(handler) {
  onUnauthorized = handler;
}

export function adminUrl(path, params) {
  const url = new URL('../' + path, document.baseURI);
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== null && v !== undefined && v !== '') url.searchParams.set(k, v);
  }
  return url;
}

/**
 * GET/POST/PATCH/DELETE an admin path ('api-keys', 'usage'...). Answers the parsed JSON (or the text
 * when csv is set); throws an ApiError whose message is fit to show.
 */
export async function api(path, { method = 'GET', params, body, csv = false, token = session.token(), quiet401 = false } = {}) {
  const headers = { Authorization: 'Bearer ' + (token || '') };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  headers.Accept = csv ? 'text/csv' : 'application/json';
  let res;
  try {
    res = await fetch(adminUrl(path, params), {
      method, headers, cache: 'no-store', credentials: 'omit',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, 'The gateway did not answer. Check that it is running and reachable from this browser, then try again.', 'unreachable');
  }
  const text = await res.text();
  if (!res.ok) {
    let message = `The gateway answered ${res.status}${res.statusText ? ' ' + res.statusText : ''}.`;
    let code = null;
    let param = null;
    try {
      const error = JSON.parse(text).error;
      if (error && error.message) {
        message = error.message;
        code = error.code;
        param = error.param;
      }
    } catch (notJson) { /* keep the status line */ }
    if (res.status === 401 && !quiet401) onUnauthorized();
    throw new ApiError(res.status, message, code, param);
  }
  if (csv) return text;
  return text ? JSON.parse(text) : null;
}

/** Every page of a listing that pages by offset, up to maxRows rows. */
export async function all(path, params, maxRows = 10000) {
  const rows = [];
  let offset = 0;
  let last;
  for (;;) {
    last = await api(path, { params: { ...params, limit: 1000, offset } });
    rows.push(...last.data);
    if (!last.has_more || rows.length >= maxRows) break;
    offset = last.next_offset;
  }
  return { ...last, data: rows, truncated: !!last.has_more };
}

/** Saves text as a file the browser downloads. */
export function download(filename, text, type = 'text/csv') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
