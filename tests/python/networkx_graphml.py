"""README "Use the data from Python and R": the GraphML export into networkx.

    DAR_URL=http://localhost:8080 python tests/python/networkx_graphml.py
"""
import json
import os
import urllib.request

import networkx as nx

BASE = os.environ.get("DAR_URL", "http://localhost:8080")

# --- the README snippet ---
with urllib.request.urlopen(f"{BASE}/api/export?format=graphml") as f:
    G = nx.read_graphml(f)  # a DiGraph, or a MultiDiGraph when two nodes have several links
programmes = [n for n, d in G.nodes(data=True) if d["kind"] == "Programme"]
ranked = sorted(nx.degree_centrality(G).items(), key=lambda kv: -kv[1])[:5]
for node, score in ranked:
    print(f"{score:.3f}  {G.nodes[node]['label']}")  # `label`: the English name; `kind`: Programme, Organisation …
# --- end ---

print(json.dumps({"nodes": G.number_of_nodes(), "links": G.number_of_edges(), "programmes": len(programmes)}))
