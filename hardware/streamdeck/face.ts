// One Stream Deck key drawn as the desk's lamp: the state colour filling the key (dark while off or in
// a blink's dark half), the key's label, and the return time under it while that reason is in force.
// Rasterised with @napi-rs/canvas (Skia; its binaries come inside npm packages), which the driver loads
// on first use.
import type { KeyFace, LedColor } from '../port.js';

type Canvas = typeof import('@napi-rs/canvas');

/** Background colours per lamp colour; `off` is the key's dark face. */
export const FACE_COLORS: Record<LedColor | 'off', string> = {
  green: '#1e8c3a',
  red: '#c62828',
  amber: '#e69500',
  blue: '#1565c0',
  white: '#e0e0e0',
  off: '#202020',
};

/** Words on as many lines as fit, at most two; a word longer than a line is cut. */
export function wrap(text: string, fits: (line: string) => boolean): string[] {
  const lines: string[] = [];
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const last = lines.at(-1);
    if (last !== undefined && fits(`${last} ${word}`)) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines.slice(0, 2).map((line) => {
    let cut = line;
    while (cut.length > 1 && !fits(cut)) cut = cut.slice(0, -1);
    return cut;
  });
}

/** RGBA pixels of one key, `size` square. */
export function drawFace(
  canvas: Canvas,
  size: number,
  face: KeyFace | undefined,
  color: LedColor | 'off',
): Uint8Array {
  const c = canvas.createCanvas(size, size);
  const ctx = c.getContext('2d');
  ctx.fillStyle = FACE_COLORS[color];
  ctx.fillRect(0, 0, size, size);
  if (face) {
    ctx.fillStyle = color === 'white' || color === 'amber' ? '#000000' : '#ffffff';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    const px = Math.round(size / 6);
    ctx.font = `bold ${px}px DejaVu Sans, sans-serif`;
    // Swedish label first: "Lunch / Lunch" shows as its first half on a small key
    const text = face.text.split(' / ')[0] ?? face.text;
    const lines = wrap(text, (line) => ctx.measureText(line).width <= size - 6);
    const top = face.detail ? size * 0.3 : size * 0.5 - ((lines.length - 1) * px) / 2;
    for (const [i, line] of lines.entries()) ctx.fillText(line, size / 2, top + i * px * 1.1);
    if (face.detail) {
      ctx.font = `${Math.round(px * 1.1)}px DejaVu Sans, sans-serif`;
      ctx.fillText(face.detail, size / 2, size * 0.78);
    }
  }
  return new Uint8Array(ctx.getImageData(0, 0, size, size).data.buffer);
}
