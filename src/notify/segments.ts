// How many SMS segments a body costs: GSM-7 fits 160 characters (153 per part when split),
// anything outside it (Korean, for one) goes as UCS-2 at 70 (67 per part, counted in UTF-16 units).

const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
// These take two septets (an escape and the character).
const GSM7_EXTENDED = '^{}\\[~]|€\f';

const basic = new Set(GSM7_BASIC);
const extended = new Set(GSM7_EXTENDED);

export interface SegmentInfo {
  encoding: 'gsm7' | 'ucs2';
  /** septets for GSM-7, UTF-16 code units for UCS-2 */
  units: number;
  segments: number;
}

export function smsSegments(body: string): SegmentInfo {
  let septets = 0;
  let gsm = true;
  // Parts are filled greedily and an escape pair is never split, as handsets and providers do.
  let gsmSegments = 1;
  let inGsmPart = 0;
  for (const ch of body) {
    const cost = basic.has(ch) ? 1 : extended.has(ch) ? 2 : 0;
    if (cost === 0) {
      gsm = false;
      break;
    }
    septets += cost;
    if (inGsmPart + cost > 153) {
      gsmSegments++;
      inGsmPart = 0;
    }
    inGsmPart += cost;
  }
  if (gsm) return { encoding: 'gsm7', units: septets, segments: septets <= 160 ? 1 : gsmSegments };
  // A split never cuts a surrogate pair in two, so each part holds at most 67 units; astral characters may waste one.
  let segments = 1;
  let inPart = 0;
  const units = body.length;
  if (units <= 70) return { encoding: 'ucs2', units, segments: 1 };
  for (const ch of body) {
    const n = ch.length;
    if (inPart + n > 67) {
      segments++;
      inPart = 0;
    }
    inPart += n;
  }
  return { encoding: 'ucs2', units, segments };
}
