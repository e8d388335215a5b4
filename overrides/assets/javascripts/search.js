// The site's search, loaded when a reader opens it (partials/search.html). It asks the Pagefind
// index that every build writes (src/publicity/search/) and shows title, kind, date and an
// excerpt with the match marked. Everything it loads comes from the site itself.
//
// The query is folded and cut the way the index was (search/text.py): Traditional characters to
// Simplified with the table in the site's pagefind/fold.json (asked for only when a query or a
// result's title holds a character search.json lists as folding), full-width letters and digits to
// ASCII, and each run of Han characters into overlapping bigrams (集中整治 -> 集中 中整 整治), as
// Lucene's CJK analysis does. The longest run is asked as an exact phrase (its bigrams at every
// other character, which the index places at consecutive positions: 集中 整治), so any part of a
// sentence is found wherever a dictionary would cut it;
// items that hold the run's characters only apart follow those with the phrase. A single Han
// character matches the index words it begins. A long run is asked without some of the bigrams
// that are common in the index when they would download too much (search.json's "common"; prune).

const HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}"; // as search.py's _HAN
const HAN_START = new RegExp(`^[${HAN}]`, "u");
const HAN_PREFIX = new RegExp(`^[${HAN}]+`, "u");
const ALNUM_END = /[\p{L}\p{N}]$/u;
const ALNUM_START = /^[\p{L}\p{N}]/u;
// As search.py's cut(): a Han run, or letters and digits (not Han), or one other mark.
const WORD = new RegExp(`[${HAN}]+|[^\\s\\p{P}\\p{S}${HAN}]+`, "gu");
const PIECE = new RegExp(`[${HAN}]+|[^\\s\\p{P}\\p{S}${HAN}]+|\\S`, "gu");
const PAGE = 10; // results shown at a time
const WINDOW = 3; // a phrase of more than three bigrams (eight characters) may leave out its common ones (prune)
const BUDGET = 150; // KB that a phrase's common bigrams may download (prune): Pagefind's files and excerpts are ~200 more

let engine = null;

export function start(box, toggle) {
  engine = engine || new Search(box, toggle);
  return engine.ready;
}

class Search {
  constructor(box, toggle) {
    this.box = box;
    this.toggle = toggle;
    this.input = box.querySelector(".md-search__input");
    this.meta = box.querySelector(".md-search-result__meta");
    this.list = box.querySelector(".md-search-result__list");
    this.filters = box.querySelector(".pub-search__filters");
    this.root = siteRoot();
    this.serial = 0;
    this.shown = 0;
    this.results = [];
    this.stylesheet();
    this.ready = this.load().then(() => this.bind());
  }

  stylesheet() {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = new URL("assets/stylesheets/search.css", this.root).href;
    document.head.appendChild(link);
  }

  async load() {
    const base = new URL("pagefind/", this.root);
    const code = import(new URL("pagefind.js", base).href).catch(() => null); // meanwhile
    const settings = await fetch(new URL("search.json", base)).then((r) => r.json());
    this.gram = settings.gram;
    this.common = commonBigrams(settings.common);
    this.folding = foldingSet(settings.folds);
    this.foldTable = new Map(); // filled from fold.json when first needed (needFold)
    this.fold = folder(this.foldTable);
    if (!settings.records) {
      this.meta.textContent = "网站还没有可以搜索的内容";
      this.input.disabled = true;
      return new Promise(() => {}); // nothing to bind
    }
    const pagefind = await code;
    if (!pagefind) throw new Error("pagefind.js did not load");
    // Pagefind cuts a query with the browser's word segmenter when the page's language is
    // Chinese; the index is cut by the build already, and cutting the query again would lose
    // words that cross the segmenter's boundaries. The instance takes the page's language when
    // it is created, so it is created under a language that needs no cutting.
    const html = document.documentElement;
    const lang = html.getAttribute("lang");
    html.setAttribute("lang", "und");
    try {
      this.pagefind = pagefind.createInstance({ basePath: base.pathname });
    } finally {
      html.setAttribute("lang", lang);
    }
    await this.pagefind.options({ excerptLength: 0, ranking: { termSimilarity: 0 } });
    // The filters' values come with search.json: Pagefind's filter files load only when one is picked.
    for (const [name, values] of Object.entries(settings.filters)) {
      const select = this.filters.querySelector(`select[name=${name}]`);
      for (const value of values) select.add(new Option(name === "year" ? `${value}年` : value, value));
      select.closest("label").hidden = values.length === 0;
    }
    this.filters.hidden = false;
  }

