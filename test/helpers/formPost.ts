// What a browser posts from a form page as served: every named input, select and textarea with the value the page
// gave it, those hidden by CSS included (a browser sends them unless disabled); an unticked checkbox is not sent.
const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};
const text = (s: string) => s.replace(/&(amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e] ?? e);
const attr = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];

/** The fields of the first `<form>` in `page` whose action is `action`, as the browser would post them. */
export function formPostOf(page: string, action: string): Record<string, string> {
  const form = page.split(`action="${action}"`)[1]?.split('</form>')[0];
  if (form === undefined) throw new Error(`no form posting to ${action}`);
  const fields: Record<string, string> = {};
  for (const [tag] of form.matchAll(/<input\b[^>]*>/g)) {
    const name = attr(tag, 'name');
    if (!name || (attr(tag, 'type') === 'checkbox' && !/\schecked\b/.test(tag))) continue;
    fields[name] = text(attr(tag, 'value') ?? '');
  }
  for (const [, open, options] of form.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
    const name = attr(open!, 'name');
    const chosen =
      /<option\b[^>]*\sselected\b[^>]*>/.exec(options!)?.[0] ?? /<option\b[^>]*>/.exec(options!)?.[0];
    if (name && chosen) fields[name] = text(attr(chosen, 'value') ?? '');
  }
  for (const [, open, value] of form.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
    const name = attr(open!, 'name');
    if (name) fields[name] = text(value!);
  }
  return fields;
}
