// The counter's QR reader for browsers without BarcodeDetector (Safari, Firefox, desktop Chromium on Linux):
// jsQR, built apart into static/counter-qr.js (an ES module) by scripts/build-counter.ts. It is over half of
// what the counter's script would weigh, so the page imports it only when the camera opens in such a browser;
// the service worker (static/counter-sw.js) keeps it for scanning offline.
import jsQRModule from 'jsqr';

/** The QR code's text in one camera frame (RGBA pixels), or undefined when the frame holds none. */
export type Decode = (pixels: Uint8ClampedArray, width: number, height: number) => string | undefined;

type JsQR = (d: Uint8ClampedArray, w: number, h: number) => { data: string } | null;
// jsqr is CommonJS with a default export in its types: take whichever the bundler hands over.
const jsQR = ((jsQRModule as unknown as { default?: JsQR }).default ?? jsQRModule) as unknown as JsQR;

export const decode: Decode = (pixels, width, height) => jsQR(pixels, width, height)?.data;
