// Reads a QR code off the screen as a camera or a cart's scanner would: a picture of what the
// page drew, decoded by jsQR. Nothing is taken from the page's markup or its state.
import jsqr from 'jsqr';
import type { Locator } from 'playwright-core';

// jsqr is CommonJS: under Node's ESM the default import is module.exports, its function is .default.
const decodeQr = jsqr.default;

/** What the evaluated function uses of the browser (the project's types have no DOM library). */
interface PageImaging {
  createImageBitmap(blob: Blob): Promise<{ width: number; height: number }>;
  OffscreenCanvas: new (
    width: number,
    height: number,
  ) => {
    getContext(kind: '2d'): {
      drawImage(image: unknown, x: number, y: number): void;
      getImageData(
        x: number,
        y: number,
        w: number,
        h: number,
      ): {
        data: Uint8ClampedArray;
        width: number;
        height: number;
      };
    } | null;
  };
}

/** The text of the QR code the element shows, or undefined when none can be read off it. */
export async function readQrCode(element: Locator): Promise<string | undefined> {
  const png = await element.screenshot({ animations: 'disabled' });
  // The PNG is decoded to pixels by the browser's own image decoder (no PNG library here):
  // createImageBitmap on bytes loads no URL, so the page's Content-Security-Policy is unaffected.
  const image = await element.page().evaluate(async (base64: string) => {
    const page = globalThis as unknown as PageImaging;
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const bitmap = await page.createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const canvas = new page.OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2d canvas');
    context.drawImage(bitmap, 0, 0);
    const { data, width, height } = context.getImageData(0, 0, bitmap.width, bitmap.height);
    let binary = '';
    for (let i = 0; i < data.length; i += 0x8000) {
      binary += String.fromCharCode(...data.subarray(i, i + 0x8000));
    }
    return { width, height, rgba: btoa(binary) };
  }, png.toString('base64'));
  const rgba = new Uint8ClampedArray(Buffer.from(image.rgba, 'base64'));
  return decodeQr(rgba, image.width, image.height)?.data;
}
