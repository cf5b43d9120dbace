// Runs queries through Theme/assets/search.js over a built site's search/ folder, as the
// search page does, and prints every result: Tests/SearchIndexTests/SearchParityTests.swift
// compares them with the Swift port of the ranking (Sources/SearchIndex/SearchEngine.swift).
//
//   node Tests/js/run-queries.mjs <site folder> < queries.json > results.json
//
// queries.json: [{ "query": "menicus", "typing": false }, ...]
// results.json: [{ "ids": [...], "scores": [...], "corrections": [{from, to}], "unknown": [...] }, ...]
// with every result, best first (not only the 20 the page shows).
import fs from 'node:fs';
import { PatellaSearch, diskLoader } from './helpers.mjs';

const queries = JSON.parse(fs.readFileSync(0, 'utf8'));
const opened = await PatellaSearch.openIndex(diskLoader(process.argv[2]));
// Ranking is done before documents are read; without their prose, snippets (which
// would take most of the time over thousands of queries) are trivial.
const source = {
  ...opened,
  documents: (indices) => opened.documents(indices).then((docs) => {
    docs.forEach((doc) => { doc.summary = ''; doc.text = ''; });
    return docs;
  })
};
const results = [];
for (const { query, typing } of queries) {
  const outcome = await PatellaSearch.search(source, query, { typing, limit: Infinity });
  results.push({
    ids: outcome.results.map((r) => r.id),
    scores: outcome.results.map((r) => r.score),
    corrections: outcome.corrections,
    unknown: outcome.unknown
  });
}
process.stdout.write(JSON.stringify(results));
