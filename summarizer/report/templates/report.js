// A brief's page: a click on an item in the panel scrolls the article to its evidence and
// flashes it; hovering (or tapping) a highlight names the items it belongs to. What the
// page shows is set as text (textContent), never parsed as HTML, and the ids the script
// looks up are checked to be the page's own ("e1", "f2", "q3").
(function () {
  "use strict";
  var NAMES = { event: "Event", figure: "Figure", quote: "Quote" };
  var ID = /^[efq][0-9]+$/;
  var data = JSON.parse(document.getElementById("brief-data").textContent);
  var tip = document.getElementById("tip");
  var reduced = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var selected = [];
  var hot = [];

  function all(selector) {
    return Array.prototype.slice.call(document.querySelectorAll(selector));
  }

  function piecesOf(id) {
    return ID.test(id) ? all('#article mark[data-items~="' + id + '"]') : [];
  }

  function entriesOf(id) {
    return ID.test(id) ? all('[data-entry="' + id + '"]') : [];
  }

  function select(id) {
    selected.forEach(function (node) {
      node.classList.remove("selected", "flash", "current");
    });
    var pieces = piecesOf(id);
    selected = pieces.concat(entriesOf(id));
    if (!pieces.length) {
      return;
    }
    pieces[0].scrollIntoView({ block: "center", behavior: reduced ? "auto" : "smooth" });
    pieces.forEach(function (mark) {
      mark.classList.add("selected");
      void mark.offsetWidth; // so the flash starts again on a second click
      mark.classList.add("flash");
    });
    entriesOf(id).forEach(function (entry) {
      entry.classList.add("current");
    });
  }

  function hide() {
    tip.hidden = true;
    hot.forEach(function (entry) {
      entry.classList.remove("hot");
    });
    hot = [];
  }

  function explain(mark) {
    hide();
    tip.textContent = "";
    mark.getAttribute("data-items").split(" ").forEach(function (id) {
      var item = ID.test(id) && data.items[id];
      if (!item) {
        return;
      }
      var line = document.createElement("div");
      var name = document.createElement("b");
      line.className = "tip-line k-" + (NAMES[item.kind] ? item.kind : "item");
      name.textContent = NAMES[item.kind] || "Item";
      line.appendChild(name);
      line.appendChild(document.createTextNode(" " + item.label));
      tip.appendChild(line);
      hot = hot.concat(entriesOf(id));
    });
    hot.forEach(function (entry) {
      entry.classList.add("hot");
    });
    var box = mark.getClientRects()[0] || mark.getBoundingClientRect();
    tip.hidden = false;
    var above = box.top - tip.offsetHeight - 6; // above the line, so the next stays readable
    var top = above >= 4 ? above : box.bottom + 6;
    var left = Math.min(box.left, window.innerWidth - tip.offsetWidth - 8);
    tip.style.top = top + "px";
    tip.style.left = Math.max(left, 4) + "px";
  }

  function markAt(target) {
    return target && target.closest ? target.closest("#article mark[data-items]") : null;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-item]") : null;
    if (link) {
      event.preventDefault();
      select(link.getAttribute("data-item"));
      return;
    }
    var mark = markAt(event.target);
    if (mark) {
      explain(mark);
    } else {
      hide();
    }
  });
  document.addEventListener("mouseover", function (event) {
    var mark = markAt(event.target);
    if (mark) {
      explain(mark);
    }
  });
  document.addEventListener("mouseout", function (event) {
    var mark = markAt(event.target);
    if (mark && !mark.contains(event.relatedTarget)) {
      hide();
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      hide();
    }
  });
  window.addEventListener("scroll", hide, { passive: true });
})();
