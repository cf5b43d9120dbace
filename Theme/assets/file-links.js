// When the site is opened from disk (file://), a link to a folder shows a file
// listing instead of the page. Point such links (and search forms) at the folder's index.html.
// On a web server this does nothing: pretty folder addresses stay as they are.
(function () {
  "use strict";
  if (location.protocol !== "file:") return;
  document.addEventListener("DOMContentLoaded", function () {
    var forms = document.querySelectorAll("form[action]");
    for (var f = 0; f < forms.length; f++) {
      var action = forms[f].getAttribute("action");
      if (!/^[a-z][a-z0-9+.-]*:/i.test(action) && action.charAt(action.length - 1) === "/") {
        forms[f].setAttribute("action", action + "index.html");
      }
    }
    var links = document.querySelectorAll("a[href]");
    for (var i = 0; i < links.length; i++) {
      var href = links[i].getAttribute("href");
      if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.charAt(0) === "#") continue;
      var cut = href.search(/[?#]/);
      var path = cut < 0 ? href : href.slice(0, cut);
      if (path === "" || path.charAt(path.length - 1) === "/") {
        links[i].setAttribute("href", path + "index.html" + (cut < 0 ? "" : href.slice(cut)));
      }
    }
  });
})();
