/*
 * Patella search: Theme/assets/search.js
 *
 * Plain ES2019, no dependencies. Works as a browser script (assigns
 * globalThis.PatellaSearch and starts itself on a page with #search-results) and as a
 * CommonJS module for node's tests (module.exports), which call the pure functions:
 * tokenize, stem, fromJSON / openIndex, search.
 *
 * THE PAGE it needs (Tests/js/README.md says more):
 *   <form role="search" action="{{root}}search/" method="get" data-search-root="{{root}}">
 *     <input type="search" name="q" id="search-input" autocomplete="off">
 *   </form>
 *   <p id="search-status"></p>         optional: created before #search-results if absent
 *   <div id="search-urgent"></div>     optional: created before #search-results if absent
 *   <div id="search-results"></div>    required: the ranked results and nothing else
 *   <script src="{{root}}assets/search.js" defer></script>
 * `data-search-root` (on the form, the results element or <body>) is the relative path
 * from the page to the site root; the index is fetched from <root>search/.
 *
 * THE INDEX it reads, written by Sources/SearchIndex (IndexFormat.swift has the full
 * description), format "patella-search" version 5, compact JSON. The first request is
 * always search/index.json: the whole index on a small site, a manifest on a large one.
 *
 *   search/index.json, when the whole index is small (under about 150 KB):
 *     { format, version, docCount, avgLength,
 *       docs:      [[id, path, typeLabel, title, summary, text], ...]  (document n = docs[n])
 *       lengths:   [length code of each document: decodeLength]        (BM25)
 *       postings:  { stem: [doc, tf, doc, tf, ...] }   tf = weighted term frequency:
 *                  per occurrence, title 10, aliases 8, headings 4, summary 3,
 *                  a condition's symptoms' titles and aliases 2, body 1
 *       words:     [every folded word indexed, sorted]   (prefix matching, typo correction;
 *                  hyphenated words are also indexed joined: "X-ray" as "x", "ray" and "xray")
 *       stopwords: [...],
 *       urgent:    { threshold, weights: { stem: 0..100 },
 *                    targets: [{ doc, id, path, title, signs: [lines of the warning] }] } }
 *   (a query whose own terms' urgent weights add up to the threshold shows the
 *   "When to get help" box linking to the target guide; see UrgentSigns.swift)
 *
 *   otherwise search/index.json is a manifest: the same header fields (lengths too;
 *   urgent without its targets) and
 *     shards:    [[first, last], ...]   terms/L-K.json { postings: { stem: [doc, tf, doc, tf, ...] } }
 *                                       holds the stems first..last (one first letter per
 *                                       shard; a stem too big for one is split over shards
 *                                       whose first and last are that stem: merge them)
 *     wordFiles: [first word, ...]      words/L-K.json { words: [...], df: [...] } holds the
 *                                       sorted words from this one to the next file's first,
 *                                       one first letter per file, each with the number of
 *                                       documents its stem is in
 *   (L-K: the first letter's code point in hex, and the file's place among that
 *   letter's, counting from 0), and docs/N.json (document N), urgent.json { targets }. A query fetches the manifest,
 *   the shards of its words' stems, the words files of a word it completes or corrects
 *   (then only the shards of the stems chosen), the files of the results it shows, and
 *   urgent.json only for a warning sign.
 *
 * Words are analysed exactly as Sources/SearchIndex/Tokenizer.swift and Stemmer.swift
 * do (Tests/Fixtures/search-vectors.json is run by both test suites): NFKD, lower-case,
 * combining marks dropped, ß -> ss, ς -> σ; split on anything not a letter or digit;
 * apostrophes inside words dropped ("runner's" -> "runners"); Porter2 (Snowball english).
 */
