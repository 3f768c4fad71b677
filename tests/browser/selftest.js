// Page-side self-test for the review page, run by tests/html.rs in headless Chromium
// (--dump-dom). It is added to a copy of the page after the page's own script, looks at
// the DOM, drives the page with real DOM events, and writes what it saw as JSON into
// <pre id="numlint-selftest">, which the Rust test reads from the dumped DOM.
(function () {
  'use strict';
  var out = { errors: [] };
  function all(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }
  function texts(nodes) { return nodes.map(function (n) { return n.textContent; }); }
  function transparent(color) { return color === 'transparent' || color === 'rgba(0, 0, 0, 0)'; }
  function figureMarks(id) { return all('.documents mark[data-g~="' + id + '"]'); }
  function claimMarks(id) { return all('.documents mark[data-c~="' + id + '"]'); }
  function currentIn(list) {
    var card = document.querySelector(list + ' .card.current');
    return card ? card.getAttribute('data-id') : null;
  }
  function key(k) { document.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true })); }

  try {
    // Did anything from the drafts run or become markup?
    out.pwned = window.__pwned === undefined ? null : String(window.__pwned);
    out.title = document.title;
    out.scripts = document.scripts.length;
    out.draftElements = all('.documents img, .documents svg, .documents b, .documents script').length;
    out.hostileText = all('.documents .doc').map(function (d) { return d.querySelector('.text') ? d.querySelector('.text').textContent.slice(0, 400) : ''; });

    // Every finding: its card, its marks, and whether they are painted.
    out.findings = all('#by-rule .card').map(function (card) {
      var id = card.getAttribute('data-id');
      var figures = figureMarks(id);
      return {
        id: id,
        rule: card.getAttribute('data-rule'),
        severity: card.getAttribute('data-severity'),
        figures: figures.length,
        claims: claimMarks(id).length,
        painted: figures.length > 0 && figures.every(function (m) {
          return !transparent(getComputedStyle(m).backgroundColor);
        }),
        sectionCards: all('#by-section .card[data-id="' + id + '"]').length
      };
    });

    // Select the seed's 786 / 3,415 share-mismatch by clicking its card.
    var card = all('#by-rule .card[data-rule="share-mismatch"]')[0];
    var id = card.getAttribute('data-id');
    card.click();
    out.select = {
      id: id,
      current: currentIn('#by-rule'),
      selectedFigures: texts(all('.documents mark.sel-g')),
      allFiguresSelected: figureMarks(id).every(function (m) { return m.classList.contains('sel-g'); }),
      onlyItsFigures: all('.documents mark.sel-g').every(function (m) {
        return (' ' + m.getAttribute('data-g') + ' ').indexOf(' ' + id + ' ') >= 0;
      }),
      claimSelected: claimMarks(id).every(function (m) { return m.classList.contains('sel'); }),
      outline: getComputedStyle(all('.documents mark.sel-g')[0]).outlineStyle,
      bodySelecting: document.body.classList.contains('selecting')
    };

    // Keyboard: j goes to the next card of the visible list, k back.
    var order = all('#by-rule .card').map(function (c) { return c.getAttribute('data-id'); });
    key('j');
    var afterJ = currentIn('#by-rule');
    var nextFiguresLit = !!afterJ && figureMarks(afterJ).every(function (m) { return m.classList.contains('sel-g'); });
    key('k');
    out.keys = {
      expectedNext: order[order.indexOf(id) + 1],
      afterJ: afterJ,
      nextFiguresLit: nextFiguresLit,
      afterK: currentIn('#by-rule')
    };
    key('Escape');
    out.afterEscape = { current: currentIn('#by-rule'), lit: all('.documents mark.sel-g').length };

    // Clicking a figure in the text selects its finding.
    var figure = figureMarks(order[0])[0];
    figure.click();
    out.markClick = { wanted: order[0], current: currentIn('#by-rule') };

    // Filter: hide warnings.
    var warnings = document.querySelector('input[name="severity"][value="warning"]');
    warnings.checked = false;
    warnings.dispatchEvent(new Event('change', { bubbles: true }));
    out.filter = {
      visible: all('#by-rule .card').filter(function (c) { return !c.hidden; }).map(function (c) { return c.getAttribute('data-severity'); }),
      warningMarksOff: all('#by-rule .card[data-severity="warning"]').every(function (c) {
        return figureMarks(c.getAttribute('data-id')).every(function (m) {
          return m.classList.contains('off') || (m.getAttribute('data-g') + ' ' + (m.getAttribute('data-c') || '')).split(' ').some(function (other) {
            var oc = document.querySelector('#by-rule .card[data-id="' + other + '"]');
            return oc && !oc.hidden;
          });
        });
      })
    };
    warnings.checked = true;
    warnings.dispatchEvent(new Event('change', { bubbles: true }));

    // Group by section: the other list shows, in document order.
    document.querySelector('.group-by button[data-group="section"]').click();
    out.group = {
      byRuleHidden: document.getElementById('by-rule').hidden,
      bySectionHidden: document.getElementById('by-section').hidden,
      sections: texts(all('#by-section .group-head')).map(function (t) { return t.replace(/\s+\d+$/, ''); })
    };
  } catch (e) {
    out.errors.push(String(e && e.stack || e));
  }
  var pre = document.createElement('pre');
  pre.id = 'numlint-selftest';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
}());
