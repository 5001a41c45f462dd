"""The data layer: units, the claims table with its codebook and metadata,
the extractor and coverage.
"""
