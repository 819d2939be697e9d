// A browser without JavaScript on the resident's pages: it keeps the cookies it is given (the resident session,
// the CSRF seed, the language) and sends them back, and reads hidden form fields.
import type { Reply, TestApp } from './app.js';

export function residentBrowser(app: TestApp) {
  const jar = new Map<string, string>();
  const keep = (res: Reply) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [name, ...v] = pair!.split('=');
      const value = v.join('=');
      if (value) jar.set(name!.trim(), value);
      else jar.delete(name!.trim());
    }
    return res;
  };
  const headers = () => ({ accept: 'text/html', cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') });
  return {
    jar,
    get: async (path: string) => keep(await app.request('GET', path, { headers: headers() })),
    post: async (path: string, form: Record<string, string>) =>
      keep(await app.request('POST', path, { headers: headers(), form })),
  };
}

/** The value of a hidden (or any) input named `name` in a page. */
export const hidden = (html: string, name: string) =>
  new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '';
