# README "Use the data from Python and R": the CSV export (a zip of nodes.csv and links.csv) into R's igraph.
#   DAR_URL=http://localhost:8080 Rscript tests/r/igraph_csv.R
library(igraph)
base <- Sys.getenv("DAR_URL", "http://localhost:8080")

# --- the README snippet ---
zip <- tempfile(fileext = ".zip")
download.file(paste0(base, "/api/export?format=csv"), zip, mode = "wb", quiet = TRUE)
nodes <- read.csv(unz(zip, "nodes.csv", encoding = "UTF-8-BOM"), colClasses = "character")
links <- read.csv(unz(zip, "links.csv", encoding = "UTF-8-BOM"), colClasses = "character")
g <- graph_from_data_frame(links[, c("from", "to", "type", "id")], vertices = nodes, directed = TRUE)
print(head(sort(degree(g), decreasing = TRUE), 5))
# --- end ---

cat(sprintf('{"nodes": %d, "links": %d, "programmes": %d}\n', vcount(g), ecount(g), sum(V(g)$label == "Programme")))
