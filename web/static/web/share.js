// The social-economy share as the auditor types the hours per production step, before saving.
// The same formula as certification/share.py (social_share): 100 x (target-group hours + hours
// subcontracted to a recognised social-economy enterprise) / (all hours worked + all hours
// subcontracted), summed over the steps, rounded half up to two decimals. Exact: the hours are
// read as whole hundredths and divided as big integers. Without this script the page still works:
// the server computes the same figure when the form is saved.
(function () {
  "use strict";

  var HOURS = /^\s*(\d{1,8})(?:[.,](\d{0,2}))?\s*$/;

  // Hours as a BigInt of hundredths; "" is 0; null when it is not a number of hours.
  function hundredths(text) {
    if (!text || !text.trim()) return 0n;
    var match = HOURS.exec(text);
    if (!match) return null;
    return BigInt(match[1]) * 100n + BigInt((match[2] || "").padEnd(2, "0"));
  }

  // "7436" hundredths of a percent -> "74.36"
  function percent(value) {
    var text = value.toString().padStart(3, "0");
    return text.slice(0, -2) + "." + text.slice(-2);
  }

  function field(row, name) {
    return row.querySelector("[name$='-" + name + "']");
  }

  // The share in hundredths of a percent, or null (no hour yet, or an entry that is not hours).
  function share(rows) {
    var counted = 0n;
    var total = 0n;
    for (var i = 0; i < rows.length; i++) {
      var target = hundredths(field(rows[i], "target_group_hours").value);
      var worked = hundredths(field(rows[i], "all_hours").value);
      var subcontracted = hundredths(field(rows[i], "subcontracted_hours").value);
      if (target === null || worked === null || subcontracted === null) return null;
      var recognised = field(rows[i], "subcontractor_recognised").checked;
      counted += target + (recognised ? subcontracted : 0n);
      total += worked + subcontracted;
    }
    if (total <= 0n) return null;
    return (20000n * counted + total) / (2n * total); // 10000 x counted / total, half up
  }

  function level(value, thresholds) {
    var reached = null;
    for (var i = 0; i < thresholds.length; i++) {
      if (value >= thresholds[i]) reached = i + 1;
    }
    return reached;
  }

  function watch(table) {
    var form = table.closest("form");
    var value = form.querySelector(".share-value");
    var shown = form.querySelector(".share-level");
    var thresholds = table.dataset.thresholds.split(" ").map(hundredths);
    function update() {
      var computed = share(table.querySelectorAll("tr.share-step"));
      if (computed === null) {
        value.textContent = "—";
        shown.textContent = "—";
        return;
      }
      var reached = level(computed, thresholds);
      value.textContent = percent(computed) + " %";
      shown.textContent = reached === null ? shown.dataset.none : String(reached);
    }
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    update();
  }

  document.querySelectorAll("table.share-steps").forEach(watch);
})();
