// Links in notices to a resident's own pages: one place builds them so every notice carries the language.
export type ResidentPage = 'application' | 'queue' | 'audit';

/** `{publicUrl}/campaigns/{id}/{page}`, with `lang=en` for English readers (Korean is the default). */
export function residentPageUrl(
  publicUrl: string,
  campaignId: string,
  page: ResidentPage,
  lang: string,
  query: Record<string, string> = {},
): string {
  const params = new URLSearchParams(query);
  if (lang === 'en') params.set('lang', 'en');
  const search = params.toString();
  return `${publicUrl}/campaigns/${campaignId}/${page}${search ? `?${search}` : ''}`;
}
