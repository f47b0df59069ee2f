"""Text drawn on canvases, which the DOM cannot measure: an init script that records every fillText and
strokeText with its size in CSS pixels, for the projector rule (issue 24: no text under 13 px at 1920 x 1080).

    context.add_init_script(CANVAS_TEXT); ...; page.evaluate(DRAWN) -> [{text, px, canvas, connected}, ...]

The size is the context's font size times its transform's scale times the canvas's CSS width over its pixel
width; a fillText squeezed to a maxWidth counts smaller.
"""

CANVAS_TEXT = """(() => {
  window.__canvasText = [];
  const proto = CanvasRenderingContext2D.prototype;
  for (const name of ['fillText', 'strokeText']) {
    const original = proto[name];
    proto[name] = function (text, x, y, maxWidth) {
      const canvas = this.canvas, found = /(\\d+(?:\\.\\d+)?)px/.exec(this.font), t = this.getTransform();
      const css = canvas.width ? canvas.getBoundingClientRect().width / canvas.width : 0;
      let px = (found ? Number(found[1]) : 0) * Math.hypot(t.a, t.b) * css;
      if (maxWidth !== undefined) {
        const width = this.measureText(String(text)).width;
        if (width > maxWidth) px *= maxWidth / width;
      }
      window.__canvasText.push({ text: String(text), px, canvas: canvas.className || canvas.tagName,
                                 connected: canvas.isConnected });
      return original.apply(this, arguments);
    };
  }
})();"""
DRAWN = "() => window.__canvasText"
MIN_PX = 13  # a projector's smallest readable text (issue 24)


def small_canvas_text(page) -> list[str]:
    """The strings on canvases still on the page that were drawn under MIN_PX, "size canvas: text"."""
    shown = [t for t in page.evaluate(DRAWN) if t["connected"] and t["text"].strip()]
    return sorted({f"{t['px']:.1f}px {t['canvas']}: {t['text']}" for t in shown if t["px"] < MIN_PX - 0.01})
