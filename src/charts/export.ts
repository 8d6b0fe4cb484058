/**
 * @file "Export chart as PNG": composes what a chart shows (its canvases, the HTML text of its
 * title, subtitle, captions and legend, and the legend swatches) onto one canvas, at the
 * positions the browser laid them out, and encodes it. Reading the layout back, rather than
 * re-drawing each chart, keeps one exporter for every chart; controls (`[data-no-export]`)
 * are left out.
 */

/** A PNG of the chart element as shown, on white, at the device pixel ratio (canvases stay pixel-exact). */
export async function chartToPng(el: HTMLElement): Promise<Blob> {
  const root: ParentNode = el.shadowRoot ?? el;
  const box = el.getBoundingClientRect();
  const scale = Math.max(1, globalThis.devicePixelRatio || 1);
  const out = document.createElement('canvas');
  out.width = Math.max(1, Math.round(box.width * scale));
  out.height = Math.max(1, Math.round(box.height * scale));
  const ctx = out.getContext('2d')!;
  ctx.scale(scale, scale);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, box.width, box.height);
  const at = (r: DOMRect) => ({ x: r.left - box.left, y: r.top - box.top, w: r.width, h: r.height });

  for (const c of root.querySelectorAll('canvas')) {
    const r = at(c.getBoundingClientRect());
    if (r.w > 0 && r.h > 0 && c.width > 0 && c.height > 0 && visible(c)) ctx.drawImage(c, r.x, r.y, r.w, r.h);
  }
  for (const s of root.querySelectorAll<HTMLElement>('.swatch'))
    if (visible(s)) drawSwatch(ctx, s, at(s.getBoundingClientRect()));
  drawTexts(ctx, root, at);

  return new Promise((resolve, reject) =>
    out.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'),
  );
}

function visible(e: Element): boolean {
  if (e.closest('[data-no-export]')) return false;
  const s = getComputedStyle(e);
  return s.display !== 'none' && s.visibility !== 'hidden' && Number(s.opacity) > 0;
}

type Box = { x: number; y: number; w: number; h: number };

function drawSwatch(ctx: CanvasRenderingContext2D, e: HTMLElement, r: Box): void {
  const s = getComputedStyle(e);
  ctx.save();
  ctx.globalAlpha = Number(s.opacity) || 1;
  const color = e.style.getPropertyValue('--c') || s.borderTopColor;
  const round = parseFloat(s.borderTopLeftRadius) >= r.w / 2 - 0.5;
  const bw = parseFloat(s.borderTopWidth) || 0;
  const sideBorder = (parseFloat(s.borderLeftWidth) || 0) > 0;
  if (round) {
    ctx.beginPath();
    ctx.arc(r.x + r.w / 2, r.y + r.h / 2, r.w / 2 - bw / 2, 0, 2 * Math.PI);
    ctx.fillStyle = s.backgroundColor;
    ctx.fill();
    if (bw > 0) {
      ctx.lineWidth = bw;
      ctx.strokeStyle = s.borderTopColor;
      ctx.stroke();
    }
  } else if (bw > 0 && !sideBorder) {
    // A line sample: the top border, dashed or dotted as shown.
    ctx.strokeStyle = s.borderTopColor;
    ctx.lineWidth = bw;
    ctx.setLineDash(s.borderTopStyle === 'dashed' ? [bw * 2, bw * 1.5] : s.borderTopStyle === 'dotted' ? [bw, bw] : []);
    ctx.beginPath();
    ctx.moveTo(r.x, r.y + bw / 2);
    ctx.lineTo(r.x + r.w, r.y + bw / 2);
    ctx.stroke();
  } else {
    const hatched = e.classList.contains('hatch'); // a CSS gradient: redrawn as stripes
    ctx.fillStyle = hatched ? color : s.backgroundColor;
    ctx.fillRect(r.x, r.y, r.w, r.h);
    if (hatched) {
      ctx.beginPath();
      ctx.rect(r.x, r.y, r.w, r.h);
      ctx.clip();
      ctx.strokeStyle = '#fff';
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      for (let d = -r.h; d < r.w; d += 4) {
        ctx.moveTo(r.x + d, r.y + r.h);
        ctx.lineTo(r.x + d + r.h, r.y);
      }
      ctx.stroke();
    }
  }
  ctx.restore();
}

/** Every visible text node, word by word at its laid-out position (so wrapped lines stay wrapped). */
function drawTexts(ctx: CanvasRenderingContext2D, root: ParentNode, at: (r: DOMRect) => Box): void {
  const walker = document.createTreeWalker(root as Node, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const parent = n.parentElement;
    const text = n.textContent ?? '';
    if (!parent || !text.trim() || !visible(parent) || parent.closest('style, option, select')) continue;
    const s = getComputedStyle(parent);
    ctx.font = `${s.fontStyle} ${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
    ctx.fillStyle = s.color;
    ctx.textBaseline = 'middle';
    for (const m of text.matchAll(/\S+/g)) {
      range.setStart(n, m.index!);
      range.setEnd(n, m.index! + m[0].length);
      const r = at(range.getBoundingClientRect());
      if (r.w > 0) ctx.fillText(m[0], r.x, r.y + r.h / 2);
    }
  }
}
