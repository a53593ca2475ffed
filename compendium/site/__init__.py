"""The website: pages assembled from the model, the Markdown extension, page finishing
(CSP, permalinks), the search index, the build output and the versioned site."""
