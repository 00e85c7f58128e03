// Reads a GEXF or GraphML file with graphology's parsers (the ones Gephi Lite uses) and prints the graph as
// JSON (graphology's serialisation: attributes, nodes, edges), or the parser's error with exit status 1.
import { readFileSync } from "node:fs";
import Graph from "graphology";
import gexf from "graphology-gexf";
import graphml from "graphology-graphml";

const [format, file] = process.argv.slice(2);
const text = readFileSync(file, "utf-8");
const parser = { gexf, graphml }[format];
if (!parser) {
  console.error(`unknown format ${format}`);
  process.exit(2);
}
try {
  const graph = parser.parse(Graph, text);
  console.log(JSON.stringify(graph.export()));
} catch (error) {
  console.error(String(error));
  process.exit(1);
}
