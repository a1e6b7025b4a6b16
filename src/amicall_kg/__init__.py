"""amicall-kg: an offline knowledge graph and semantic search over reports on local migrant integration."""

__version__ = "0.1.0"
