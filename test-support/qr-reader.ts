// Reads a QR code off the screen as a camera or a cart's scanner would: a picture of what the
// page drew, decoded by jsQR. Nothing is taken from the page's markup or its state.
import jsQR from 'jsqr';
import type { Locator } from 'playwright-core';

/** The text of the QR code the element shows, or undefined when none can be read off it. */
export async function readQrCode(element: Locator): Promise<string | undefined> {
  const png = await element.screenshot({ animations: 'disabled' });
  // The PNG is decoded to pixels by the browser's own image decoder (no PNG library here):
  // createImageBitmap on bytes loads no URL, so the page's Content-Security-Policy is unaffected.
  const image = await element.page().evaluate(async (base64: string) => {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
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
  return jsQR(rgba, image.width, image.height)?.data;
}
