"""Insights: finding, counting and watching the records (search, facets, trends,
escalation alerts, maps). The top layer over the domain apps: it may import them,
none of them imports it."""
