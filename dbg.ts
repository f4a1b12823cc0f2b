import { fixtureRuntime } from "./test/helpers.ts";
const rt = await fixtureRuntime();
for (const q of process.argv.slice(2)) {
  const r = await rt.retriever.search(q, "musterstadt");
  console.log(q, "=>", rt.retriever.queryText(q), r.queryLexemes, [...r.idf].map(([k,v])=>`${k}:${v.toFixed(2)}`).join(" "));
  for (const p of r.passages.slice(0,3)) console.log("  ", p.docId, p.rrf.toFixed(4), p.lexRank, p.vecRank, p.similarity.toFixed(2), p.matched);
  const a = await rt.router.handle({kind:"message",platform:"cli",user:{id:"x"},conversation:{id:"c",kind:"personal"},text:q,receivedAt:new Date()});
  console.log("  ->", a.kind, a.confidence);
}
await rt.close();
