// The DAR scene's first API answers, asked for while the app's code is still downloading (issue 18, slow devices):
// on a slow-3G network this saves a round trip and more after the code has run. Only for the default scene (no
// parameters but the language); the app takes the answers from window.__darFirst (web/src/lib/api.ts).
(function () {
  var query = new URLSearchParams(location.search);
  var other = false;
  query.forEach(function (_value, key) {
    if (key !== 'lang') other = true;
  });
  if (location.pathname !== '/' || other) return;
  var first = (window.__darFirst = {});
  ['/api/nodes/dar', '/api/nodes/dar/neighbours?direction=both&limit=200'].forEach(function (path) {
    first[path] = fetch(path, { credentials: 'same-origin', headers: { accept: 'application/json' } });
    first[path].catch(function () {}); // the app sees the failure when it takes the answer
  });
})();