  bind() {
    this.input.addEventListener("input", () => this.search());
    this.filters.addEventListener("change", () => this.search());
    this.input.form.addEventListener("submit", (e) => {
      e.preventDefault();
      const first = this.list.querySelector("a");
      if (first) first.click();
    });
    this.input.form.addEventListener("reset", () => setTimeout(() => this.search(), 0));
    this.box.addEventListener("keydown", (e) => this.key(e));
    this.toggle.addEventListener("change", () => {
      if (!this.toggle.checked) this.input.blur();
    });
    if (this.input.value.trim()) this.search();
  }

  key(e) {
    const links = [...this.list.querySelectorAll("a.md-search-result__link")];
    const at = links.indexOf(document.activeElement);
    if (e.key === "ArrowDown" && links.length) {  // Escape is the page script's (partials/search.html)
      e.preventDefault();
      links[Math.min(at + 1, links.length - 1)].focus();
    } else if (e.key === "ArrowUp" && at >= 0) {
      e.preventDefault();
      if (at === 0) this.input.focus();
      else links[at - 1].focus();
    }
  }

  // The folding table, fetched once, when one of the texts holds a character it folds.
  async needFold(texts) {
    if (this.foldTable.size || !texts.some((text) => Array.from(text).some((c) => this.folding.has(c)))) return;
    this.foldLoad = this.foldLoad || fetch(new URL("pagefind/fold.json", this.root))
      .then((r) => (r.ok ? r.json() : { pairs: "" }))
      .catch(() => ({ pairs: "" })); // offline for a moment: search on unfolded, and ask again next time
    const { pairs } = await this.foldLoad;
    if (!pairs) this.foldLoad = null;
    const chars = Array.from(pairs);
    for (let i = 0; i + 1 < chars.length; i += 2) this.foldTable.set(chars[i], chars[i + 1]);
  }

  chosenFilters() {
    const chosen = {};
    for (const select of this.filters.querySelectorAll("select")) {
      if (select.value) chosen[select.name] = select.value;
    }
    return chosen;
  }

  async search() {
    const started = performance.now();
    const serial = ++this.serial;
    await this.needFold([this.input.value]);
    if (serial !== this.serial) return; // a newer query has been typed while the table came
    const query = this.fold(this.input.value.trim());
    const parts = [...query.matchAll(WORD)].map((m) => m[0]);
    if (!parts.length) {
      this.results = [];
      this.list.replaceChildren();
      this.meta.textContent = "输入关键词搜索新闻、简报和制度";
      this.box.removeAttribute("data-search-ms");
      return;
    }
    const { phrase, terms, whole } = plan(parts, this.gram, this.common);
    const options = { filters: this.chosenFilters() };
    // Pagefind runs an exact search only for a query that is all one quoted phrase: the terms are
    // asked by the loose search, whose results the phrase's set only orders.
    const exact = phrase && phrase.length > 1 ? await this.pagefind.search(`"${phrase.join(" ")}"`, options) : null;
    const loose = await this.pagefind.search([...(phrase || []), ...terms].join(" "), options);
    if (serial !== this.serial || !loose) return; // a newer query has been typed meanwhile
    // The items with the exact phrase first, then those that hold its words apart; within each,
    // Pagefind's ranking of the plain query (its phrase search returns matches unranked).
    const phrased = new Set(exact ? exact.results.map((r) => r.id) : []);
    this.results = [...loose.results.filter((r) => phrased.has(r.id)), ...loose.results.filter((r) => !phrased.has(r.id))];
    this.parts = parts;
    this.whole = whole; // a phrase asked by a part of it: the items that hold all of it come first on each page
    this.shown = 0;
    this.list.replaceChildren();
    await this.more(serial);
    if (serial !== this.serial) return;
    // Results shown: for which query and how long it took, for the tests and the benchmark to wait on and read
    // (a query typed character by character shows results for each step on the way).
    this.box.setAttribute("data-search-query", this.input.value);
    this.box.setAttribute("data-search-ms", String(Math.round(performance.now() - started)));
  }

