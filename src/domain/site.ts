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
  /** the language each is in: the reader's, or the other where only that was given (a page marks it lang="ko") */
  langs: Record<'name' | 'district' | 'address' | 'hours', 'ko' | 'en'>;
}

function inLang(ko: string | null | undefined, en: string | null | undefined, lang: string) {
  const [first, second] = lang === 'en' ? (['en', 'ko'] as const) : (['ko', 'en'] as const);
  const given = { ko, en };
  if (given[first]) return { text: given[first], lang: first };
  return given[second] ? { text: given[second], lang: second } : { text: '', lang: first };
}

export function siteWords(s: SiteWording, lang: string): SiteWords {
  const name = inLang(s.name_ko, s.name_en, lang);
  const district = inLang(s.district, s.district_en, lang);
  const address = inLang(s.address, s.address_en, lang);
  const hours = inLang(s.hours_ko, s.hours_en, lang);
  return {
    name: name.text,
    district: district.text,
    address: address.text,
    hours: hours.text,
    langs: { name: name.lang, district: district.lang, address: address.lang, hours: hours.lang },
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
): Array<{ value: string; label: string; lang: 'ko' | 'en' }> {
  const labels = new Map<string, { text: string; lang: 'ko' | 'en' }>();
  for (const s of sites) {
    if (!s.district) continue;
    const label = inLang(s.district, s.district_en, lang);
    if (!labels.has(s.district) || labels.get(s.district)?.text === s.district) labels.set(s.district, label);
  }
  return [...labels].map(([value, label]) => ({ value, label: label.text, lang: label.lang }));
}
