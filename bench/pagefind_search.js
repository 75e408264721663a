// The query handling of our Material patch (macros/search_build.py), ported to Pagefind for
// bench/pagefind_eval.py. Called by Playwright as fn([query, fillers]); returns result paths.
async ([query, fillers]) => {
  if (!window.handbookPagefind) {
    const base = new URL("pagefind/", document.baseURI);
    const pagefind = await import(new URL("pagefind.js", base).href);
    await pagefind.options({ranking: {pageLength: 0.3}});
    await pagefind.init();
    const extra = await (await fetch(new URL("handbook-search.json", base))).json();
    window.handbookPagefind = {pagefind, words: new Set(extra.words), boosts: extra.boosts};
  }
  const {pagefind, words, boosts} = window.handbookPagefind;
  const long = fillers.filter(f => f.length > 1).sort((a, b) => b.length - a.length);
  const tail = fillers.filter(f => f.length == 1);
  const oneOff = (a, b) => [...a].filter((c, i) => c != b[i]).length == 1;
  // A run of 3 or more characters with one wrong character becomes the known word it is one off.
  const corrected = run => {
    if (run.length < 3 || words.has(run)) return run;
    for (const word of words) {
      if (word.length < 3 || word.length > run.length) continue;
      for (let i = 0; i + word.length <= run.length; i++) {
        const piece = run.slice(i, i + word.length);
        if (!words.has(piece) && oneOff(piece, word)) return run.slice(0, i) + word + run.slice(i + word.length);
      }
    }
    return run;
  };
  const cleaned = query.replace(/\p{sc=Han}+/gu, run => {
    let kept = run;
    for (const filler of long) {
      const rest = kept.split(filler).join(" ");
      if (rest.trim()) kept = rest;
    }
    const parts = kept.split(" ").filter(Boolean).map(part => {
      while (part.length > 1 && tail.includes(part.at(-1))) part = part.slice(0, -1);
      return part;
    });
    return " " + parts.map(corrected).join("") + " ";
  }).trim();
  let results = (await pagefind.search(cleaned)).results;
  if (!results.length && cleaned != query) results = (await pagefind.search(query)).results;
  results = results.slice(0, 12);
  // Pagefind requires every word; Material's search takes any. With few pages found, add the pages
  // each word finds alone, after them.
  if (results.length < 5) {
    const seen = new Set(results.map(r => r.id));
    const more = new Map();
    const segmenter = new Intl.Segmenter("zh", {granularity: "word"});
    for (const {segment, isWordLike} of segmenter.segment(cleaned)) {
      if (!isWordLike || segment.length < 2) continue;
      for (const r of (await pagefind.search(segment)).results.slice(0, 12))
        if (!seen.has(r.id)) more.set(r.id, {r, score: (more.get(r.id)?.score ?? 0) + r.score});
    }
    const ranked = [...more.values()].sort((a, b) => b.score - a.score).map(m => m.r);
    results = [...results, ...ranked].slice(0, 12);
    results.forEach((r, i) => { r.order = results.length - i; });
  }
  const pages = await Promise.all(results.map(async r => {
    const path = new URL((await r.data()).url, document.baseURI).pathname.replace(/^\//, "");
    return {path, score: (r.order ?? r.score) * (boosts[path] ?? 1)};
  }));
  return pages.sort((a, b) => b.score - a.score).map(p => p.path);
}