(function () {
  'use strict';

  // ---------------------------------------------------------------------------
  // Text analysis: must match Sources/SearchIndex/Tokenizer.swift and Stemmer.swift
  // exactly (Tests/Fixtures/search-vectors.json is run by both test suites).
  // ---------------------------------------------------------------------------

  var MARKS = /\p{M}+/gu;
  var WORD = /[\p{L}\p{N}]/u;

  function isApostrophe(ch) {
    return ch === "'" || ch === '\u2018' || ch === '\u2019' || ch === '\u02BC';
  }

  function isWordChar(ch) {
    return WORD.test(ch);
  }

  /** NFKD, lower-case, drop combining marks, ß -> ss, ς -> σ. */
  function fold(text) {
    return String(text).normalize('NFKD').toLowerCase().replace(MARKS, '')
      .replace(/\u00DF/g, 'ss').replace(/\u03C2/g, '\u03C3');
  }

  /** Splits already folded text into words (code points, not UTF-16 units). */
  function splitFolded(folded) {
    var chars = Array.from(folded);
    var words = [];
    var current = '';
    for (var i = 0; i < chars.length; i++) {
      var ch = chars[i];
      if (isApostrophe(ch)) {
        if (current !== '' && i + 1 < chars.length && isWordChar(chars[i + 1])) continue;
        if (current !== '') { words.push(current); current = ''; }
      } else if (isWordChar(ch)) {
        current += ch;
      } else if (current !== '') {
        words.push(current);
        current = '';
      }
    }
    if (current !== '') words.push(current);
    return words;
  }

  /** Every word of `text`, folded, in order. */
  function tokenize(text) {
    return splitFolded(fold(text));
  }

  // --- Porter2 (Snowball "english", as generated by Snowball 3.1) --------------

  function among(list) {
    return list.map(function (e) { return { s: Array.from(e[0]), r: e[1] }; })
      .sort(function (a, b) { return b.s.length - a.s.length; });
  }
  function group(chars) {
    var set = Object.create(null);
    Array.from(chars).forEach(function (c) { set[c] = true; });
    return set;
  }
  var G_V = group('aeiouy');
  var G_V_WXY = group('aeiouywxY');
  var G_AEO = group('aeo');
  var G_VALID_LI = group('cdeghkmnrt');
  var A_REGION = among([['arsen', -1], ['commun', -1], ['emerg', -1], ['gener', -1], ['inter', -1],
    ['later', -1], ['organ', -1], ['past', -1], ['univers', -1]]);
  var A_APOSTROPHE = among([["'", 1], ["'s'", 1], ["'s", 1]]);
  var A_1A = among([['ied', 2], ['s', 3], ['ies', 2], ['sses', 1], ['ss', -1], ['us', -1]]);
  var A_1B_EED = among([['succ', 1], ['proc', 1], ['exc', 1]]);
  var A_1B_ING = among([['even', 2], ['cann', 2], ['inn', 2], ['earr', 2], ['herr', 2], ['out', 2], ['y', 1]]);
  var A_1B = among([['', -1], ['ed', 2], ['eed', 1], ['ing', 3], ['edly', 2], ['eedly', 1], ['ingly', 2]]);
  var A_1B_END = among([['', 3], ['bb', 2], ['dd', 2], ['ff', 2], ['gg', 2], ['bl', 1], ['mm', 2], ['nn', 2],
    ['pp', 2], ['rr', 2], ['at', 1], ['tt', 2], ['iz', 1]]);
  var A_2 = among([['anci', 3], ['enci', 2], ['ogi', 14], ['li', 16], ['bli', 12], ['abli', 4], ['alli', 8],
    ['fulli', 9], ['lessli', 15], ['ousli', 10], ['entli', 5], ['aliti', 8], ['biliti', 12], ['iviti', 11],
    ['tional', 1], ['ational', 7], ['alism', 8], ['ation', 7], ['ization', 6], ['izer', 6], ['ator', 7],
    ['iveness', 11], ['fulness', 9], ['ousness', 10], ['ogist', 13]]);
  var STEP2_REPLACEMENTS = { 1: 'tion', 2: 'ence', 3: 'ance', 4: 'able', 5: 'ent', 6: 'ize', 7: 'ate', 8: 'al',
    9: 'ful', 10: 'ous', 11: 'ive', 12: 'ble', 13: 'og', 15: 'less' };
  var A_3 = among([['icate', 4], ['ative', 6], ['alize', 3], ['iciti', 4], ['ical', 4], ['tional', 1],
    ['ational', 2], ['ful', 5], ['ness', 5]]);
  var A_4 = among([['ic', 1], ['ance', 1], ['ence', 1], ['able', 1], ['ible', 1], ['ate', 1], ['ive', 1],
    ['ize', 1], ['iti', 1], ['al', 1], ['ism', 1], ['ion', 2], ['er', 1], ['ous', 1], ['ant', 1], ['ent', 1],
    ['ment', 1], ['ement', 1]]);
  var A_5 = among([['e', 1], ['l', 2]]);
  var A_EXCEPTIONS = among([['andes', -1], ['atlas', -1], ['bias', -1], ['cosmos', -1], ['early', 6],
    ['gently', 4], ['howe', -1], ['idly', 3], ['news', -1], ['only', 7], ['singly', 8], ['skies', 2],
    ['skis', 1], ['sky', -1], ['ugly', 5]]);
  var EXCEPTION_FORMS = ['ski', 'sky', 'idl', 'gentl', 'ugli', 'earli', 'onli', 'singl'];

  /** Snowball's string machine; see Stemmer.swift for the names. */
  function Machine(word) {
    this.current = Array.from(word);
    this.cursor = 0;
    this.limit = this.current.length;
    this.limitBackward = 0;
    this.bra = 0;
    this.ket = this.limit;
    this.p1 = 0;
    this.p2 = 0;
    this.yFound = false;
  }
  var M = Machine.prototype;
  M.charBefore = function (c) { return this.cursor > this.limitBackward && this.current[this.cursor - 1] === c; };
  M.inGrouping = function (set) {
    if (this.cursor >= this.limit || !set[this.current[this.cursor]]) return false;
    this.cursor++; return true;
  };
  M.goOutGrouping = function (set) {
    while (this.cursor < this.limit) { if (set[this.current[this.cursor]]) return true; this.cursor++; }
    return false;
  };
  M.goInGrouping = function (set) {
    while (this.cursor < this.limit) { if (!set[this.current[this.cursor]]) return true; this.cursor++; }
    return false;
  };
  M.inGroupingBackward = function (set) {
    if (this.cursor <= this.limitBackward || !set[this.current[this.cursor - 1]]) return false;
    this.cursor--; return true;
  };
  M.outGroupingBackward = function (set) {
    if (this.cursor <= this.limitBackward || set[this.current[this.cursor - 1]]) return false;
    this.cursor--; return true;
  };
  M.goOutGroupingBackward = function (set) {
    while (this.cursor > this.limitBackward) { if (set[this.current[this.cursor - 1]]) return true; this.cursor--; }
    return false;
  };
  M.matchesAt = function (start, s) {
    for (var i = 0; i < s.length; i++) if (this.current[start + i] !== s[i]) return false;
    return true;
  };
  M.equalsBackward = function (text) {
    var s = Array.from(text);
    if (this.cursor - this.limitBackward < s.length || !this.matchesAt(this.cursor - s.length, s)) return false;
    this.cursor -= s.length; return true;
  };
  M.findAmong = function (list) {
    for (var i = 0; i < list.length; i++) {
      var e = list[i];
      if (this.limit - this.cursor >= e.s.length && this.matchesAt(this.cursor, e.s)) { this.cursor += e.s.length; return e.r; }
    }
    return 0;
  };
  M.findAmongBackward = function (list) {
    for (var i = 0; i < list.length; i++) {
      var e = list[i];
      if (this.cursor - this.limitBackward >= e.s.length && this.matchesAt(this.cursor - e.s.length, e.s)) {
        this.cursor -= e.s.length; return e.r;
      }
    }
    return 0;
  };
  M.sliceFrom = function (text) {
    var s = Array.from(text);
    var adjustment = s.length - (this.ket - this.bra);
    Array.prototype.splice.apply(this.current, [this.bra, this.ket - this.bra].concat(s));
    this.limit += adjustment;
    if (this.cursor >= this.ket) this.cursor += adjustment; else if (this.cursor > this.bra) this.cursor = this.bra;
    this.ket = this.bra + s.length;
  };
  M.sliceDelete = function () { this.sliceFrom(''); };
  M.inR1 = function () { return this.p1 <= this.cursor; };
  M.inR2 = function () { return this.p2 <= this.cursor; };

  M.stem = function () {
    if (this.exception1()) return;
    this.cursor = 0;
    if (this.limit < 3) return;
    this.prelude();
    this.markRegions();
    this.limitBackward = this.cursor;
    this.cursor = this.limit;
    this.step1a(); this.cursor = this.limit;
    this.step1b(); this.cursor = this.limit;
    this.step1c(); this.cursor = this.limit;
    this.step2(); this.cursor = this.limit;
    this.step3(); this.cursor = this.limit;
    this.step4(); this.cursor = this.limit;
    this.step5();
    this.cursor = this.limitBackward;
    this.postlude();
  };
  M.exception1 = function () {
    this.bra = this.cursor;
    var found = this.findAmong(A_EXCEPTIONS);
    if (found === 0) return false;
    this.ket = this.cursor;
    if (this.cursor < this.limit) return false;
    if (found > 0) this.sliceFrom(EXCEPTION_FORMS[found - 1]);
    return true;
  };
  M.prelude = function () {
    this.yFound = false;
    var start = this.cursor;
    this.bra = this.cursor;
    if (this.cursor < this.limit && this.current[this.cursor] === "'") {
      this.cursor++; this.ket = this.cursor; this.sliceDelete();
    }
    this.cursor = start;
    this.bra = this.cursor;
    if (this.cursor < this.limit && this.current[this.cursor] === 'y') {
      this.cursor++; this.ket = this.cursor; this.sliceFrom('Y'); this.yFound = true;
    }
    this.cursor = start;
    for (;;) {
      var found = false;
      for (;;) {
        var here = this.cursor;
        if (this.inGrouping(G_V)) {
          this.bra = this.cursor;
          if (this.cursor < this.limit && this.current[this.cursor] === 'y') {
            this.cursor++; this.ket = this.cursor; this.cursor = here; found = true; break;
          }
        }
        this.cursor = here;
        if (this.cursor >= this.limit) break;
        this.cursor++;
      }
      if (!found) break;
      this.sliceFrom('Y');
      this.yFound = true;
    }
    this.cursor = start;
  };
  M.markRegions = function () {
    this.p1 = this.limit;
    this.p2 = this.limit;
    var start = this.cursor;
    try {
      if (this.findAmong(A_REGION) === 0) {
        this.cursor = start;
        if (!this.goOutGrouping(G_V)) return;
        this.cursor++;
        if (!this.goInGrouping(G_V)) return;
        this.cursor++;
      }
      this.p1 = this.cursor;
      if (!this.goOutGrouping(G_V)) return;
      this.cursor++;
      if (!this.goInGrouping(G_V)) return;
      this.cursor++;
      this.p2 = this.cursor;
    } finally {
      this.cursor = start;
    }
  };
  M.shortV = function () {
    var saved = this.limit - this.cursor;
    if (this.outGroupingBackward(G_V_WXY) && this.inGroupingBackward(G_V) && this.outGroupingBackward(G_V)) return true;
    this.cursor = this.limit - saved;
    if (this.outGroupingBackward(G_V) && this.inGroupingBackward(G_V) && this.cursor <= this.limitBackward) return true;
    this.cursor = this.limit - saved;
    return this.equalsBackward('past');
  };
  M.step1a = function () {
    var saved = this.limit - this.cursor;
    this.ket = this.cursor;
    if (this.findAmongBackward(A_APOSTROPHE) !== 0) {
      this.bra = this.cursor; this.sliceDelete();
    } else {
      this.cursor = this.limit - saved;
    }
    this.ket = this.cursor;
    var found = this.findAmongBackward(A_1A);
    if (found === 0) return;
    this.bra = this.cursor;
    if (found === 1) {
      this.sliceFrom('ss');
    } else if (found === 2) {
      this.sliceFrom(this.cursor - 2 < this.limitBackward ? 'ie' : 'i');
    } else if (found === 3) {
      if (this.cursor <= this.limitBackward) return;
      this.cursor--;
      if (!this.goOutGroupingBackward(G_V)) return;
      this.cursor--;
      this.sliceDelete();
    }
  };
  M.step1b = function () {
    this.ket = this.cursor;
    var found = this.findAmongBackward(A_1B);
    this.bra = this.cursor;
    var suffixStart = this.limit - this.cursor;
    var saved;
    if (found === 1) {
      if (this.inR1()) {
        saved = this.limit - this.cursor;
        if (!(this.findAmongBackward(A_1B_EED) !== 0 && this.cursor <= this.limitBackward)) {
          this.cursor = this.limit - saved;
          this.sliceFrom('ee');
        }
      }
      return;
    } else if (found === 3) {
      var before = this.findAmongBackward(A_1B_ING);
      if (before === 1) {
        saved = this.limit - this.cursor;
        if (this.outGroupingBackward(G_V) && this.cursor <= this.limitBackward) {
          this.cursor = this.limit - saved;
          this.bra = this.cursor;
          this.sliceFrom('ie');
          return;
        }
      } else if (before === 2 && this.cursor <= this.limitBackward) {
        return;
      }
    } else if (found !== 2) {
      return;
    }
    this.cursor = this.limit - suffixStart;
    var beforeSuffix = this.limit - this.cursor;
    if (!this.goOutGroupingBackward(G_V)) return;
    this.cursor = this.limit - beforeSuffix;
    this.sliceDelete();
    this.ket = this.cursor;
    this.bra = this.cursor;
    var end = this.limit - this.cursor;
    var ending = this.findAmongBackward(A_1B_END);
    if (ending === 1) {
      this.sliceFrom('e');
      return;
    } else if (ending === 2) {
      saved = this.limit - this.cursor;
      if (this.inGroupingBackward(G_AEO) && this.cursor <= this.limitBackward) return;
      this.cursor = this.limit - saved;
    } else {
      if (this.cursor !== this.p1) return;
      saved = this.limit - this.cursor;
      if (!this.shortV()) return;
      this.cursor = this.limit - saved;
      this.sliceFrom('e');
      return;
    }
    this.cursor = this.limit - end;
    this.ket = this.cursor;
    if (this.cursor <= this.limitBackward) return;
    this.cursor--;
    this.bra = this.cursor;
    this.sliceDelete();
  };
  M.step1c = function () {
    this.ket = this.cursor;
    if (!(this.charBefore('y') || this.charBefore('Y'))) return;
    this.cursor--;
    this.bra = this.cursor;
    if (!this.outGroupingBackward(G_V) || this.cursor <= this.limitBackward) return;
    this.sliceFrom('i');
  };
  M.step2 = function () {
    this.ket = this.cursor;
    var found = this.findAmongBackward(A_2);
    if (found === 0) return;
    this.bra = this.cursor;
    if (!this.inR1()) return;
    if (found === 14) {
      if (!this.charBefore('l')) return;
      this.cursor--;
      this.sliceFrom('og');
    } else if (found === 16) {
      if (!this.inGroupingBackward(G_VALID_LI)) return;
      this.sliceDelete();
    } else {
      this.sliceFrom(STEP2_REPLACEMENTS[found]);
    }
  };
  M.step3 = function () {
    this.ket = this.cursor;
    var found = this.findAmongBackward(A_3);
    if (found === 0) return;
    this.bra = this.cursor;
    if (!this.inR1()) return;
    if (found === 1) this.sliceFrom('tion');
    else if (found === 2) this.sliceFrom('ate');
    else if (found === 3) this.sliceFrom('al');
    else if (found === 4) this.sliceFrom('ic');
    else if (found === 5) this.sliceDelete();
    else if (this.inR2()) this.sliceDelete();
  };
  M.step4 = function () {
    this.ket = this.cursor;
    var found = this.findAmongBackward(A_4);
    if (found === 0) return;
    this.bra = this.cursor;
    if (!this.inR2()) return;
    if (found === 1) {
      this.sliceDelete();
    } else {
      if (!(this.charBefore('s') || this.charBefore('t'))) return;
      this.cursor--;
      this.sliceDelete();
    }
  };
  M.step5 = function () {
    this.ket = this.cursor;
    var found = this.findAmongBackward(A_5);
    if (found === 0) return;
    this.bra = this.cursor;
    if (found === 1) {
      if (!this.inR2()) {
        if (!this.inR1()) return;
        var saved = this.limit - this.cursor;
        if (this.shortV()) return;
        this.cursor = this.limit - saved;
      }
      this.sliceDelete();
    } else {
      if (!this.inR2() || !this.charBefore('l')) return;
      this.cursor--;
      this.sliceDelete();
    }
  };
  M.postlude = function () {
    if (!this.yFound) return;
    for (var i = 0; i < this.limit; i++) if (this.current[i] === 'Y') this.current[i] = 'y';
  };

  var stemCache = new Map();
  /** The Porter2 stem of one folded word. */
  function stem(word) {
    var cached = stemCache.get(word);
    if (cached !== undefined) return cached;
    var machine = new Machine(word);
    machine.stem();
    var result = machine.current.slice(0, machine.limit).join('');
    if (stemCache.size > 5000) stemCache.clear();
    stemCache.set(word, result);
    return result;
  }

  // ---------------------------------------------------------------------------
  // Edit distance: optimal string alignment (a swap of two neighbours costs 1), on
  // code points, giving up as soon as the distance must exceed `max`.
  // ---------------------------------------------------------------------------

  function editDistance(a, b, max) {
    var s = Array.from(a);
    var t = Array.from(b);
    if (Math.abs(s.length - t.length) > max) return max + 1;
    var previous2 = null;
    var previous = [];
    for (var j = 0; j <= t.length; j++) previous.push(j);
    for (var i = 1; i <= s.length; i++) {
      var row = [i];
      var best = i;
      for (j = 1; j <= t.length; j++) {
        var cost = s[i - 1] === t[j - 1] ? 0 : 1;
        var value = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost);
        if (previous2 && i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) {
          value = Math.min(value, previous2[j - 2] + 1);
        }
        row.push(value);
        if (value < best) best = value;
      }
      if (best > max) return max + 1;
      previous2 = previous;
      previous = row;
    }
    return previous[t.length];
  }

  /** Typos allowed in a word: none under 4 letters, 1 for 4 to 7, 2 from 8. */
  function maxEdits(word) {
    var length = Array.from(word).length;
    if (length < 4) return 0;
    return length < 8 ? 1 : 2;
  }

  // ---------------------------------------------------------------------------
  // Index sources: one loaded file, or a manifest that fetches shards on demand.
  // Every method returns a promise, so ranking does not care which it has.
  // ---------------------------------------------------------------------------

  function checkHeader(json) {
    if (!json || json.format !== 'patella-search' || json.version !== 5) {
      throw new Error('not a Patella search index (format patella-search, version 5)');
    }
  }

  function makeDocument(index, row) {
    return { index: index, id: row[0], path: row[1], type: row[2], title: row[3], summary: row[4], text: row[5] };
  }

  /**
   * A document length from its one-byte code in the files (LengthNorm.swift): under 16
   * exact, above the bucket's lowest length, whose highest four bits the code keeps.
   */
  function decodeLength(code) {
    if (code < 16) return code;
    var exponent = Math.floor((code - 16) / 8) + 4;
    return (8 + (code - 16) % 8) * Math.pow(2, exponent - 3);
  }

  /**
   * A term's postings as typed arrays: `docs`, `tfs` and the documents' `lengths`, from
   * a flat list [doc, tf, doc, tf, ...] and the length codes by document. `length` is
   * the number of postings (the document frequency).
   */
  function postingList(flat, lengths) {
    var count = Math.floor(flat.length / 2);
    var list = { length: count, docs: new Int32Array(count), tfs: new Float64Array(count), lengths: new Float64Array(count) };
    for (var i = 0; i < count; i++) {
      var doc = flat[i * 2];
      list.docs[i] = doc;
      list.tfs[i] = flat[i * 2 + 1];
      list.lengths[i] = decodeLength(lengths[doc]);
    }
    return list;
  }

  /** One posting list of several pages of the same stem, in order. */
  function concatenated(lists) {
    if (lists.length === 1) return lists[0];
    var count = lists.reduce(function (n, l) { return n + l.length; }, 0);
    var out = { length: count, docs: new Int32Array(count), tfs: new Float64Array(count), lengths: new Float64Array(count) };
    var at = 0;
    lists.forEach(function (l) {
      out.docs.set(l.docs, at); out.tfs.set(l.tfs, at); out.lengths.set(l.lengths, at);
      at += l.length;
    });
    return out;
  }

  /** First index in sorted `list` whose value is >= `value`. */
  function lowerBound(list, value) {
    var low = 0;
    var high = list.length;
    while (low < high) {
      var mid = (low + high) >> 1;
      if (list[mid] < value) low = mid + 1; else high = mid;
    }
    return low;
  }

  function wordsStartingWith(sortedWords, prefix) {
    var out = [];
    for (var i = lowerBound(sortedWords, prefix); i < sortedWords.length; i++) {
      if (sortedWords[i].lastIndexOf(prefix, 0) !== 0) break;
      out.push(sortedWords[i]);
    }
    return out;
  }

  function firstCodePoint(text) {
    return Array.from(text)[0] || '';
  }

  /** The names of the files whose first entries are `firsts`, in order: the first letter's
   *  code point in hex and the file's place among that letter's (IndexFormat.fileName). */
  function fileNames(firsts) {
    var places = new Map();
    return firsts.map(function (first) {
      var letter = firstCodePoint(first);
      var place = places.get(letter) || 0;
      places.set(letter, place + 1);
      return letter.codePointAt(0).toString(16) + '-' + place + '.json';
    });
  }

  /** `cache.get(key)`, made by `make()` the first time; a failed load is tried again next time. */
  function cached(cache, key, make) {
    if (!cache.has(key)) {
      var promise = Promise.resolve().then(make);
      cache.set(key, promise);
      promise.catch(function () { cache.delete(key); });
    }
    return cache.get(key);
  }

  /** A source over the single-file index (`search/index.json` with `postings`), already parsed. */
  function fromJSON(json) {
    checkHeader(json);
    if (!json.postings) throw new Error('a sharded manifest needs openIndex()');
    var postings = new Map();
    Object.keys(json.postings).forEach(function (term) {
      postings.set(term, postingList(json.postings[term], json.lengths));
    });
    var words = json.words.slice();
    var docs = new Map();
    return {
      docCount: json.docCount,
      avgLength: json.avgLength,
      stopwords: new Set(json.stopwords),
      urgent: json.urgent || null,
      sharded: false,
      postings: function (terms) {
        var out = new Map();
        terms.forEach(function (term) { if (postings.has(term)) out.set(term, postings.get(term)); });
        return Promise.resolve(out);
      },
      wordsWithPrefix: function (prefix) { return Promise.resolve(wordsStartingWith(words, prefix)); },
      wordsWithFirstLetter: function (letter) { return Promise.resolve(wordsStartingWith(words, letter)); },
      documentFrequency: function (word) {
        var list = postings.get(stem(word));
        return list ? list.length : 0;
      },
      urgentTargets: function () { return Promise.resolve(json.urgent ? json.urgent.targets : []); },
      documents: function (indices) {
        var out = new Map();
        indices.forEach(function (i) {
          if (!json.docs[i]) return;
          if (!docs.has(i)) docs.set(i, makeDocument(i, json.docs[i]));
          out.set(i, docs.get(i));
        });
        return Promise.resolve(out);
      }
    };
  }

  /** A source over the manifest (`search/index.json` with `shards`); `load(path)` fetches a file below search/. */
  function fromManifest(manifest, load) {
    checkHeader(manifest);
    var shards = manifest.shards;
    var wordFiles = manifest.wordFiles;
    var shardNames = fileNames(shards.map(function (range) { return range[0]; }));
    var wordFileNames = fileNames(wordFiles);
    var caches = { shards: new Map(), words: new Map(), docs: new Map(), urgent: new Map() };
    var frequencies = new Map();
    var merged = new Map(); // stem -> its postings from every shard holding it, or null

    function shard(number) {
      return cached(caches.shards, number, function () {
        return load('terms/' + shardNames[number]).then(function (json) {
          var postings = new Map();
          Object.keys(json.postings).forEach(function (term) { postings.set(term, postingList(json.postings[term], manifest.lengths)); });
          return postings;
        });
      });
    }
    function wordFile(number) {
      return cached(caches.words, number, function () {
        return load('words/' + wordFileNames[number]).then(function (json) {
          json.words.forEach(function (word, i) { frequencies.set(word, json.df[i]); });
          return json.words;
        });
      });
    }
    /** The words of the files `test` picks by number, in order (so sorted), that start with `prefix`. */
    function words(test, prefix) {
      var numbers = [];
      for (var i = 0; i < wordFiles.length; i++) if (test(i)) numbers.push(i);
      return Promise.all(numbers.map(wordFile)).then(function (lists) {
        return [].concat.apply([], lists.map(function (list) { return wordsStartingWith(list, prefix); }));
      });
    }

    return {
      docCount: manifest.docCount,
      avgLength: manifest.avgLength,
      stopwords: new Set(manifest.stopwords),
      urgent: manifest.urgent || null,
      sharded: true,
      postings: function (terms) {
        var wanted = Array.from(new Set(terms));
        var missing = wanted.filter(function (term) { return !merged.has(term); });
        var numbers = [];
        shards.forEach(function (range, i) {
          if (missing.some(function (term) { return range[0] <= term && term <= range[1]; })) numbers.push(i);
        });
        return Promise.all(numbers.map(shard)).then(function (list) {
          missing.forEach(function (term) {
            var pages = [];
            list.forEach(function (s) { if (s.has(term)) pages.push(s.get(term)); });
            merged.set(term, pages.length ? concatenated(pages) : null);
          });
          var out = new Map();
          wanted.forEach(function (term) { if (merged.get(term)) out.set(term, merged.get(term)); });
          return out;
        });
      },
      wordsWithPrefix: function (prefix) {
        var end = prefix + '\uffff';
        return words(function (i) {
          return wordFiles[i] <= end && (i + 1 === wordFiles.length || wordFiles[i + 1] > prefix);
        }, prefix);
      },
      wordsWithFirstLetter: function (letter) {
        return words(function (i) { return firstCodePoint(wordFiles[i]) === letter; }, letter);
      },
      /** Of a word the last wordsWith... call returned. */
      documentFrequency: function (word) { return frequencies.get(word) || 0; },
      urgentTargets: function () {
        if (!manifest.urgent) return Promise.resolve([]);
        return cached(caches.urgent, 0, function () {
          return load('urgent.json').then(function (json) { return json.targets; });
        });
      },
      documents: function (indices) {
        var wanted = indices.filter(function (i) { return i >= 0 && i < manifest.docCount; });
        return Promise.all(wanted.map(function (i) {
          return cached(caches.docs, i, function () {
            return load('docs/' + i + '.json').then(function (row) { return makeDocument(i, row); });
          });
        })).then(function (list) {
          var out = new Map();
          list.forEach(function (doc) { out.set(doc.index, doc); });
          return out;
        });
      }
    };
  }

  /**
   * Opens the index below a site: `load(path)` returns a promise of the parsed JSON of
   * `search/<path>`. `index.json` is the whole index, or the manifest of a sharded one.
   */
  function openIndex(load) {
    return Promise.resolve().then(function () { return load('index.json'); }).then(function (json) {
      return json && json.shards ? fromManifest(json, load) : fromJSON(json);
    });
  }

  // ---------------------------------------------------------------------------
  // Ranking: each query word becomes a group of alternative terms (its own stem,
  // prefix completions of the word being typed, or a typo correction); a document
  // scores, per group, the best BM25 of its alternatives, summed over the groups.
  // ---------------------------------------------------------------------------

  var K1 = 1.2;
  var B = 0.75;
  var PREFIX_WEIGHT = 0.7;
  var CORRECTION_WEIGHT = 0.9;
  var MAX_EXPANSIONS = 30;
  var MIN_PREFIX = 2;

  function idf(docCount, df) {
    return Math.log(1 + (docCount - df + 0.5) / (df + 0.5));
  }

  /** True when the query ends inside a word (the reader is still typing it). */
  function endsInWord(query) {
    return /[\p{L}\p{N}\p{M}]$/u.test(query);
  }

  function byText(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
  }

  /**
   * Resolves each query word to terms. Returns
   * { groups: [{ word, kind: 'exact'|'prefix'|'corrected'|'unknown', correction, alternatives: [{term, weight}] }],
   *   postings: Map term -> postings }.
   * Prefix completions and typo candidates are chosen from the words alone (each word
   * comes with its stem's document frequency), so only the chosen stems' postings load.
   */
  function plan(source, query, typing) {
    var words = tokenize(query);
    var inProgress = typing && endsInWord(query);
    var groups = [];
    words.forEach(function (word, position) {
      var last = inProgress && position === words.length - 1;
      var isStop = source.stopwords.has(word);
      if (isStop && !last) return;
      groups.push({ word: word, last: last, stop: isStop, stem: stem(word), kind: 'unknown', correction: null, alternatives: [] });
    });
    var postings = new Map();
    function fetch(terms) {
      var missing = terms.filter(function (t) { return !postings.has(t); });
      return source.postings(missing).then(function (found) {
        missing.forEach(function (t) { postings.set(t, found.get(t) || null); });
      });
    }
    function has(term) { return !!postings.get(term); }

    /** Stems of the indexed words that the group's word begins, most common first. */
    function prefixAlternatives(group) {
      if (Array.from(group.word).length < MIN_PREFIX) return Promise.resolve([]);
      return source.wordsWithPrefix(group.word).then(function (found) {
        var frequency = new Map();
        found.forEach(function (w) {
          if (w === group.word || source.stopwords.has(w)) return;
          var t = stem(w);
          var df = source.documentFrequency(w);
          if (t !== group.stem && df > 0) frequency.set(t, df);
        });
        var stems = Array.from(frequency.keys()).sort(function (a, b) {
          return frequency.get(b) - frequency.get(a) || byText(a, b);
        }).slice(0, MAX_EXPANSIONS);
        return fetch(stems).then(function () { return stems.filter(has); });
      });
    }
    /** The closest indexed word with the same first letter: fewest edits, most pages, nearest length, first. */
    function correction(group) {
      var allowed = maxEdits(group.word);
      if (allowed === 0 || group.stop) return Promise.resolve(null);
      return source.wordsWithFirstLetter(firstCodePoint(group.word)).then(function (candidates) {
        var close = [];
        candidates.forEach(function (candidate) {
          if (source.stopwords.has(candidate)) return;
          var distance = editDistance(group.word, candidate, allowed);
          if (distance > allowed) return;
          var df = source.documentFrequency(candidate);
          if (df > 0) close.push({ word: candidate, distance: distance, df: df });
        });
        if (!close.length) return null;
        close.sort(function (a, b) {
          return a.distance - b.distance || b.df - a.df ||
            Math.abs(a.word.length - group.word.length) - Math.abs(b.word.length - group.word.length) ||
            byText(a.word, b.word);
        });
        var found = { word: close[0].word, stem: stem(close[0].word) };
        return fetch([found.stem]).then(function () { return has(found.stem) ? found : null; });
      });
    }

    return fetch(groups.map(function (g) { return g.stem; })).then(function () {
      return Promise.all(groups.map(function (group) {
        var exact = !group.stop && has(group.stem);
        if (exact) group.alternatives.push({ term: group.stem, weight: 1 });
        if (group.last) {
          return prefixAlternatives(group).then(function (stems) {
            stems.forEach(function (t) { group.alternatives.push({ term: t, weight: PREFIX_WEIGHT }); });
            if (exact) { group.kind = 'exact'; return null; }
            if (stems.length) { group.kind = 'prefix'; return null; }
            return correction(group).then(function (found) { applyCorrection(group, found); });
          });
        }
        if (exact) { group.kind = 'exact'; return null; }
        return correction(group).then(function (found) {
          if (found) { applyCorrection(group, found); return null; }
          return prefixAlternatives(group).then(function (stems) {
            stems.forEach(function (t) { group.alternatives.push({ term: t, weight: PREFIX_WEIGHT }); });
            if (stems.length) group.kind = 'prefix';
          });
        });
      }));
    }).then(function () {
      return { groups: groups.filter(function (g) { return !(g.stop && g.kind === 'unknown'); }), postings: postings };
    });
  }

  function applyCorrection(group, found) {
    if (!found) return;
    group.kind = 'corrected';
    group.correction = found.word;
    group.alternatives.push({ term: found.stem, weight: CORRECTION_WEIGHT });
  }

  /**
   * Sum of urgent weights of the query's own (not completed) terms, and the box to show:
   * a promise, since a sharded index keeps the box's targets in a file of their own.
   */
  function urgentFor(source, groups) {
    var urgent = source.urgent;
    if (!urgent) return Promise.resolve(null);
    var terms = new Set();
    groups.forEach(function (g) {
      if (g.kind === 'exact') terms.add(g.stem);
      if (g.kind === 'corrected') terms.add(stem(g.correction));
    });
    var total = 0;
    terms.forEach(function (t) { total += urgent.weights[t] || 0; });
    if (total < urgent.threshold) return Promise.resolve(null);
    return source.urgentTargets().then(function (targets) {
      if (!targets || !targets.length) return null;
      var best = null;
      targets.forEach(function (target) {
        target.signs.forEach(function (line) {
          var score = 0;
          new Set(tokenize(line).map(stem)).forEach(function (t) { if (terms.has(t)) score += urgent.weights[t] || 0; });
          if (score > 0 && (!best || score > best.score)) best = { score: score, target: target, sign: line };
        });
      });
      var target = best ? best.target : targets[0];
      return { id: target.id, path: target.path, title: target.title, sign: best ? best.sign : null, weight: total };
    });
  }

  /**
   * Scores every document the groups reach: per group the best BM25 of its alternatives
   * (times the alternative's weight), summed over the groups in query order. Returns
   * { scores: Float64Array by document, found: [documents reached] }.
   */
  function score(source, groups, postings) {
    var scores = new Float64Array(source.docCount);
    var best = new Float64Array(source.docCount);
    var seen = new Int32Array(source.docCount); // 1 + the last group that reached the document
    var found = [];
    var avgLength = source.avgLength || 1;
    groups.forEach(function (group, g) {
      var reached = [];
      group.alternatives.forEach(function (alternative) {
        var list = postings.get(alternative.term);
        if (!list) return;
        var weight = alternative.weight;
        var w = idf(source.docCount, list.length);
        for (var i = 0; i < list.length; i++) {
          var doc = list.docs[i];
          var tf = list.tfs[i];
          var norm = 1 - B + B * (list.lengths[i] / avgLength);
          var value = weight * (w * (tf * (K1 + 1)) / (tf + K1 * norm));
          if (seen[doc] !== g + 1) {
            if (seen[doc] === 0) found.push(doc);
            seen[doc] = g + 1;
            best[doc] = value;
            reached.push(doc);
          } else if (best[doc] < value) {
            best[doc] = value;
          }
        }
      });
      for (var r = 0; r < reached.length; r++) scores[reached[r]] += best[reached[r]];
    });
    return { scores: scores, found: found };
  }

  /** The best `limit` of `found`, best first: higher score, then the earlier document. */
  function topDocuments(scores, found, limit) {
    function before(a, b) { return scores[a] > scores[b] || (scores[a] === scores[b] && a < b); }
    if (limit >= found.length) return found.slice().sort(function (a, b) { return before(a, b) ? -1 : 1; });
    var top = [];
    for (var i = 0; i < found.length; i++) {
      var doc = found[i];
      if (top.length === limit && !before(doc, top[limit - 1])) continue;
      var at = top.length === limit ? limit - 1 : top.length;
      while (at > 0 && before(doc, top[at - 1])) { top[at] = top[at - 1]; at--; }
      top[at] = doc;
    }
    return top;
  }

  /**
   * Searches an index source. `options.typing`: the query is being typed, so its last
   * word also matches as a prefix. Resolves to
   * { query, results: [{ id, path, type, title, score, snippet: [{text, mark}] }], total,
   *   corrections: [{ from, to }], unknown: [words], effective: [{ text, corrected }], urgent }.
   */
  function search(source, query, options) {
    options = options || {};
    var limit = options.limit || 20;
    return plan(source, query, !!options.typing).then(function (planned) {
      var groups = planned.groups;
      var scored = score(source, groups, planned.postings);
      var top = topDocuments(scored.scores, scored.found, limit);
      var marks = new Set();
      groups.forEach(function (g) { g.alternatives.forEach(function (a) { marks.add(a.term); }); });
      return Promise.all([
        source.documents(top),
        scored.found.length || groups.length ? urgentFor(source, groups) : null
      ]).then(function (loaded) {
        var docs = loaded[0];
        return {
          query: query,
          total: scored.found.length,
          results: top.map(function (i) {
            var d = docs.get(i);
            return { index: i, id: d.id, path: d.path, type: d.type, title: d.title, score: scored.scores[i], snippet: snippet(d, marks, source.stopwords) };
          }),
          corrections: groups.filter(function (g) { return g.kind === 'corrected'; })
            .map(function (g) { return { from: g.word, to: g.correction }; }),
          unknown: groups.filter(function (g) { return g.kind === 'unknown'; }).map(function (g) { return g.word; }),
          effective: groups.filter(function (g) { return g.kind !== 'unknown'; })
            .map(function (g) { return { text: g.correction || g.word, corrected: g.kind === 'corrected' }; }),
          urgent: loaded[1]
        };
      });
    });
  }

  // ---------------------------------------------------------------------------
  // Snippets: the sentence (of the summary, then the text) holding the most matched
  // terms, cut around its first match, as parts with `mark` set on matched words.
  // A document's sentences are split into words and stemmed once, on its first
  // snippet; each query then only looks its terms up.
  // ---------------------------------------------------------------------------

  var SNIPPET_LENGTH = 180;
  var RUN_CHAR = /[\p{L}\p{N}\p{M}]/u;

  /** Splits text into parts: word runs (with inner apostrophes) and the rest. */
  function runs(text) {
    var chars = Array.from(text);
    var parts = [];
    var current = '';
    var inWord = false;
    for (var i = 0; i < chars.length; i++) {
      var ch = chars[i];
      var word = RUN_CHAR.test(ch) ||
        (isApostrophe(ch) && inWord && i + 1 < chars.length && RUN_CHAR.test(chars[i + 1]));
      if (word !== inWord && current !== '') { parts.push({ text: current, word: inWord }); current = ''; }
      inWord = word;
      current += ch;
    }
    if (current !== '') parts.push({ text: current, word: inWord });
    return parts;
  }

  /** A stem to look up, or null for a stop word. */
  function lookupStem(word, stopwords) {
    return stopwords.has(word) ? null : stem(word);
  }

  /**
   * A text ready for marking: its parts, each word part with the stems of its words and
   * `key`, the stem of its words joined (what a marked part counts as), and the runs of
   * words joined by hyphens (indexed joined too: "X-ray" as "xray"), by first part.
   */
  function prepare(text, stopwords) {
    var parts = runs(text).map(function (part) {
      var words = part.word ? tokenize(part.text) : [];
      var joined = words.join('');
      return {
        text: part.text, word: part.word, joined: joined, key: part.word ? stem(joined) : '',
        stems: words.map(function (w) { return lookupStem(w, stopwords); }).filter(function (t) { return t !== null; })
      };
    });
    var chains = [];
    for (var i = 0; i < parts.length; i++) {
      if (!parts[i].word) continue;
      var end = i;
      while (end + 2 < parts.length && /^[-\u2010\u2011]$/.test(parts[end + 1].text) && parts[end + 2].word) end += 2;
      if (end > i) {
        var joined = parts.slice(i, end + 1).map(function (p) { return p.joined; }).join('');
        chains.push({ start: i, end: end, stem: lookupStem(joined, stopwords) });
      }
      i = end;
    }
    return { text: text, parts: parts, chains: chains };
  }

  /** Which parts of a prepared text match `terms` (whole hyphen runs when joined), or null for none. */
  function markedParts(prepared, terms) {
    var parts = prepared.parts;
    var marked = null;
    for (var i = 0; i < parts.length; i++) {
      var stems = parts[i].stems;
      for (var j = 0; j < stems.length; j++) {
        if (terms.has(stems[j])) {
          if (!marked) marked = new Array(parts.length).fill(false);
          marked[i] = true;
          break;
        }
      }
    }
    prepared.chains.forEach(function (chain) {
      if (chain.stem === null || !terms.has(chain.stem)) return;
      if (!marked) marked = new Array(parts.length).fill(false);
      for (var k = chain.start; k <= chain.end; k++) marked[k] = true;
    });
    return marked;
  }

  /** Distinct matched words: a run of marked parts counts as the stem of its words joined. */
  function matchedCount(prepared, marked) {
    if (!marked) return 0;
    var keys = [];
    var chains = prepared.chains;
    var c = 0;
    for (var i = 0; i < marked.length; i++) {
      if (!marked[i] || (i > 0 && marked[i - 1])) continue;
      while (c < chains.length && chains[c].start < i) c++;
      // A run starting a hyphen chain whose hyphen is marked is the whole chain.
      var chain = c < chains.length && chains[c].start === i && marked[i + 1] ? chains[c] : null;
      var key = chain ? chain.stem : prepared.parts[i].key;
      if (keys.indexOf(key) < 0) keys.push(key);
    }
    return keys.length;
  }

  /** The parts of a prepared text with `mark` set on matched words; adjacent marks joined. */
  function markParts(prepared, marked) {
    var out = [];
    prepared.parts.forEach(function (part, i) {
      var mark = !!marked && marked[i];
      var last = out[out.length - 1];
      if (last && last.mark && mark) last.text += part.text;
      else out.push({ text: part.text, mark: mark });
    });
    return out;
  }

  function sentences(text) {
    var out = [];
    String(text || '').split('\n').forEach(function (line) {
      line.replace(/([.!?])\s+/g, '$1\n').split('\n').forEach(function (s) { if (s.trim()) out.push(s.trim()); });
    });
    return out;
  }

  /**
   * The document's texts prepared for snippets, made on its first snippet and kept:
   * its sentences, and for each stem the sentences it can mark, in order.
   */
  function snippetSource(doc, stopwords) {
    if (!doc.prepared || doc.prepared.summaryText !== doc.summary || doc.prepared.text !== doc.text) {
      var candidates = sentences(doc.summary).concat(sentences(doc.text)).map(function (s) { return prepare(s, stopwords); });
      var sentencesOf = new Map();
      var note = function (t, i) {
        var list = sentencesOf.get(t);
        if (!list) sentencesOf.set(t, [i]);
        else if (list[list.length - 1] !== i) list.push(i);
      };
      candidates.forEach(function (sentence, i) {
        sentence.parts.forEach(function (part) { part.stems.forEach(function (t) { note(t, i); }); });
        sentence.chains.forEach(function (chain) { if (chain.stem !== null) note(chain.stem, i); });
      });
      doc.prepared = {
        summaryText: doc.summary, text: doc.text,
        summary: doc.summary ? prepare(doc.summary, stopwords) : null,
        candidates: candidates, sentencesOf: sentencesOf
      };
    }
    return doc.prepared;
  }

  function snippet(doc, terms, stopwords) {
    var prepared = snippetSource(doc, stopwords);
    var best = null;
    var bestMarked = null;
    var bestCount = 0;
    // Most matched terms wins; on a tie, a fuller sentence (up to 80 characters) beats
    // a fragment; then the earlier one (the summary comes first).
    var bestFullness = 0;
    var reached = new Set();
    terms.forEach(function (t) { (prepared.sentencesOf.get(t) || []).forEach(function (i) { reached.add(i); }); });
    Array.from(reached).sort(function (a, b) { return a - b; }).forEach(function (i) {
      var sentence = prepared.candidates[i];
      var marked = markedParts(sentence, terms);
      var count = matchedCount(sentence, marked);
      var fullness = Math.min(sentence.text.length, 80);
      if (count > bestCount || (count > 0 && count === bestCount && fullness > bestFullness)) {
        best = sentence; bestMarked = marked; bestCount = count; bestFullness = fullness;
      }
    });
    if (!best) {
      best = prepared.summary || prepared.candidates[0];
      bestMarked = best ? markedParts(best, terms) : null;
    }
    return trimParts(best ? markParts(best, bestMarked) : [], SNIPPET_LENGTH);
  }

  /** Keeps about `length` characters of the parts, starting shortly before the first mark. */
  function trimParts(parts, length) {
    var total = parts.reduce(function (n, p) { return n + p.text.length; }, 0);
    if (total <= length) return parts;
    var firstMark = 0;
    var offset = 0;
    for (var i = 0; i < parts.length; i++) {
      if (parts[i].mark) { firstMark = offset; break; }
      offset += parts[i].text.length;
    }
    var start = Math.max(0, Math.min(firstMark - 40, total - length));
    var out = [];
    var position = 0;
    parts.forEach(function (part) {
      var end = position + part.text.length;
      if (end > start && position < start + length) {
        if (position < start && part.mark) out.push(part);
        else if (position < start) { /* a word cut at the start is dropped */ }
        else if (end > start + length && !part.mark) { /* likewise at the end */ }
        else out.push(part);
      }
      position = end;
    });
    while (out.length && !out[0].mark && !/\S/.test(out[0].text)) out.shift();
    while (out.length && !out[out.length - 1].mark && !/\S/.test(out[out.length - 1].text)) out.pop();
    if (start > 0) out.unshift({ text: '\u2026 ', mark: false });
    if (start + length < total) out.push({ text: ' \u2026', mark: false });
    return out;
  }

  // ---------------------------------------------------------------------------
  // The page: lazy loading, rendering (DOM nodes and textContent only: nothing from
  // the index or the query is ever parsed as HTML), keyboard navigation, ?q=.
  // ---------------------------------------------------------------------------

  /** Loads a file below `<root>search/` with fetch, or XMLHttpRequest from file://. */
  function makeLoader(root, win) {
    var base = root + 'search/';
    function viaXHR(url) {
      return new Promise(function (resolve, reject) {
        var request = new win.XMLHttpRequest();
        request.open('GET', url);
        request.onload = function () {
          if (request.status === 200 || (request.status === 0 && request.responseText)) {
            try { resolve(JSON.parse(request.responseText)); } catch (error) { reject(error); }
          } else {
            reject(new Error(url + ': ' + request.status));
          }
        };
        request.onerror = function () { reject(new Error(url + ': could not be read')); };
        request.send();
      });
    }
    return function (path) {
      var url = base + path;
      if (win.location.protocol === 'file:' || typeof win.fetch !== 'function') return viaXHR(url);
      return win.fetch(url).then(function (response) {
        if (!response.ok) throw new Error(url + ': ' + response.status);
        return response.json();
      });
    };
  }

  function isSafePath(path) {
    return typeof path === 'string' && !/^[a-z][a-z0-9+.-]*:/i.test(path) && path.indexOf('//') !== 0;
  }

  function element(doc, name, className, text) {
    var node = doc.createElement(name);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  /** Starts search on a page with #search-results; returns its controller, or null. */
  function attach(doc, win) {
    var results = doc.getElementById('search-results');
    if (!results) return null;
    var rootHolder = doc.querySelector('[data-search-root]');
    var root = rootHolder ? rootHolder.getAttribute('data-search-root') : '';
    if (root && root.charAt(root.length - 1) !== '/') root += '/';
    var input = doc.getElementById('search-input') ||
      (rootHolder && rootHolder.querySelector('input[type="search"], input[name="q"]')) ||
      doc.querySelector('input[type="search"], input[name="q"]');
    var form = input && input.form;
    var limitText = (rootHolder && rootHolder.getAttribute('data-search-limit')) || results.getAttribute('data-search-limit');
    var limit = parseInt(limitText, 10) || 20;

    var status = doc.getElementById('search-status');
    if (!status) {
      status = element(doc, 'p', 'search-status');
      status.id = 'search-status';
      results.parentNode.insertBefore(status, results);
    }
    status.setAttribute('role', 'status');
    status.setAttribute('aria-live', 'polite');
    var urgentBox = doc.getElementById('search-urgent');
    if (!urgentBox) {
      urgentBox = element(doc, 'div', 'search-urgent');
      urgentBox.id = 'search-urgent';
      results.parentNode.insertBefore(urgentBox, results);
    }
    if (input) {
      input.setAttribute('aria-controls', 'search-results');
      input.setAttribute('autocomplete', 'off');
    }

    // From disk a folder link shows a file listing, so point it at the folder's
    // index.html (as Theme/assets/file-links.js does for the page's own links).
    var fromDisk = win.location.protocol === 'file:';
    function href(path) {
      return root + path + (fromDisk && /\/$/.test(path) ? 'index.html' : '');
    }

    var sourcePromise = null;
    function source() {
      if (!sourcePromise) {
        sourcePromise = openIndex(makeLoader(root, win));
        sourcePromise.catch(function () { sourcePromise = null; });
      }
      return sourcePromise;
    }

    var sequence = 0;
    var active = -1;

    function links() {
      return Array.prototype.slice.call(results.querySelectorAll('a.search-result-link'));
    }

    function setActive(index, focus) {
      var list = links();
      var items = Array.prototype.slice.call(results.querySelectorAll('.search-result'));
      items.forEach(function (item, i) {
        if (i === index) item.classList.add('is-active'); else item.classList.remove('is-active');
      });
      active = index >= 0 && index < list.length ? index : -1;
      // Focus itself moves (to the result's link, or back to the box), so screen
      // readers announce the result as it is chosen.
      if (!focus) return;
      if (active >= 0) list[active].focus();
      else if (input) input.focus();
    }

    function renderStatus(outcome) {
      clear(status);
      var query = outcome.query.trim();
      if (!outcome.results.length) {
        status.appendChild(doc.createTextNode('No results for \u201c' + query + '\u201d.'));
        return;
      }
      if (outcome.corrections.length) {
        status.appendChild(doc.createTextNode('Showing results for '));
        outcome.effective.forEach(function (word, i) {
          if (i > 0) status.appendChild(doc.createTextNode(' '));
          if (word.corrected) status.appendChild(element(doc, 'em', '', word.text));
          else status.appendChild(doc.createTextNode(word.text));
        });
        status.appendChild(doc.createTextNode('. '));
      }
      if (outcome.unknown.length) {
        status.appendChild(doc.createTextNode('Nothing matched \u201c' + outcome.unknown.join(' ') + '\u201d. '));
      }
      var count = outcome.total === 1 ? '1 result' : outcome.total + ' results';
      if (outcome.total > outcome.results.length) count = 'Top ' + outcome.results.length + ' of ' + outcome.total + ' results';
      status.appendChild(doc.createTextNode(count + '.'));
    }

    function renderUrgent(urgent) {
      clear(urgentBox);
      if (!urgent || !isSafePath(urgent.path)) { urgentBox.hidden = true; return; }
      urgentBox.hidden = false;
      var box = element(doc, 'div', 'callout callout-warning search-urgent-box');
      box.setAttribute('role', 'note');
      box.appendChild(element(doc, 'p', 'callout-title', 'When to get help'));
      if (urgent.sign) box.appendChild(element(doc, 'p', 'search-urgent-sign', urgent.sign));
      var line = element(doc, 'p', 'search-urgent-link');
      var link = element(doc, 'a', '', urgent.title);
      link.setAttribute('href', href(urgent.path));
      line.appendChild(doc.createTextNode('Read: '));
      line.appendChild(link);
      box.appendChild(line);
      urgentBox.appendChild(box);
    }

    function renderResults(outcome) {
      clear(results);
      active = -1;
      if (!outcome.results.length) return;
      var list = element(doc, 'ol', 'search-result-list');
      outcome.results.forEach(function (result, i) {
        if (!isSafePath(result.path)) return;
        var item = element(doc, 'li', 'search-result');
        item.id = 'search-result-' + i;
        item.appendChild(element(doc, 'span', 'search-result-type', result.type));
        item.appendChild(doc.createTextNode(' '));
        var link = element(doc, 'a', 'search-result-link', result.title);
        link.setAttribute('href', href(result.path));
        item.appendChild(link);
        var text = element(doc, 'p', 'search-result-snippet');
        result.snippet.forEach(function (part) {
          text.appendChild(part.mark ? element(doc, 'mark', '', part.text) : doc.createTextNode(part.text));
        });
        item.appendChild(text);
        list.appendChild(item);
      });
      results.appendChild(list);
    }

    function run(query, typing) {
      var mine = ++sequence;
      if (!query.trim()) {
        clear(results); clear(status); renderUrgent(null);
        return Promise.resolve(null);
      }
      if (!sourcePromise) status.textContent = 'Loading search\u2026';
      return source().then(function (src) {
        return search(src, query, { typing: typing, limit: limit });
      }).then(function (outcome) {
        if (mine !== sequence) return outcome;
        renderResults(outcome);
        renderUrgent(outcome.urgent);
        renderStatus(outcome);
        results.setAttribute('data-search-done', query);
        return outcome;
      }, function (error) {
        if (mine !== sequence) return null;
        clear(results);
        status.textContent = win.location.protocol === 'file:'
          ? 'Search could not read its index from your disk. Open the site through a web server (for example, make serve) to search it.'
          : 'Search could not load its index. Please try again later.';
        if (win.console) win.console.error(error);
        return null;
      });
    }

    var timer = null;
    if (input) {
      input.addEventListener('focus', function () { source(); });
      input.addEventListener('input', function () {
        if (timer) win.clearTimeout(timer);
        timer = win.setTimeout(function () { run(input.value, true); }, 60);
      });
    }
    if (form) {
      form.addEventListener('submit', function (event) {
        event.preventDefault();
        var query = input.value;
        if (win.history && win.history.replaceState) {
          var url = new win.URL(win.location.href);
          url.searchParams.set('q', query);
          win.history.replaceState(null, '', url.toString());
        }
        run(query, false);
      });
    }

    function onKey(event) {
      var list = links();
      if (event.key === 'ArrowDown') {
        if (!list.length) return;
        event.preventDefault();
        setActive(Math.min(active + 1, list.length - 1), true);
      } else if (event.key === 'ArrowUp') {
        if (!list.length) return;
        event.preventDefault();
        setActive(active - 1, true);
      } else if (event.key === 'Enter' && active >= 0 && list[active]) {
        event.preventDefault();
        win.location.assign(list[active].href);
      } else if (event.key === 'Escape' && active >= 0) {
        setActive(-1, true);
      } else if (input && event.target !== input && event.key && event.key.length === 1 &&
        !event.ctrlKey && !event.metaKey && !event.altKey) {
        setActive(-1, true); // typing on a result goes back to the search box
      }
    }
    if (input) input.addEventListener('keydown', onKey);
    results.addEventListener('keydown', onKey);
    results.addEventListener('focusin', function (event) {
      var index = links().indexOf(event.target);
      if (index >= 0 && index !== active) setActive(index, false);
    });

    var initial = new win.URLSearchParams(win.location.search).get('q');
    var ready = Promise.resolve(null);
    if (initial) {
      if (input) input.value = initial;
      ready = run(initial, false);
    }
    return { run: run, ready: ready, setActive: setActive };
  }

  var api = {
    version: 1,
    fold: fold,
    tokenize: tokenize,
    stem: stem,
    editDistance: editDistance,
    maxEdits: maxEdits,
    fromJSON: fromJSON,
    fromManifest: fromManifest,
    openIndex: openIndex,
    search: search,
    snippet: snippet,
    attach: attach
  };

  var globalObject = typeof globalThis !== 'undefined' ? globalThis
    : typeof window !== 'undefined' ? window : typeof self !== 'undefined' ? self : {};
  globalObject.PatellaSearch = api;
  if (typeof module === 'object' && module && module.exports) module.exports = api;

  if (typeof document !== 'undefined' && typeof window !== 'undefined' && document.getElementById) {
    var start = function () { api.page = attach(document, window); };
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
    else start();
  }
})();
