"""`precheck eval`: the pipeline measured against the annotated gold corpus."""
