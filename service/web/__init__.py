"""The reviewers' pages (server-rendered Jinja2 templates, plain JavaScript, no build step)."""
