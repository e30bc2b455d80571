"""The precheck pipeline: intake → parse → understand → judge → report."""

import os

# 管理办法 第十九条: applicants' files, and anything about them, never leave the machine. onnxruntime
# (from 1.29 on Linux) sends usage telemetry and keeps a device id under ~/.cache/Microsoft unless this
# is set before its first session is made; it is set here, on import of the pipeline, for this process
# and every worker it starts, whatever the environment says (tests/test_no_network.py proves it).
os.environ["ORT_DISABLE_TELEMETRY"] = "1"
