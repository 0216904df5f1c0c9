"""The Sphinx engine: sharded, mirrored real-time indexes on searchd processes, spoken to over
SphinxQL (the MySQL protocol); analysis, highlighting and result shaping stay ours."""
