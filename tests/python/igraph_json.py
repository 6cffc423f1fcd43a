"""README "Use the data from Python and R": the JSON export into python-igraph.

    DAR_URL=http://localhost:8080 python tests/python/igraph_json.py
"""
import json
import os
import urllib.request

import igraph as ig

BASE = os.environ.get("DAR_URL", "http://localhost:8080")

# --- the README snippet ---
with urllib.request.urlopen(f"{BASE}/api/export?format=json") as f:
    data = json.load(f)
g = ig.Graph.DictList(vertices=data["nodes"], edges=data["links"], directed=True,
                      vertex_name_attr="id", edge_foreign_keys=("from", "to"))
top = sorted(zip(g.vs["name_en"], g.pagerank()), key=lambda p: -p[1])[:5]
print(top)
# --- end ---

print(json.dumps({"nodes": g.vcount(), "links": g.ecount(), "programmes": sum(1 for label in g.vs["label"] if label == "Programme")}))
