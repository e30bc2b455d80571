"""Hostile inputs: damaged, malicious and resource-hungry files beside a good one."""
