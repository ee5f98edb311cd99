#!/usr/bin/env python3
"""Runs a command and prints its wall time and peak resident memory as JSON.

Usage: measure.py LABEL -- COMMAND [ARGS...]
Peak memory is the child's ru_maxrss (Linux reports KiB), so it counts everything the
command itself held, including mapped pages it touched.
"""
import json, resource, subprocess, sys, time

label = sys.argv[1]
command = sys.argv[sys.argv.index("--") + 1:]
start = time.perf_counter()
completed = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
peak_kib = usage.ru_maxrss
if completed.returncode not in (0, 1):
    sys.stderr.write(completed.stderr.decode(errors="replace"))
    sys.exit(f"{label}: exit {completed.returncode}")
# CPU seconds (user + system) as well: less sensitive than wall time to other load.
print(json.dumps({"label": label, "seconds": round(wall, 3), "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 3),
                  "peak_mb": round(peak_kib / 1024, 1)}))
