/* tei-archive-edition: diplomatic / reading toggle for edition pages.
 * Without JavaScript the reading text shows (CSS default). The view can be chosen with
 * ?view=diplomatic or #view=diplomatic. With ?selftest the visible text of every editorial
 * element (.ed) is copied into data-visible-text, for headless browser tests. */
(function () {
  'use strict';
  var body = document.body;
  var button = document.getElementById('ui-view-toggle');
  var params = new URLSearchParams(window.location.search);
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

  function stamp() {
    if (!params.has('selftest')) {
      return;
    }
    var elements = document.querySelectorAll('.ed');
    for (var i = 0; i < elements.length; i += 1) {
      elements[i].setAttribute('data-visible-text', elements[i].innerText);
    }
    body.setAttribute('data-selftest', 'done');
  }

  if (button) {
    if (document.querySelector('.dp')) {
      button.hidden = false;
      button.addEventListener('click', function () {
        setView(body.classList.contains('diplomatic') ? 'reading' : 'diplomatic');
        stamp();
      });
    }
  }
  setView(params.get('view') || (hash && hash[1]) || 'reading');
  stamp();
}());
