/* plainsight site search. Reads the index that `plainsight build` writes under /search/index/
   (docs/search.md), downloading only the parts a query needs. Words are cut and stemmed here
   exactly as generator/search/terms.cpp does it, so that a query meets the index's terms; a test
   compares the two on every word of the council's documents. No framework, no WASM. */
(function () {
  'use strict';

  // ---- Words: the rules of search_words() in generator/search/terms.cpp --------------------
  function isWordChar(c) {
    if (c < 0x80) return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    if (c < 0xc0 || c === 0xd7 || c === 0xf7) return false;
    if ((c >= 0x2000 && c <= 0x2bff) || (c >= 0x3000 && c <= 0x303f)) return false;
    return c !== 0xfeff;
  }
  function isDigit(c) { return c >= 48 && c <= 57; }
  function utf8Length(word) {
    var n = 0;
    for (var ch of word) { var c = ch.codePointAt(0); n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4; }
    return n;
  }
  function words(text) {
    var out = [], word = '', previous = 0, chars = Array.from(text);
    function finish() {
      word = word.replace(/'+$/, '');
      if (word && utf8Length(word) <= 64) out.push(word);
      word = '';
    }
    for (var i = 0; i < chars.length; i++) {
      var c = chars[i].codePointAt(0), next = i + 1 < chars.length ? chars[i + 1].codePointAt(0) : 0;
      if (isWordChar(c)) {
        word += c < 0x80 ? chars[i].toLowerCase() : chars[i];
      } else if (word && (c === 39 || c === 0x2019) && isWordChar(previous) && !isDigit(previous) && isWordChar(next) && !isDigit(next)) {
        word += "'";
        c = 39;
      } else if (word && isDigit(previous) && isDigit(next) && (c === 44 || c === 46)) {
        if (c === 46) word += '.';
      } else {
        finish();
      }
      previous = c;
    }
    finish();
    return out;
  }

  // ---- English stemming: Snowball's Porter2, as libstemmer 2.2 has it --------------------------
  var special = { skis: 'ski', skies: 'sky', dying: 'die', lying: 'lie', tying: 'tie', idly: 'idl', gently: 'gentl', ugly: 'ugli',
    early: 'earli', only: 'onli', singly: 'singl', sky: 'sky', news: 'news', howe: 'howe', atlas: 'atlas', cosmos: 'cosmos', bias: 'bias',
    andes: 'andes' };
  var afterStep1a = ['inning', 'outing', 'canning', 'herring', 'earring', 'proceed', 'exceed', 'succeed'];
  var step2 = [['ization', 'ize'], ['ational', 'ate'], ['fulness', 'ful'], ['ousness', 'ous'], ['iveness', 'ive'], ['tional', 'tion'],
    ['biliti', 'ble'], ['lessli', 'less'], ['entli', 'ent'], ['ation', 'ate'], ['alism', 'al'], ['aliti', 'al'], ['ousli', 'ous'],
    ['iviti', 'ive'], ['fulli', 'ful'], ['enci', 'ence'], ['anci', 'ance'], ['abli', 'able'], ['izer', 'ize'], ['ator', 'ate'],
    ['alli', 'al'], ['bli', 'ble'], ['ogi', 'og'], ['li', '']];
  var step3 = [['ational', 'ate'], ['tional', 'tion'], ['alize', 'al'], ['icate', 'ic'], ['iciti', 'ic'], ['ative', ''], ['ical', 'ic'],
    ['ness', ''], ['ful', '']];
  var step4 = ['ement', 'ance', 'ence', 'able', 'ible', 'ment', 'ant', 'ent', 'ism', 'ate', 'iti', 'ous', 'ive', 'ize', 'ion', 'al', 'er', 'ic'];

  function isVowel(ch) { return 'aeiouy'.indexOf(ch) >= 0; }
  function regionAfter(w, start) {  // gopast a vowel, then gopast a non-vowel
    for (var i = start; i < w.length; i++) {
      if (!isVowel(w[i])) continue;
      for (var j = i + 1; j < w.length; j++) if (!isVowel(w[j])) return j + 1;
      break;
    }
    return w.length;
  }
  function shortSyllable(w, end) {  // the syllable that ends at `end`
    if (end < 2 || isVowel(w[end - 1]) || !isVowel(w[end - 2])) return false;
    return end === 2 || (!isVowel(w[end - 3]) && 'wxY'.indexOf(w[end - 1]) < 0);
  }
  function longestSuffix(w, list) {  // list entries longest first
    for (var i = 0; i < list.length; i++) {
      var suffix = typeof list[i] === 'string' ? list[i] : list[i][0];
      if (w.endsWith(suffix)) return list[i];
    }
    return null;
  }

  function stem(word) {
    if (!/^[a-z']+$/.test(word)) return word;
    if (special.hasOwnProperty(word)) return special[word];
    if (Array.from(word).length < 3) return word;
    var w = word.replace(/^'/, '');
    w = w.replace(/^y/, 'Y').replace(/([aeiouy])y/g, '$1Y');
    var p1 = /^(gener|commun|arsen)/.test(w) ? /^(gener|commun|arsen)/.exec(w)[0].length : regionAfter(w, 0);
    var p2 = regionAfter(w, p1);

    // Step 1a
    w = w.replace(/'s'$|'s$|'$/, '');
    if (w.endsWith('sses')) w = w.slice(0, -2);
    else if (w.endsWith('ied') || w.endsWith('ies')) w = w.slice(0, -3) + (w.length > 4 ? 'i' : 'ie');
    else if (w.endsWith('us') || w.endsWith('ss')) { /* kept */ }
    else if (w.endsWith('s') && /[aeiouy]/.test(w.slice(0, -2))) w = w.slice(0, -1);
    if (afterStep1a.indexOf(w) >= 0) return w.replace(/Y/g, 'y');

    // Step 1b
    var suffix = longestSuffix(w, ['eedly', 'ingly', 'edly', 'eed', 'ing', 'ed']);
    if (suffix === 'eed' || suffix === 'eedly') {
      if (w.length - suffix.length >= p1) w = w.slice(0, -suffix.length) + 'ee';
    } else if (suffix && /[aeiouy]/.test(w.slice(0, -suffix.length))) {
      w = w.slice(0, -suffix.length);
      if (/(at|bl|iz)$/.test(w)) w += 'e';
      else if (/(bb|dd|ff|gg|mm|nn|pp|rr|tt)$/.test(w)) w = w.slice(0, -1);
      else if (p1 === w.length && shortSyllable(w, w.length)) w += 'e';
    }
    // Step 1c
    if (/[yY]$/.test(w) && w.length > 2 && !isVowel(w[w.length - 2])) w = w.slice(0, -1) + 'i';
    // Step 2
    var rule = longestSuffix(w, step2), start;
    if (rule && (start = w.length - rule[0].length) >= p1) {
      if (rule[0] === 'ogi') { if (w[start - 1] === 'l') w = w.slice(0, start) + 'og'; }
      else if (rule[0] === 'li') { if ('cdeghkmnrt'.indexOf(w[start - 1]) >= 0 && start > 0) w = w.slice(0, start); }
      else w = w.slice(0, start) + rule[1];
    }
    // Step 3
    rule = longestSuffix(w, step3);
    if (rule && (start = w.length - rule[0].length) >= p1 && (rule[0] !== 'ative' || start >= p2)) w = w.slice(0, start) + rule[1];
    // Step 4
    suffix = longestSuffix(w, step4);
    if (suffix && (start = w.length - suffix.length) >= p2 && (suffix !== 'ion' || /[st]/.test(w[start - 1] || ''))) w = w.slice(0, start);
    // Step 5
    start = w.length - 1;
    if (w.endsWith('e') && (start >= p2 || (start >= p1 && !shortSyllable(w, start)))) w = w.slice(0, -1);
    else if (w.endsWith('l') && start >= p2 && w[start - 1] === 'l') w = w.slice(0, -1);
    return w.replace(/Y/g, 'y');
  }

  var api = { words: words, stem: stem };
  if (typeof document === 'undefined') {  // read by the tests under Node
    globalThis.plainsightSearch = api;
    return;
  }

  // ---- The index ------------------------------------------------------------------------------
  var script = document.currentScript;
  var base = script.getAttribute('data-index'), searchPage = script.getAttribute('data-search-page');
  var cache = {}, meta = null;
  var digits = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

  function load(path) {
    if (!cache[path]) {
      var url = base + path + (meta ? '?v=' + meta.version : '');
      cache[path] = fetch(url, meta ? {} : { cache: 'no-cache' }).then(function (response) {
        if (!response.ok) throw new Error(response.status + ' ' + path);
        return response.json();
      }).catch(function (error) {
        delete cache[path];  // try again next time
        throw error;
      });
    }
    return cache[path];
  }
  // The index changed under us (a new build): start again from its meta.json.
  function stale() {
    meta = null;
    cache = {};
    return new Error('stale');
  }
  function loadMeta() {
    return load('meta.json').then(function (loaded) {
      if (!meta) {
        meta = loaded;
        meta.facets.forEach(function (facet) {  // document → its value indexes (a contract of two departments has two)
          facet.of = new Array(meta.documents);
          facet.values.forEach(function (value, v) {
            for (var i = 0; i < value[1].length; i += 2)
              for (var d = value[1][i]; d < value[1][i] + value[1][i + 1]; d++) (facet.of[d] = facet.of[d] || []).push(v);
          });
        });
      }
      return meta;
    });
  }
  function hex(text) {
    return Array.from(new TextEncoder().encode(text), function (b) { return (b < 16 ? '0' : '') + b.toString(16); }).join('');
  }
  function readNumbers(text) {  // base-64 digits, each but the last of a number from the upper half
    var numbers = [], value = 0;
    for (var i = 0; i < text.length; i++) {
      var digit = digits.indexOf(text[i]);
      value = value * 32 + (digit & 31);
      if (digit < 32) { numbers.push(value); value = 0; }
    }
    return numbers;
  }
  function postings(encoded) {  // document → impact
    var found = new Map(), document = -1;
    for (var i = 0, value = 0; i < encoded.length; i++) {
      var digit = digits.indexOf(encoded[i]);
      value = value * 32 + (digit & 31);
      if (digit >= 32) continue;
      document += value + 1;
      found.set(document, digits.indexOf(encoded[++i]));
      value = 0;
    }
    return found;
  }
  // The dictionary files that may hold terms starting with `prefix`.
  function dictionaryFiles(prefix) {
    var best = '', files = [];
    meta.dictionary.forEach(function (p) {
      if (prefix.startsWith(p) && p.length >= best.length) best = p;
      else if (p.startsWith(prefix) && p.length > prefix.length) files.push(p);
    });
    if (best) files.push(best);
    return files;
  }
  function entries(prefix) {
    return Promise.all(dictionaryFiles(prefix).map(function (p) { return load('d/' + hex(p) + '.json'); }))
      .then(function (lists) { return [].concat.apply([], lists); });
  }
  function withinOneEdit(a, b) {
    if (Math.abs(a.length - b.length) > 1 || a === b) return a === b;
    var i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    if (a.length === b.length) return a.slice(i + 1) === b.slice(i + 1) || (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
    return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }

  // The terms one query word stands for, each with a weight: its stem; while it is being typed,
  // the commonest terms it begins; for a word of five letters or more with no term of its own,
  // the terms one typing slip away.
  function termsFor(word, typing) {
    var term = stem(word), prefix = typing && word.length >= 2;
    return Promise.all([entries(term), prefix ? entries(word) : []]).then(function (lists) {
      var list = lists[0].concat(lists[1].filter(function (e) { return lists[0].indexOf(e) < 0; }));
      var found = list.filter(function (e) { return e[0] === term; }).map(function (e) { return [e, 1]; });
      if (prefix) {
        list.filter(function (e) { return e[0] !== term && e[0].startsWith(word); })
          .sort(function (a, b) { return b[1] - a[1] || (a[0] < b[0] ? -1 : 1); }).slice(0, 8)
          .forEach(function (e) { found.push([e, 0.8]); });
      }
      if (!found.length && Array.from(word).length >= 5) {
        return lists[0].filter(function (e) { return withinOneEdit(e[0], term) || withinOneEdit(e[0], word); })
          .map(function (e) { return [e, 0.6]; });
      }
      return found;
    });
  }
  // Each term's postings. A common term's entry is [its best postings, the file of all of
  // them, how many of all have each facet value]: with `best`, only the best are read.
  function loadPostings(termList, best) {
    return Promise.all(termList.map(function (t) {
      var term = t[0][0];
      return load('p/' + t[0][2] + '.json').then(function (file) {
        var value = file[term];
        if (typeof value === 'string') return { entry: t[0], weight: t[1], postings: postings(value) };
        if (!Array.isArray(value)) throw stale();
        if (best) return { entry: t[0], weight: t[1], postings: postings(value[0]), counts: value[2] };
        return load('p/' + value[1] + '.json').then(function (all) {
          if (typeof all[term] !== 'string') throw stale();
          return { entry: t[0], weight: t[1], postings: postings(all[term]) };
        });
      });
    }));
  }
  // Positions of a term in the documents it is in: document → positions.
  function loadPositions(entry) {
    return load('p/' + entry[2] + '.json').then(function (file) {
      var own = Array.isArray(file[entry[0]]) ? file[entry[0]][1] : entry[2];
      return Promise.all([load('p/' + own + '.json'), load('x/' + own + '.json')]);
    }).then(function (files) {
      var documents = Array.from(postings(files[0][entry[0]]).keys()), numbers = readNumbers(files[1][entry[0]]);
      var found = new Map(), at = 0;
      documents.forEach(function (d) {  // for each document: how many, then the first, then the gaps
        var count = numbers[at++] + 1, list = [], position = 0;
        for (var i = 0; i < count; i++) list.push(position = i ? position + numbers[at++] + 1 : numbers[at++]);
        found.set(d, list);
      });
      return found;
    });
  }

  function parse(query) {
    var parts = [], pattern = /"([^"]*)"?|[^\s"]+/g, match;
    while ((match = pattern.exec(query))) {
      var list = words(match[1] !== undefined ? match[1] : match[0]);
      if (match[1] !== undefined) { if (list.length) parts.push({ phrase: list }); }
      else list.forEach(function (w) { parts.push({ word: w }); });
    }
    var last = parts[parts.length - 1];
    if (last && last.word && !/[\s"]$/.test(query)) last.typing = true;
    return parts;
  }

  // Every document that matches, best first: [document, words matched, score]. A query of one
  // common term, unless `complete`, gets only its best documents, in the same order, with
  // `partial`: how many match in all, their facet counts, and how to get the rest.
  function search(query, complete) {
    var parts = parse(query);
    if (!parts.length) return Promise.resolve([]);
    return loadMeta().then(function () {
      return Promise.all(parts.map(function (part) {
        if (part.word) {
          return termsFor(part.word, part.typing).then(function (terms) {
            return loadPostings(terms, !complete && parts.length === 1 && terms.length === 1);
          }).then(function (loaded) {
            var found = combineTerms(loaded);
            if (loaded.length === 1 && loaded[0].counts) {
              found.partial = { total: loaded[0].entry[1], counts: loaded[0].counts, complete: function () { return search(query, true); } };
            }
            return found;
          });
        }
        return Promise.all(part.phrase.map(function (w) { return termsFor(w, false); })).then(function (lists) {
          var exact = lists.map(function (list) { return list.filter(function (t) { return t[1] === 1; })[0]; });
          if (exact.some(function (t) { return !t; })) return new Map();
          return Promise.all([loadPostings(exact), Promise.all(exact.map(function (t) { return loadPositions(t[0]); }))]).then(function (loaded) {
            var found = new Map();
            loaded[0][0].postings.forEach(function (impact, d) {
              if (!loaded[0].every(function (t) { return t.postings.has(d); })) return;
              var starts = loaded[1][0].get(d);
              var together = starts.some(function (p) { return loaded[1].every(function (positions, i) { return positions.get(d).indexOf(p + i) >= 0; }); });
              if (together) found.set(d, loaded[0].reduce(function (sum, t) { return sum + t.postings.get(d); }, 0) * 1.5);
            });
            return found;
          });
        });
      }));
    }).then(function (perPart) {
      var all = new Map();
      perPart.forEach(function (found) {
        found.forEach(function (score, d) {
          var sofar = all.get(d) || [d, 0, 0];
          sofar[1] += 1;
          sofar[2] += score;
          all.set(d, sofar);
        });
      });
      var results = Array.from(all.values());
      var most = results.reduce(function (m, r) { return Math.max(m, r[1]); }, 0);
      results = results.filter(function (r) { return r[1] === most; }).sort(function (a, b) { return b[2] - a[2] || a[0] - b[0]; });
      results.partial = perPart[0].partial;
      return results;
    });
  }
  function combineTerms(termList) {  // one word: each document's best term
    var found = new Map();
    termList.forEach(function (t) {
      t.postings.forEach(function (impact, d) { found.set(d, Math.max(found.get(d) || 0, impact * t.weight)); });
    });
    return found;
  }
  function records(ids) {
    return Promise.all(ids.map(function (d) {
      return load('r/' + Math.floor(d / meta.records_per_file) + '.json').then(function (file) {
        var at = d % meta.records_per_file;
        if (!file[at]) throw stale();
        return file[at].map(function (value, field) {  // a 0 is the field of the record before
          for (var i = at; value === 0 && i > 0;) value = file[--i][field];
          return value;
        });
      });
    }));
  }

  // ---- Showing results ------------------------------------------------------------------------
  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }
  function highlighted(text, stems) {  // text with the query's words marked, built as nodes
    var fragment = document.createDocumentFragment(), pattern = /[\p{L}\p{N}'’]+|[^\p{L}\p{N}'’]+/gu, match;
    while ((match = pattern.exec(text))) {
      var piece = match[0], word = words(piece)[0];
      if (word && stems.some(function (s) { return stem(word).startsWith(s); })) fragment.appendChild(element('mark', '', piece));
      else fragment.appendChild(document.createTextNode(piece));
    }
    return fragment;
  }
  function resultItem(record, stems) {
    var item = element('li', 'search-result'), link = element('a');
    link.href = record[1];
    link.appendChild(highlighted(record[0] || record[2] + ': ' + record[1], stems));
    var heading = element('p', 'search-result-title');
    heading.appendChild(link);
    heading.appendChild(document.createTextNode(' '));
    heading.appendChild(element('span', 'search-result-type', record[2]));
    item.appendChild(heading);
    if (record[3]) { var excerpt = element('p'); excerpt.appendChild(highlighted(record[3], stems)); item.appendChild(excerpt); }
    if (record[4]) item.appendChild(element('p', 'muted', record[4]));
    return item;
  }
  function count(n) { return n.toLocaleString('en-GB') + (n === 1 ? ' result' : ' results'); }
  function queryStems(query) {
    return parse(query).reduce(function (all, part) { return all.concat(part.phrase || [part.word]); }, []).map(stem);
  }

  // One search box and what it shows: the search page, or the header's box on any page.
  function SearchBox(form, options) {
    var input = form.querySelector('[data-search-input]'), box = options.box;
    var status = box.querySelector('[data-search-status]'), list = box.querySelector('[data-search-list]');
    // latest: the newest query and showing: the newest showing of it, so that slow answers are dropped
    var selected = {}, shown = 0, results = [], latest = 0, showing = 0, timer = 0;

    function filtering() {
      return meta.facets.some(function (facet) { return selected[facet.id] && selected[facet.id].size; });
    }
    function filtered() {
      return results.filter(function (r) {
        return meta.facets.every(function (facet) {
          var wanted = selected[facet.id];
          return !wanted || !wanted.size || (facet.of[r[0]] || []).some(function (v) { return wanted.has(v); });
        });
      });
    }
    // How many match in all: a common word's best results are only the first of them.
    function total(matching) { return results.partial && !filtering() ? results.partial.total : matching.length; }
    function showFacets() {
      var holder = box.querySelector('[data-search-facets]');
      if (!holder) return;
      holder.textContent = '';
      meta.facets.forEach(function (facet, f) {
        var counts = new Map(), given = results.partial && results.partial.counts[f];
        if (given) for (var i = 0; i < given.length; i += 2) counts.set(given[i], given[i + 1]);
        else results.forEach(function (r) { (facet.of[r[0]] || []).forEach(function (v) { counts.set(v, (counts.get(v) || 0) + 1); }); });
        if (!counts.size || (counts.size === 1 && facet.id !== 'type')) return;
        var set = element('fieldset', 'search-facet');
        set.appendChild(element('legend', '', facet.label));
        Array.from(counts.keys()).sort(function (a, b) { return counts.get(b) - counts.get(a) || a - b; }).forEach(function (v) {
          var label = element('label'), checkbox = element('input');
          checkbox.type = 'checkbox';
          checkbox.checked = !!(selected[facet.id] && selected[facet.id].has(v));
          checkbox.addEventListener('change', function () {
            selected[facet.id] = selected[facet.id] || new Set();
            selected[facet.id][checkbox.checked ? 'add' : 'delete'](v);
            show('filter');
          });
          label.appendChild(checkbox);
          label.appendChild(document.createTextNode(' ' + facet.values[v][0] + ' (' + counts.get(v) + ')'));
          set.appendChild(label);
        });
        holder.appendChild(set);
      });
    }
    // mode: "new" results, a changed "filter", or "more" of the same
    function show(mode) {
      if (results.partial && (filtering() || (mode === 'more' && shown + options.perPage > results.length))) {
        var waiting = latest;  // a filter or more than the best results: all of them first
        return results.partial.complete().then(function (all) {
          if (waiting !== latest) return;
          results = all;
          return show(mode);
        }).catch(function (error) {
          if (error.message === 'stale') return run(false);  // a new build: search it afresh
          if (waiting === latest) unavailable();
        });
      }
      var matching = filtered(), query = input.value.trim(), stems = queryStems(query), n = total(matching);
      if (mode !== 'more') { list.textContent = ''; shown = 0; }
      if (mode === 'new') showFacets();
      var page = matching.slice(shown, shown + options.perPage);
      var request = latest, turn = ++showing;
      return records(page.map(function (r) { return r[0]; })).then(function (found) {
        if (request !== latest || turn !== showing) return;
        found.forEach(function (record, i) {
          var item = list.appendChild(resultItem(record, stems));
          if (mode === 'more' && i === 0) item.querySelector('a').focus();
        });
        shown += found.length;
        list.hidden = !shown;
        if (options.results) options.results.hidden = false;
        var more = box.querySelector('[data-search-more]');
        if (more) more.hidden = shown >= n;
        if (options.allLink && n > shown) {
          var all = element('li', 'search-all'), link = element('a', '', 'See all ' + count(n));
          link.href = searchPage + '?q=' + encodeURIComponent(query);
          all.appendChild(link);
          list.appendChild(all);
        }
        status.textContent = n ? count(n) + ' for “' + query + '”' +
          (filtering() && n < results.length ? ' with the filters chosen (' + results.length + ' in all)' : '')
          : 'No results for “' + query + '”.' + (results.length ? ' Clear a filter to see more.' : ' Try other or fewer words.');
      });
    }
    function run(typing) {
      var query = input.value.trim(), request = ++latest;
      if (options.updateUrl) history.replaceState(null, '', query ? '?q=' + encodeURIComponent(query) : location.pathname);
      if (!query) {
        results = [];
        list.textContent = '';
        list.hidden = true;
        status.textContent = '';
        if (options.results) options.results.hidden = true;
        return Promise.resolve();
      }
      // A query being typed matches its last word as the start of words too; one submitted or
      // opened from an address is whole words (a trailing space says so to parse()).
      var attempt = function () {
        return search(typing ? input.value : input.value + ' ').then(function (found) {
          if (request !== latest) return;
          results = found;
          selected = {};
          return show('new');
        });
      };
      return attempt().catch(function (error) {
        if (error.message === 'stale') return attempt();
        throw error;
      }).catch(function () {
        if (request === latest) unavailable();
      });
    }
    function unavailable() { status.textContent = 'The search is not available just now. Please try again.'; }
    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(function () { run(true); }, 120);
    });
    input.addEventListener('focus', loadMeta);
    form.addEventListener('submit', function (event) {
      if (!options.updateUrl) return;  // the header's box goes to the search page
      event.preventDefault();
      clearTimeout(timer);
      run();
    });
    var more = box.querySelector('[data-search-more]');
    if (more) more.addEventListener('click', function () { show('more'); });
    if (options.closable) {
      form.addEventListener('keydown', function (event) {
        if (event.key === 'Escape' && !list.hidden) { list.hidden = true; input.focus(); }
      });
      document.addEventListener('click', function (event) { if (!form.contains(event.target)) list.hidden = true; });
      form.addEventListener('focusout', function (event) { if (!form.contains(event.relatedTarget)) list.hidden = true; });
    }
    this.run = run;
    this.input = input;
  }

  var page = document.querySelector('[data-search-form]');
  if (page) {
    var pageBox = new SearchBox(page, { box: document.querySelector('main'), perPage: 20, updateUrl: true,
      results: document.querySelector('[data-search-results]') });
    var query = new URLSearchParams(location.search).get('q');
    if (query) { pageBox.input.value = query; pageBox.run(); }
  }
  var header = document.querySelector('.site-search');
  if (header) new SearchBox(header, { box: header.querySelector('[data-search-popup]'), perPage: 5, allLink: true, closable: true });
  window.plainsightSearch = api;
})();
