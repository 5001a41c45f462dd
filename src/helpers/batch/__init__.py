"""The batch machinery: the pipeline file, the runner and its run folders,
execution, the report, verification and the command line.
"""
