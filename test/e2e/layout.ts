/**
 * @file Layout checks any page state must pass, for the browser tests: the document is never
 * taller or wider than the window (the app scrolls inside itself, so nothing scrolls the page
 * into emptiness), and every visible control is reachable by a pointer at its own position
 * (nothing pinned or overlaid covers it). Both walk the shadow roots, where the controls live.
 */
import type { Page } from 'playwright-core';

/** How far the document overflows the window, in pixels (0 when it fits). */
export function documentOverflow(page: Page): Promise<{ height: number; width: number; scrollY: number }> {
  return page.evaluate(() => {
    const doc = document.scrollingElement ?? document.documentElement;
    return {
      height: doc.scrollHeight - window.innerHeight,
      width: doc.scrollWidth - window.innerWidth,
      scrollY: window.scrollY,
    };
  });
}

/**
 * The visible controls that a pointer at their visible centre does not reach, described as
 * `host tag "name" at (x, y) under <tag class>`: a control is visible where its box, clipped by
 * the window and by every scrolling or clipping ancestor (across shadow roots; a scroller's
 * scroll-padding, where it declares a pinned bar, excluded), has an area; it is reached when the
 * element under that point, looked up through the shadow roots, is the control or inside it.
 */
export function unreachableControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const SELECTOR =
      'button, input:not([type=hidden]), select, textarea, a[href], summary, [role=tab], [tabindex]:not([tabindex="-1"])';
    const controls: Element[] = [];
    const walk = (root: Document | ShadowRoot) => {
      for (const el of root.querySelectorAll('*')) {
        if (el.matches(SELECTOR)) controls.push(el);
        if (el.shadowRoot) walk(el.shadowRoot);
      }
    };
    walk(document);
    const parentOf = (el: Element): Element | null =>
      el.parentElement ?? ((el.getRootNode() as ShadowRoot).host as Element | undefined) ?? null;
    const deepHit = (x: number, y: number): Element | null => {
      let hit = document.elementFromPoint(x, y);
      while (hit?.shadowRoot) {
        const inner = hit.shadowRoot.elementFromPoint(x, y);
        if (!inner || inner === hit) break;
        hit = inner;
      }
      return hit;
    };
    const deepContains = (outer: Element, inner: Element | null): boolean => {
      for (let e: Element | null = inner; e; e = parentOf(e)) if (e === outer) return true;
      return false;
    };
    const problems: string[] = [];
    for (const el of controls) {
      if (!el.checkVisibility({ opacityProperty: true, visibilityProperty: true, contentVisibilityAuto: true }))
        continue;
      const r = el.getBoundingClientRect();
      if (r.width < 2 || r.height < 2) continue;
      let left = Math.max(r.left, 0),
        top = Math.max(r.top, 0),
        right = Math.min(r.right, window.innerWidth),
        bottom = Math.min(r.bottom, window.innerHeight);
      for (let a = parentOf(el); a && right > left && bottom > top; a = parentOf(a)) {
        const s = getComputedStyle(a);
        if (s.overflowX === 'visible' && s.overflowY === 'visible') continue;
        // A scroller's scroll-padding is where it declares a pinned bar covers it.
        const c = a.getBoundingClientRect();
        const pad = (side: 'Top' | 'Right' | 'Bottom' | 'Left') =>
          /auto|scroll/.test(s.overflowX + s.overflowY) ? Number.parseFloat(s[`scrollPadding${side}`]) || 0 : 0;
        left = Math.max(left, c.left + pad('Left'));
        top = Math.max(top, c.top + pad('Top'));
        right = Math.min(right, c.right - pad('Right'));
        bottom = Math.min(bottom, c.bottom - pad('Bottom'));
      }
      if (right - left < 1 || bottom - top < 1) continue;
      const x = (left + right) / 2,
        y = (top + bottom) / 2;
      const hit = deepHit(x, y);
      if (deepContains(el, hit)) continue;
      const name = (el.getAttribute('aria-label') ?? (el as HTMLElement).innerText ?? '').trim().slice(0, 40);
      const under = hit ? `<${hit.tagName.toLowerCase()}${hit.className ? ` ${hit.className}` : ''}>` : 'nothing';
      const host = (el.getRootNode() as ShadowRoot).host?.tagName.toLowerCase() ?? 'document';
      problems.push(
        `${host} ${el.tagName.toLowerCase()} "${name}" at (${Math.round(x)}, ${Math.round(y)}) under ${under}`,
      );
    }
    return problems;
  });
}

/** Scrolls every scrolling element (across shadow roots) to its end; returns how many there were. */
export function scrollEverythingToEnd(page: Page): Promise<number> {
  return page.evaluate(() => {
    let n = 0;
    const walk = (root: Document | ShadowRoot) => {
      for (const el of root.querySelectorAll('*')) {
        if (el.scrollHeight > el.clientHeight + 1 && /auto|scroll/.test(getComputedStyle(el).overflowY)) {
          el.scrollTop = el.scrollHeight;
          n++;
        }
        if (el.shadowRoot) walk(el.shadowRoot);
      }
    };
    walk(document);
    return n;
  });
}

/**
 * The visible selects (across shadow roots) too narrow for the option they show, as
 * `host "text"`: the text's width in the select's font, plus its padding and arrow, must fit.
 */
export function truncatedSelects(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const ARROW = 20;
    const out: string[] = [];
    const measure = document.createElement('canvas').getContext('2d')!;
    const walk = (root: Document | ShadowRoot) => {
      for (const el of root.querySelectorAll('*')) {
        if (el instanceof HTMLSelectElement && el.checkVisibility() && el.selectedOptions.length) {
          const s = getComputedStyle(el);
          measure.font = `${s.fontSize} ${s.fontFamily}`;
          const text = el.selectedOptions[0].text;
          const need =
            measure.measureText(text).width +
            Number.parseFloat(s.paddingLeft) +
            Number.parseFloat(s.paddingRight) +
            ARROW;
          if (need > el.clientWidth + 1) out.push(`${(el.getRootNode() as ShadowRoot).host?.tagName ?? ''} "${text}"`);
        }
        if (el.shadowRoot) walk(el.shadowRoot);
      }
    };
    walk(document);
    return out;
  });
}
