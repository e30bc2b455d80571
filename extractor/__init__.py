"""The precheck pipeline: intake → parse → understand → judge → report."""
