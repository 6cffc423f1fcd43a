"""README "Use the data from Python and R": the CSV export (a zip of nodes.csv and links.csv) into pandas, and
from its Source/Target columns (as Gephi reads them) into networkx.

    DAR_URL=http://localhost:8080 python tests/python/pandas_csv.py
"""
import io
import json
import os
import urllib.request
import zipfile

import networkx as nx
import pandas as pd

BASE = os.environ.get("DAR_URL", "http://localhost:8080")

# --- the README snippet ---
with urllib.request.urlopen(f"{BASE}/api/export?format=csv") as f:
    archive = zipfile.ZipFile(io.BytesIO(f.read()))
nodes = pd.read_csv(archive.open("nodes.csv"), encoding="utf-8-sig", dtype=str)
links = pd.read_csv(archive.open("links.csv"), encoding="utf-8-sig", dtype=str)
print(nodes["label"].value_counts())
G = nx.from_pandas_edgelist(links, "Source", "Target", edge_attr="type", create_using=nx.MultiDiGraph)
# --- end ---

assert (links["Source"] == links["from"]).all() and (links["Target"] == links["to"]).all()
print(json.dumps({"nodes": len(nodes), "links": len(links), "graph_links": G.number_of_edges(), "programmes": int((nodes["label"] == "Programme").sum())}))
