// A pickup site's words in a reader's language. Its name, district, address and opening hours are kept in Korean
// and in English (the English district, address and hours optional); every page, notice and API answer that says
// where to collect asks here, so an English reader sees the English words wherever an operator gave them, and the
// Korean ones (never nothing) where not.

/** A site's words as stored: Korean in `district`/`address`, English beside; '' (or absent) is not given. */
export interface SiteWording {
  name_ko: string;
  name_en: string;
  district?: string | null | undefined;
  district_en?: string | null | undefined;
  address?: string | null | undefined;
  address_en?: string | null | undefined;
  hours_ko?: string | null | undefined;
  hours_en?: string | null | undefined;
}

/** What a reader is shown: each in their language, else in the other one; '' where neither was given. */
export interface SiteWords {
  name: string;
  district: string;
  address: string;
  hours: string;
}

const inLang = (ko: string | null | undefined, en: string | null | undefined, lang: string): string =>
  (lang === 'en' ? en || ko : ko || en) || '';

export function siteWords(s: SiteWording, lang: string): SiteWords {
  return {
    name: inLang(s.name_ko, s.name_en, lang),
    district: inLang(s.district, s.district_en, lang),
    address: inLang(s.address, s.address_en, lang),
    hours: inLang(s.hours_ko, s.hours_en, lang),
  };
}

/** Whether a site is in the district asked for, named in either language; no district asked: every site is. */
export function inDistrict(
  s: Pick<SiteWording, 'district' | 'district_en'>,
  district: string | undefined,
): boolean {
  return !district || s.district === district || (Boolean(s.district_en) && s.district_en === district);
}

/**
 * The districts to pick from, once each, in the order first met: the value is the Korean district (the filter's
 * key, as links and the API know it), the label the reader's words for it (the first English one given for it).
 */
export function districtChoices(
  sites: ReadonlyArray<Pick<SiteWording, 'district' | 'district_en'>>,
  lang: string,
): Array<{ value: string; label: string }> {
  const labels = new Map<string, string>();
  for (const s of sites) {
    if (!s.district) continue;
    const label = inLang(s.district, s.district_en, lang);
    if (!labels.has(s.district) || labels.get(s.district) === s.district) labels.set(s.district, label);
  }
  return [...labels].map(([value, label]) => ({ value, label }));
}
