// numlint review page: select a finding to light up its figures, filter by severity and
// rule, group by rule or by section, step through findings with j/n and k/p.
// Everything works on the page's own elements; nothing is loaded. Without this script
// the page still shows every finding and its marks.
(function () {
  'use strict';
  var docs = document.querySelector('.documents');
  var lists = { rule: document.getElementById('by-rule'), section: document.getElementById('by-section') };
  var ruleSelect = document.getElementById('rule-filter');
  var group = 'rule';
  var current = null;
  var hovered = null;

  function each(nodes, fn) { Array.prototype.forEach.call(nodes, fn); }

  // The marks of finding `id` in the document: its claim (data-c) and its figures (data-g).
  function marks(id, role) {
    return docs.querySelectorAll('mark[data-' + role + '~="' + id + '"]');
  }

  function light(id, claimClass, figureClass, on) {
    each(marks(id, 'c'), function (m) { m.classList.toggle(claimClass, on); });
    each(marks(id, 'g'), function (m) { m.classList.toggle(figureClass, on); });
  }

  function cards(id) { return document.querySelectorAll('.card[data-id="' + id + '"]'); }

  function visibleCards() {
    return Array.prototype.filter.call(lists[group].querySelectorAll('.card'), function (c) {
      return !c.hidden;
    });
  }

  function cardIn(list, id) { return list.querySelector('.card[data-id="' + id + '"]'); }

  // Select finding `id` (null clears): its figures light up; `how` says what to scroll.
  function select(id, how) {
    how = how || {};
    if (current) {
      light(current, 'sel', 'sel-g', false);
      each(cards(current), function (c) { c.classList.remove('current'); });
    }
    current = id;
    document.body.classList.toggle('selecting', !!id);
    if (!id) { return; }
    light(id, 'sel', 'sel-g', true);
    each(cards(id), function (c) { c.classList.add('current'); });
    var card = cardIn(lists[group], id);
    if (how.text) {
      var first = marks(id, 'g')[0] || marks(id, 'c')[0];
      if (first) { first.scrollIntoView({ block: 'center' }); }
    }
    if (card && how.card) { card.scrollIntoView({ block: 'nearest' }); }
    if (card && how.focus) { card.focus({ preventScroll: true }); }
  }

  function hover(id) {
    if (hovered === id) { return; }
    if (hovered) { light(hovered, 'hl', 'hl-g', false); }
    hovered = id;
    if (id) { light(id, 'hl', 'hl-g', true); }
  }

  function step(delta) {
    var list = visibleCards();
    if (!list.length) { return; }
    var at = -1;
    for (var i = 0; i < list.length; i++) {
      if (list[i].getAttribute('data-id') === current) { at = i; break; }
    }
    var next = at < 0 ? (delta > 0 ? 0 : list.length - 1)
      : Math.max(0, Math.min(list.length - 1, at + delta));
    select(list[next].getAttribute('data-id'), { text: true, card: true, focus: true });
  }

  // Show only the findings of the checked severities and the chosen rule; dim the marks
  // of the others.
  function applyFilters() {
    var severities = {};
    each(document.querySelectorAll('input[name="severity"]'), function (box) {
      severities[box.value] = box.checked;
    });
    var rule = ruleSelect.value;
    var shown = {};
    each(document.querySelectorAll('.panel .card'), function (c) {
      var show = severities[c.getAttribute('data-severity')] &&
        (!rule || c.getAttribute('data-rule') === rule);
      c.hidden = !show;
      if (show) { shown[c.getAttribute('data-id')] = true; }
    });
    each(document.querySelectorAll('.panel .group, .panel .file-group'), function (g) {
      g.hidden = !g.querySelector('.card:not([hidden])');
    });
    each(docs.querySelectorAll('mark'), function (m) {
      var ids = ((m.getAttribute('data-c') || '') + ' ' + (m.getAttribute('data-g') || '')).split(' ');
      m.classList.toggle('off', !ids.some(function (id) { return shown[id]; }));
    });
    each(document.querySelectorAll('.chip'), function (chip) {
      chip.setAttribute('aria-pressed', String(chip.getAttribute('data-rule') === rule));
    });
    if (current && !shown[current]) { select(null); }
  }

  function setGroup(name) {
    group = name;
    Object.keys(lists).forEach(function (key) { lists[key].hidden = key !== name; });
    each(document.querySelectorAll('.group-by button'), function (b) {
      b.setAttribute('aria-pressed', String(b.getAttribute('data-group') === name));
    });
    if (current) { select(current, { card: true }); }
  }

  var panel = document.querySelector('.panel');
  panel.addEventListener('click', function (e) {
    var card = e.target.closest('.card');
    if (card && !e.target.closest('summary')) {
      select(card.getAttribute('data-id'), { text: true });
    }
  });
  panel.addEventListener('keydown', function (e) {
    var card = e.target.closest('.card');
    if (card && e.key === 'Enter') { select(card.getAttribute('data-id'), { text: true }); }
  });
  panel.addEventListener('mouseover', function (e) {
    var card = e.target.closest('.card');
    hover(card ? card.getAttribute('data-id') : null);
  });
  panel.addEventListener('mouseleave', function () { hover(null); });
  panel.addEventListener('change', applyFilters);
  each(document.querySelectorAll('.group-by button'), function (b) {
    b.addEventListener('click', function () { setGroup(b.getAttribute('data-group')); });
  });
  each(document.querySelectorAll('.chip'), function (chip) {
    chip.addEventListener('click', function () {
      var rule = chip.getAttribute('data-rule');
      ruleSelect.value = ruleSelect.value === rule ? '' : rule;
      applyFilters();
    });
  });

  // A click on a mark selects its finding; clicking again cycles through the findings
  // that share the mark (figures first).
  docs.addEventListener('click', function (e) {
    var mark = e.target.closest('mark');
    if (!mark || mark.classList.contains('off')) { return; }
    var ids = ((mark.getAttribute('data-g') || '') + ' ' + (mark.getAttribute('data-c') || ''))
      .split(' ').filter(function (id, i, all) {
        var card = cardIn(lists[group], id);
        return id && all.indexOf(id) === i && card && !card.hidden;
      });
    if (!ids.length) { return; }
    var at = ids.indexOf(current);
    select(ids[(at + 1) % ids.length], { card: true });
  });

  document.addEventListener('keydown', function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) { return; }
    var tag = e.target.tagName;
    if (tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA') { return; }
    if (e.key === 'j' || e.key === 'n') { step(1); e.preventDefault(); }
    else if (e.key === 'k' || e.key === 'p') { step(-1); e.preventDefault(); }
    else if (e.key === 'Escape') { select(null); }
  });

  // A link to a finding (review.html#f0-3) selects it.
  var wanted = /^#(f[0-9]+-[0-9]+)$/.exec(location.hash);
  if (wanted && cards(wanted[1]).length) { select(wanted[1], { text: true, card: true }); }
}());
