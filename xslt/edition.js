/* tei-archive-edition: the behaviour of edition pages and of the collection index.
 * Plain script, no modules, no network: everything works from file://.
 *
 * Document pages: the diplomatic / reading toggle (?view=diplomatic or #view=diplomatic; without
 * JavaScript the reading text shows), the aligned counterpart of a passage highlighted on hover
 * or focus with the link's confidence, and the facsimile viewer (zoom, pan, the folio the reader
 * is at highlighted while scrolling, page-break links opening their folio).
 * Index: sorting (?sort=date-desc) and the filter box (?q=words).
 * With ?selftest the visible text of every editorial element (.ed) is copied into
 * data-visible-text and layout figures are stamped on <html>, for headless browser tests. */
(function () {
  'use strict';
  var body = document.body;
  var root = document.documentElement;
  var params = new URLSearchParams(window.location.search);

  /* ------------------------------------------------------------ diplomatic / reading */

  var button = document.getElementById('ui-view-toggle');
  var hash = /(?:^#|[&;])view=(diplomatic|reading)\b/.exec(window.location.hash);

  function setView(view) {
    var diplomatic = view === 'diplomatic';
    body.classList.toggle('diplomatic', diplomatic);
    body.classList.toggle('reading', !diplomatic);
    body.setAttribute('data-view', diplomatic ? 'diplomatic' : 'reading');
    if (button) {
      button.setAttribute('aria-pressed', diplomatic ? 'true' : 'false');
    }
  }

  /* ------------------------------------------------------------ aligned counterparts */

  function setupCounterparts() {
    var view = document.getElementById('ui-parallel');
    if (!view) {
      return;
    }
    var active = null;
    function activate(row) {
      if (row === active) {
        return;
      }
      if (active) {
        active.classList.remove('pv-active');
      }
      active = row;
      if (row) {
        row.classList.add('pv-active');
      }
    }
    function rowOf(target) {
      return target && target.closest ? target.closest('.pv-row[data-link]') : null;
    }
    view.addEventListener('mouseover', function (ev) { activate(rowOf(ev.target)); });
    view.addEventListener('mouseleave', function () { activate(null); });
    view.addEventListener('focusin', function (ev) { activate(rowOf(ev.target)); });
    view.addEventListener('focusout', function (ev) {
      if (!rowOf(ev.relatedTarget)) {
        activate(null);
      }
    });
  }

  /* ------------------------------------------------------------ facsimile viewer */

  function setupViewer() {
    var viewer = document.getElementById('ui-viewer');
    if (!viewer) {
      return;
    }
    var items = Array.prototype.slice.call(document.querySelectorAll('.surfaces li[data-full]'));
    if (!items.length) {
      return;
    }
    var stage = viewer.querySelector('.facs-stage');
    var img = stage.querySelector('img');
    var label = viewer.querySelector('.facs-label');
    var current = null;
    var scale = 1;
    var x = 0;
    var y = 0;

    function apply() {
      img.style.transform = 'translate(' + x + 'px,' + y + 'px) scale(' + scale + ')';
      viewer.setAttribute('data-zoom', scale.toFixed(2));
      viewer.setAttribute('data-pan', Math.round(x) + ',' + Math.round(y));
    }
    function zoom(factor, cx, cy) {
      var next = Math.min(8, Math.max(1, scale * factor));
      var box = stage.getBoundingClientRect();
      var px = (cx === undefined ? box.width / 2 : cx) - x;
      var py = (cy === undefined ? box.height / 2 : cy) - y;
      x -= px * (next / scale - 1);
      y -= py * (next / scale - 1);
      scale = next;
      if (scale === 1) {
        x = 0;
        y = 0;
      }
      apply();
    }
    function show(li, reason) {
      if (!li || li === current) {
        return;
      }
      if (current) {
        current.classList.remove('current');
        current.removeAttribute('aria-current');
      }
      current = li;
      li.classList.add('current');
      li.setAttribute('aria-current', 'true');
      img.src = li.getAttribute('data-full');
      img.alt = li.getAttribute('data-label');
      label.textContent = li.getAttribute('data-label');
      viewer.setAttribute('data-folio', li.id);
      viewer.setAttribute('data-opened-by', reason);
      scale = 1;
      x = 0;
      y = 0;
      apply();
    }
    function step(delta) {
      var i = items.indexOf(current) + delta;
      if (i >= 0 && i < items.length) {
        show(items[i], 'button');
      }
    }

    viewer.hidden = false;
    viewer.addEventListener('click', function (ev) {
      var b = ev.target.closest('button[data-act]');
      if (!b) {
        return;
      }
      var act = b.getAttribute('data-act');
      if (act === 'in') { zoom(1.5); }
      if (act === 'out') { zoom(1 / 1.5); }
      if (act === 'fit') { scale = 1; x = 0; y = 0; apply(); }
      if (act === 'prev') { step(-1); }
      if (act === 'next') { step(1); }
    });
    stage.addEventListener('wheel', function (ev) {
      ev.preventDefault();
      var box = stage.getBoundingClientRect();
      zoom(ev.deltaY < 0 ? 1.2 : 1 / 1.2, ev.clientX - box.left, ev.clientY - box.top);
    }, { passive: false });
    var drag = null;
    stage.addEventListener('pointerdown', function (ev) {
      drag = { px: ev.clientX, py: ev.clientY, x: x, y: y };
      stage.setPointerCapture(ev.pointerId);
    });
    stage.addEventListener('pointermove', function (ev) {
      if (drag) {
        x = drag.x + ev.clientX - drag.px;
        y = drag.y + ev.clientY - drag.py;
        apply();
      }
    });
    stage.addEventListener('pointerup', function () { drag = null; });
    stage.addEventListener('keydown', function (ev) {
      var moves = { ArrowLeft: [40, 0], ArrowRight: [-40, 0], ArrowUp: [0, 40], ArrowDown: [0, -40] };
      if (ev.key === '+' || ev.key === '=') { zoom(1.5); } else if (ev.key === '-') { zoom(1 / 1.5); } else if (moves[ev.key]) {
        x += moves[ev.key][0];
        y += moves[ev.key][1];
        apply();
      } else {
        return;
      }
      ev.preventDefault();
    });

    // page-break links and thumbnails open their folio in the viewer
    document.addEventListener('click', function (ev) {
      var a = ev.target.closest ? ev.target.closest('a[href^="#ui-facs-"]') : null;
      if (!a) {
        return;
      }
      var li = document.getElementById(a.getAttribute('href').slice(1));
      if (li && li.hasAttribute('data-full')) {
        ev.preventDefault();
        show(li, a.classList.contains('pb') ? 'pb' : 'thumbnail');
        if (a.classList.contains('pb')) {
          viewer.scrollIntoView({ block: 'nearest' });
        }
      }
    });

    // the folio the reader is at: the last page break above the upper third of the window
    var breaks = Array.prototype.slice.call(document.querySelectorAll('#ui-text a.pb[href^="#ui-facs-"]'));
    var pending = false;
    function track() {
      pending = false;
      var line = window.innerHeight / 3;
      var at = null;
      for (var i = 0; i < breaks.length; i += 1) {
        if (breaks[i].getBoundingClientRect().top <= line) {
          at = breaks[i];
        }
      }
      var li = document.getElementById((at || breaks[0] || { getAttribute: function () { return '#'; } })
        .getAttribute('href').slice(1));
      if (li && li.hasAttribute('data-full')) {
        show(li, 'scroll');
      }
    }
    // throttled by a timer, not an animation frame: a headless or background tab may draw
    // no frame for a long time, and the folio would then not follow the text
    window.addEventListener('scroll', function () {
      if (!pending) {
        pending = true;
        window.setTimeout(track, 50);
      }
    }, { passive: true });
    var first = window.location.hash && document.getElementById(window.location.hash.slice(1));
    if (first && first.hasAttribute('data-full')) {
      show(first, 'hash');
    } else {
      show(items[0], 'start');
      track();
    }
  }

  /* ------------------------------------------------------------ index: sort and filter */

  function setupIndex() {
    var table = document.getElementById('ui-index');
    if (!table) {
      return;
    }
    var tbody = table.tBodies[0];
    var heads = table.tHead.rows[0].cells;
    function value(row, key) { return row.getAttribute('data-' + key) || ''; }
    function sortBy(key, dir) {
      var rows = Array.prototype.slice.call(tbody.rows);
      rows.sort(function (a, b) {
        var p = value(a, key);
        var q = value(b, key);
        if (key === 'date' && (p === '') !== (q === '')) { return p === '' ? 1 : -1; }
        var c = p.localeCompare(q);
        if (c === 0) { c = Number(value(a, 'pos')) - Number(value(b, 'pos')); }
        return dir === 'descending' ? -c : c;
      });
      rows.forEach(function (r) { tbody.appendChild(r); });
      for (var i = 0; i !== heads.length; i += 1) {
        if (heads[i].hasAttribute('data-key')) {
          heads[i].setAttribute('aria-sort', heads[i].getAttribute('data-key') === key ? dir : 'none');
        }
      }
    }
    table.tHead.addEventListener('click', function (ev) {
      var b = ev.target.closest('button[data-sort]');
      if (!b) { return; }
      var th = b.parentNode;
      sortBy(b.getAttribute('data-sort'), th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending');
    });
    var wanted = /[?&]sort=(date|title)(?:-(asc|desc))?/.exec(window.location.search);
    if (wanted) { sortBy(wanted[1], wanted[2] === 'desc' ? 'descending' : 'ascending'); }

    var box = document.getElementById('ui-filter-box');
    var input = document.getElementById('ui-filter');
    var count = document.getElementById('ui-filter-count');
    if (!box || !input) { return; }
    box.hidden = false;
    function filter() {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      var rows = tbody.rows;
      for (var i = 0; i < rows.length; i += 1) {
        var text = value(rows[i], 'search');
        var ok = words.every(function (w) { return text.indexOf(w) !== -1; });
        rows[i].hidden = !ok;
        shown += ok ? 1 : 0;
      }
      count.textContent = words.length ? shown + ' of ' + rows.length + ' shown' : '';
      table.setAttribute('data-shown', String(shown));
    }
    input.addEventListener('input', filter);
    if (params.get('q')) {
      input.value = params.get('q');
    }
    filter();
  }

  /* ------------------------------------------------------------ self-test figures */

  // The page's scroll width against the viewport, and the elements reaching past its right
  // edge (tag.class right-edge, at most 12).
  function measure() {
    var width = window.innerWidth;
    var wide = [];
    var all = body.getElementsByTagName('*');
    for (var i = 0; i < all.length && wide.length < 12; i += 1) {
      var box = all[i].getBoundingClientRect();
      if (box.width > 0 && box.right > width + 0.5 && !all[i].closest('.vh, .skip-link')) {
        wide.push(all[i].tagName.toLowerCase() + '.' + String(all[i].className).split(' ').join('.') +
          ' ' + Math.round(box.right));
      }
    }
    root.setAttribute('data-scroll-width', String(root.scrollWidth));
    root.setAttribute('data-inner-width', String(width));
    root.setAttribute('data-too-wide', wide.join(' | '));
  }

  function stamp() {
    if (!params.has('selftest')) {
      return;
    }
    // actions a test asks for: &click=SELECTOR, &hover=SELECTOR, &focus=SELECTOR,
    // &press=KEY (a key pressed where the focus is), &scroll=SELECTOR (scrolled to the top
    // of the window); the result is in the DOM
    var click = params.get('click') && document.querySelector(params.get('click'));
    if (click) {
      click.click();
    }
    var hover = params.get('hover') && document.querySelector(params.get('hover'));
    if (hover) {
      hover.dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
    }
    var focus = params.get('focus') && document.querySelector(params.get('focus'));
    if (focus) {
      focus.focus({ preventScroll: true });
    }
    if (params.get('press') && document.activeElement) {
      document.activeElement.dispatchEvent(
        new KeyboardEvent('keydown', { key: params.get('press'), bubbles: true, cancelable: true }));
    }
    var scrollTo = params.get('scroll') && document.querySelector(params.get('scroll'));
    if (scrollTo) {
      scrollTo.scrollIntoView({ block: 'start' });
      window.dispatchEvent(new Event('scroll'));
    }
    var elements = document.querySelectorAll('.ed');
    for (var i = 0; i < elements.length; i += 1) {
      elements[i].setAttribute('data-visible-text', elements[i].innerText);
    }
    measure();
    body.setAttribute('data-selftest', 'done');
  }

  if (button && document.querySelector('.dp')) {
    button.hidden = false;
    button.addEventListener('click', function () {
      setView(body.classList.contains('diplomatic') ? 'reading' : 'diplomatic');
      stamp();
    });
  }
  if (body.classList.contains('doc-page')) {
    setView(params.get('view') || (hash && hash[1]) || 'reading');
    setupCounterparts();
    setupViewer();
  }
  setupIndex();
  stamp();
}());
