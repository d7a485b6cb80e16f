"""Views of a graph for people and other tools: NetworkX networks and measures, maps, exports.

They take a NetworkX graph (``Graph.to_networkx()``), never a store.
"""
