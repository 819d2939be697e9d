// A camera for headless Chromium that films one QR code: a Y4M file (raw 4:2:0 frames, played in a loop) drawn
// from the qrcode package's modules, and the flags that make getUserMedia answer with it, unasked.
import fs from 'node:fs';
import path from 'node:path';
import QRCode from 'qrcode';

/** Writes `dir`/qr.y4m showing `text` as a QR code; returns the launch flags for a camera that films it. */
export function qrCamera(dir: string, text: string, width = 640, height = 480): string[] {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = modules.size;
  const scale = Math.floor(Math.min(width, height) / (n + 8)); // a quiet zone of four modules each side
  const left = Math.floor((width - n * scale) / 2);
  const top = Math.floor((height - n * scale) / 2);
  const luma = Buffer.alloc(width * height, 235); // white, in video range
  for (let r = 0; r < n; r++)
    for (let c = 0; c < n; c++) {
      if (!modules.get(r, c)) continue;
      for (let y = 0; y < scale; y++) {
        const at = (top + r * scale + y) * width + left + c * scale;
        luma.fill(16, at, at + scale); // black
      }
    }
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128); // no colour
  const file = path.join(dir, 'qr.y4m');
  fs.writeFileSync(
    file,
    Buffer.concat([
      Buffer.from(`YUV4MPEG2 W${width} H${height} F15:1 Ip A1:1 C420jpeg\nFRAME\n`),
      luma,
      chroma,
    ]),
  );
  return [
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
    `--use-file-for-fake-video-capture=${file}`,
  ];
}