  async more(serial) {
    const batch = this.results.slice(this.shown, this.shown + PAGE);
    // An excerpt file can be gone when the site was published anew since the search opened.
    const settled = await Promise.allSettled(batch.map((r) => r.data()));
    const data = settled.filter((s) => s.status === "fulfilled").map((s) => s.value);
    await this.needFold(data.map((item) => item.meta.title)); // the query's words are marked in the title as folded
    if (serial !== this.serial) return;
    // Each result's readable text, made once: for the order (the items that hold the whole phrase first, when
    // only a part of it was asked) and for the excerpt.
    const shown = data.map((item) => {
      const title = this.fold(item.meta.title);
      const text = readable(item.raw_content || item.content, title, this.gram);
      return { item, text, whole: Boolean(this.whole) && (title.includes(this.whole) || text.includes(this.whole)) };
    });
    shown.sort((a, b) => b.whole - a.whole); // stable: Pagefind's order within each
    this.list.querySelector(".pub-search__more")?.remove();
    for (const { item, text } of shown) this.list.appendChild(this.render(item, text));
    this.shown += batch.length;
    const total = this.results.length;
    this.meta.textContent = data.length < batch.length ? "网站刚刚更新过，有的结果显示不出来，请刷新页面后再搜索"
      : total ? `找到 ${total} 条结果` : "没有找到符合条件的结果";
    if (this.shown < total) {
      const li = document.createElement("li");
      li.className = "pub-search__more";
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = `显示更多（还有 ${total - this.shown} 条）`;
      button.addEventListener("click", async () => {
        button.disabled = true; // once: a second click would add the same results again
        const next = this.shown;
        await this.more(serial); // these results' query: nothing, if a newer one has been typed
        this.list.querySelectorAll("a.md-search-result__link")[next]?.focus();
      });
      li.appendChild(button);
      this.list.appendChild(li);
    }
  }

  render(item, text) {
    const meta = item.meta;
    const li = document.createElement("li");
    li.className = "md-search-result__item";
    li.innerHTML =
      `<a class="md-search-result__link" href="${escape(new URL(item.raw_url.replace(/^\//, ""), this.root).href)}">` +
      `<article class="md-search-result__article md-typeset">` +
      `<div class="md-search-result__icon md-icon"></div>` +
      `<h1>${marked(meta.title, this.parts, this.fold)}</h1>` +
      `<p class="pub-search__meta"><span class="pub-search__kind">${escape(meta.kind)}</span>` +
      `<span class="pub-search__date">${escape(meta.date)}</span></p>` +
      `<p class="pub-search__excerpt">${excerpt(text, this.parts, this.fold)}</p>` +
      `</article></a>`;
    return li;
  }
}

function siteRoot() {
  const config = JSON.parse(document.getElementById("__config")?.textContent || "{}");
  return new URL(`${config.base || "."}/`, location.href);
}

// The characters that fold, from search.json: each code point as its step from the one before.
function foldingSet(steps) {
  const set = new Set();
  let point = 0;
  for (const step of steps ? steps.split(",") : []) {
    point += Number(step);
    set.add(String.fromCodePoint(point));
  }
  return set;
}

// Folding, as search.py's fold(): same length, character for character; map is the folding table.
function folder(map) {
  const width = (c) => {
    const code = c.codePointAt(0);
    const fold = (code >= 0xff10 && code <= 0xff19) || (code >= 0xff21 && code <= 0xff3a) || (code >= 0xff41 && code <= 0xff5a);
    return fold ? String.fromCodePoint(code - 0xfee0) : c;
  };
  return (text) => Array.from(text, (c) => map.get(c) ?? width(c)).join("");
}

// A Han run as the index words it is asked by: the bigrams at every other character, which the
// index places one after another (search/text.py's cut_shown), so that they are an exact phrase of
// the run; an odd run's last character comes with the bigram that ends the run, asked as a term.
// A run of up to GRAM characters stands as itself, and matches the index words it begins.
function grams(run, gram) {
  const chars = Array.from(run);
  if (chars.length <= gram) return { phrase: [run], extra: [] };
  const phrase = [];
  for (let i = 0; i + gram <= chars.length; i += gram) phrase.push(chars.slice(i, i + gram).join(""));
  const extra = chars.length % gram ? [chars.slice(-gram).join("")] : [];
  return { phrase, extra };
}

// What to ask Pagefind: the longest Han run longer than one bigram as an exact phrase (Pagefind
// answers one phrase a query), every other part as terms that must all occur. ``whole``: the run,
// when common bigrams were left out of it (prune).
export function plan(parts, gram, common = new Map()) {
  const runs = parts.filter((p) => HAN_START.test(p));
  const longest = runs.reduce((a, b) => (Array.from(b).length > Array.from(a || "").length ? b : a), null);
  const asked = longest && Array.from(longest).length > gram ? prune(grams(longest, gram), common) : null;
  const rest = asked ? parts.filter((p) => p !== longest) : parts;
  const terms = rest.flatMap((p) => {
    if (!HAN_START.test(p)) return [p];
    const { phrase, extra } = grams(p, gram);
    return [...phrase, ...extra];
  });
  return { phrase: asked && asked.phrase, terms: [...(asked ? asked.extra : []), ...terms], whole: asked && asked.pruned ? longest : null };
}

