// Asked for while the app's code is still downloading (issue 18, slow devices): on a slow-3G network this saves a
// round trip and more after the code has run.
// - The messages of the visit's language (a chunk of their own each, named by index.html's dar-kg-en-messages and
//   dar-kg-km-messages; the language is chosen as web/src/lib/language.svelte.ts does: the address's ?lang=, the
//   remembered one, the browser's).
// - For the default scene (no parameters but the language), DAR's first API answers; the app takes them from
//   window.__darFirst (web/src/lib/api.ts), read as JSON already.
(function () {
  var query = new URLSearchParams(location.search);
  var isLang = function (value) {
    return value === 'en' || value === 'km';
  };
  var lang = query.get('lang');
  if (!isLang(lang)) {
    try {
      lang = localStorage.getItem('dar-kg.lang');
    } catch (_error) {
      lang = null; // storage disabled
    }
  }
  if (!isLang(lang)) lang = (navigator.languages || []).some(function (tag) { return tag.toLowerCase().indexOf('km') === 0; }) ? 'km' : 'en';
  var messages = document.querySelector('meta[name="dar-kg-' + lang + '-messages"]');
  if (messages) {
    var link = document.createElement('link');
    link.rel = 'modulepreload';
    link.crossOrigin = '';
    link.href = messages.getAttribute('content');
    document.head.appendChild(link);
  }

  var other = false;
  query.forEach(function (_value, key) {
    if (key !== 'lang') other = true;
  });
  if (location.pathname !== '/' || other) return;
  // Each answer with its body already read as JSON ({ response, body }; no body when it is not JSON): the app then
  // takes it without waiting for another task, and draws the scene in the same frame as the page around it.
  var first = (window.__darFirst = {});
  ['/api/nodes/dar', '/api/nodes/dar/neighbours?direction=both&limit=200'].forEach(function (path) {
    first[path] = fetch(path, { credentials: 'same-origin', headers: { accept: 'application/json' } }).then(function (response) {
      return response.json().then(
        function (body) {
          return { response: response, body: body };
        },
        function () {
          return { response: response };
        },
      );
    });
    first[path].catch(function () {}); // the app sees the failure when it takes the answer
  });
})();
