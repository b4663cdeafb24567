// flowbook GraphView front end: draws the SVG that Python made, applies the highlight sets as
// CSS classes (no new layout), shows the node card, and reports clicks back to Python.

function render({ model, el }) {
  el.classList.add("fb-view");
  const bar = document.createElement("div");
  bar.className = "fb-bar";
  const pane = document.createElement("div");
  pane.className = "fb-pane";
  const card = document.createElement("div");
  card.className = "fb-cardbox";
  el.append(bar, pane, card);
  let index = new Map();

  function drawSvg() {
    const svg = model.get("svg");
    pane.innerHTML = "";
    if (svg) {
      pane.innerHTML = svg;
    } else {
      const pre = document.createElement("pre");
      pre.className = "fb-text";
      pre.textContent = model.get("text");
      pane.append(pre);
    }
    index = new Map();
    pane.querySelectorAll("g.node[id], g.cluster[id]").forEach((g) => index.set(g.id, g));
    paint();
  }

  function shapes(g) {
    return g.querySelectorAll("polygon, path, ellipse");
  }

  function paint() {
    const highlight = model.get("highlight") || {};
    const fills = model.get("fills") || {};
    for (const g of index.values()) {
      for (const c of [...g.classList]) if (c.startsWith("fb-")) g.classList.remove(c);
      for (const s of shapes(g)) {
        if (s.dataset.fbFill !== undefined) {
          s.setAttribute("fill", s.dataset.fbFill);
          delete s.dataset.fbFill;
        }
      }
    }
    for (const [cls, ids] of Object.entries(highlight)) {
      for (const id of ids) {
        const g = index.get(id);
        if (g) g.classList.add("fb-" + cls);
      }
    }
    for (const [id, colour] of Object.entries(fills)) {
      const g = index.get(id);
      if (!g) continue;
      for (const s of shapes(g)) {
        if (s.getAttribute("fill") === "none") continue;
        s.dataset.fbFill = s.getAttribute("fill") || "";
        s.setAttribute("fill", colour);
      }
    }
    el.dataset.selected = JSON.stringify(model.get("selected"));
  }

  function showCard() {
    card.innerHTML = model.get("card");
    card.style.display = model.get("card") ? "block" : "none";
  }

  function showStatus() {
    bar.textContent = model.get("status");
    bar.classList.toggle("fb-error", model.get("status").startsWith("error"));
  }

  function onClick(event) {
    const g = event.target.closest("g.node, g.cluster");
    if (!g || !pane.contains(g)) return;
    event.preventDefault();
    model.send({ event: "click", id: g.id, shift: event.shiftKey });
  }

  pane.addEventListener("click", onClick);
  const handlers = [
    ["change:svg", drawSvg], ["change:text", drawSvg], ["change:highlight", paint],
    ["change:fills", paint], ["change:selected", paint], ["change:card", showCard],
    ["change:status", showStatus],
  ];
  for (const [ev, fn] of handlers) model.on(ev, fn);
  drawSvg();
  showCard();
  showStatus();
  return () => {
    pane.removeEventListener("click", onClick);
    for (const [ev, fn] of handlers) model.off(ev, fn);
  };
}

export default { render };