// The common bigrams and the KB each downloads, from search.json ("工作:52 建设:48").
function commonBigrams(listed) {
  return new Map((listed ? listed.split(" ") : []).map((entry) => {
    const [gram, kb] = entry.split(":");
    return [gram, Number(kb)];
  }));
}

// A phrase of more than WINDOW bigrams whose common bigrams (search.json's "common": each in about
// a quarter of 10,000 items or more, with the KB its positions take to download; slow for Pagefind
// to score) would download more than BUDGET is asked without some of them, as Elasticsearch's
// common terms query does. The exact phrase is its longest stretch of bigrams in a row whose common
// ones fit the budget (the first, of several as long); its other bigrams are terms, the common ones
// as far as the budget left allows, the rest left out. The items that hold the whole phrase come
// first on each page of results (more); one that holds only the part asked can come before
// them on an earlier page.
function prune({ phrase, extra }, common) {
  const cost = (grams) => grams.reduce((sum, g) => sum + (common.get(g) || 0), 0);
  if (phrase.length <= WINDOW || cost([...phrase, ...extra]) <= BUDGET) return { phrase, extra, pruned: false };
  let [start, length] = [0, 0];
  for (let i = 0; i < phrase.length; i++) {
    let j = i;
    while (j < phrase.length && cost(phrase.slice(i, j + 1)) <= BUDGET) j++;
    if (j - i > length) [start, length] = [i, j - i];
  }
  let left = BUDGET - cost(phrase.slice(start, start + length));
  const kept = [...phrase.slice(0, start), ...phrase.slice(start + length), ...extra].filter((g) => {
    const kb = common.get(g) || 0;
    if (kb > left) return false;
    left -= kb;
    return true;
  });
  return { phrase: phrase.slice(start, start + length), extra: kept, pruned: true };
}

// The record's readable text, from Pagefind's copy of the words search.py cut it into:
// a Han word stands for its first character, anything else for itself. The title's words
// come first and are left out.
function readable(content, title, gram) {
  const words = content.split(/\s+/).filter(Boolean);
  let skip = 0;
  for (const part of title.matchAll(PIECE)) {
    skip += HAN_START.test(part[0]) ? Array.from(part[0]).length : 1;
  }
  // Letters and digits that were two words (Windows XP) get their space back; marks do not.
  let text = "";
  for (const word of words.slice(skip)) {
    const han = word.match(HAN_PREFIX);
    const piece = han ? Array.from(word)[0] + word.slice(han[0].length) : word;
    if (!han && ALNUM_END.test(text) && ALNUM_START.test(piece)) text += " ";
    text += piece;
  }
  return text.replace(/^\.\s*/, "");
}

function escape(text) {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
}

function lower(text) {
  return text.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

// Where the query's parts occur in text, as [start, end) ranges, merged.
function ranges(text, parts, fold) {
  const hay = lower(fold(text));
  const found = [];
  for (const part of parts) {
    const needle = lower(part);
    for (let at = hay.indexOf(needle); at >= 0 && needle; at = hay.indexOf(needle, at + needle.length)) {
      found.push([at, at + needle.length]);
    }
  }
  found.sort((a, b) => a[0] - b[0]);
  const merged = [];
  for (const r of found) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([...r]);
  }
  return merged;
}

function marked(text, parts, fold, offset = 0, spans = ranges(text, parts, fold)) {
  let html = "";
  let at = 0;
  for (const [s, e] of spans) {
    html += escape(text.slice(at, s - offset)) + `<mark>${escape(text.slice(s - offset, e - offset))}</mark>`;
    at = e - offset;
  }
  return html + escape(text.slice(at));
}

// About 80 characters around the first match, the match marked.
function excerpt(text, parts, fold) {
  const spans = ranges(text, parts, fold);
  const first = spans.length ? spans[0][0] : 0;
  const start = Math.max(0, first - 24);
  const end = Math.min(text.length, start + 80);
  const inside = spans.filter(([s, e]) => s >= start && e <= end);
  const body = marked(text.slice(start, end), parts, fold, start, inside);
  return (start > 0 ? "…" : "") + body + (end < text.length ? "…" : "");
}
