/* Article page: the keys n and p go to the next and the previous match of the search
   words. The page works without this: each match is an anchor (#match-1 ...) whose own
   links lead on, shown by the stylesheet while it is the target. This only adds keys. */
(function () {
  "use strict";
  var marks = document.querySelectorAll(".match[id^='match-']");
  if (!marks.length) {
    return;
  }
  var hint = document.querySelector(".match-keys");
  if (hint) {
    hint.hidden = false;
  }

  function current() {
    var id = decodeURIComponent(location.hash.slice(1));
    for (var i = 0; i < marks.length; i++) {
      if (marks[i].id === id) {
        return i;
      }
    }
    return -1;
  }

  function go(i) {
    var target = marks[Math.max(0, Math.min(marks.length - 1, i))];
    // A fragment navigation (the match becomes :target and shows its links) that adds no
    // history entry: Back still leaves the page, not the last match.
    location.replace("#" + target.id);
    target.focus({ preventScroll: true });  // screen readers read the match
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey ||
        event.isComposing) {
      return;
    }
    var where = event.target;
    if (where && where.closest && where.closest("input, textarea, select, [contenteditable]")) {
      return;  // typing, not moving
    }
    var at = current();
    if (event.key === "n") {
      go(at + 1);
    } else if (event.key === "p") {
      go(at < 0 ? 0 : at - 1);
    } else {
      return;
    }
    event.preventDefault();
  });
})();
