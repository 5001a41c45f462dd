"""The analysis layer: what the notebooks share beyond their own cells
(labels, display tables, figures, the audit relations, the comparison).
"""
