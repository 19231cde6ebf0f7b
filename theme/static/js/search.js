// The digest's search page: asks every Pagefind bundle (one or more per language, written at
// build time by plugins/digest/search.py) and lists what they find, each title in its language.

const root = new URL("../../", import.meta.url); // this file is theme/js/search.js in the site
const form = document.getElementById("search-form");
const input = document.getElementById("search-query");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const SHOWN = 50;
const TYPING_PAUSE_MS = 300;

let bundles = null;

async function loadBundles() {
  // A language with many stories has several bundles ("hi", "hi-2", …), each listed with its language.
  const response = await fetch(new URL("pagefind/bundles.json", root));
  const listed = await response.json();
  return Promise.all(
    listed.map(async ({ bundle, lang }) => {
      const pagefind = await import(new URL(`pagefind/${bundle}/pagefind.js`, root).href);
      await pagefind.options({ baseUrl: root.pathname });
      return { lang, pagefind };
    }),
  );
}

async function search(query) {
  bundles ??= await loadBundles();
  // Every bundle ranks its own pages; only the best of them all are loaded and shown.
  const found = await Promise.all(
    bundles.map(async ({ lang, pagefind }) => {
      const response = await pagefind.search(query);
      return response.results.map((result) => ({ lang, score: result.score, result }));
    }),
  );
  const ranked = found.flat().sort((a, b) => b.score - a.score);
  const shown = await Promise.all(
    ranked.slice(0, SHOWN).map(async ({ lang, result }) => ({ lang, data: await result.data() })),
  );
  return { total: ranked.length, shown };
}

// Pagefind's excerpt is HTML with <mark> around the words found. Keep only its text and the
// marks, so that nothing written in a story's text can become markup here.
function excerpt(html) {
  const parsed = new DOMParser().parseFromString(html, "text/html");
  const out = document.createDocumentFragment();
  for (const node of parsed.body.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      out.append(mark);
    } else {
      out.append(document.createTextNode(node.textContent));
    }
  }
  return out;
}

function resultItem({ lang, data }) {
  const item = document.createElement("li");
  const heading = document.createElement("h2");
  const link = document.createElement("a");
  link.href = data.url;
  link.lang = lang;
  link.textContent = data.meta.title || data.url;
  heading.append(link);
  item.append(heading);
  if (data.meta.date) {
    const date = document.createElement("p");
    date.className = "meta";
    date.textContent = data.meta.date;
    item.append(date);
  }
  const text = document.createElement("p");
  text.className = "excerpt";
  text.lang = lang;
  text.append(excerpt(data.excerpt));
  item.append(text);
  return item;
}

let latest = 0;
async function run(query) {
  const ticket = ++latest;
  query = query.trim();
  list.replaceChildren();
  if (!query) {
    status.textContent = "";
    return;
  }
  status.textContent = "Searching…";
  try {
    const { total, shown } = await search(query);
    if (ticket !== latest) return; // a newer search has started
    list.replaceChildren(...shown.map(resultItem));
    const best = total > shown.length ? ` The ${shown.length} best are shown.` : "";
    status.textContent = total
      ? `${total} ${total === 1 ? "story" : "stories"} found for “${query}”.${best}`
      : `No story found for “${query}”.`;
  } catch (error) {
    status.textContent = "Search is not available right now.";
    throw error;
  }
}

function remember(query) {
  const url = new URL(location.href);
  if (query) url.searchParams.set("q", query);
  else url.searchParams.delete("q");
  history.replaceState(null, "", url);
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  remember(input.value);
  run(input.value);
});

let typing = 0;
input.addEventListener("input", () => {
  clearTimeout(typing);
  typing = setTimeout(() => {
    remember(input.value);
    run(input.value);
  }, TYPING_PAUSE_MS);
});

const initial = new URLSearchParams(location.search).get("q") || "";
if (initial) {
  input.value = initial;
  run(initial);
}
