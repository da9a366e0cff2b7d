#!/usr/bin/env bash
# execute.sh runs the notebooks start to finish in a GoNB kernel, headless
# (jupyter nbconvert --execute), and stores each one with its outputs, the
# chapter's numbers and figures as a reader sees them on GitHub. The
# training cells train in full (minutes to tens of minutes a notebook);
# with GORGOFLOW_NOTEBOOK_QUICK=1 they run short, for trying the setup.
#
#	notebooks/execute.sh                         # every notebook
#	notebooks/execute.sh chapter14_part2.ipynb   # one
#
# It needs Jupyter and the GoNB kernel (README, "Notebooks"). The notebooks'
# first cell points GoNB's module at this repository, so the run uses the
# code next to the notebooks. A notebook whose run fails is left as it was.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v jupyter >/dev/null; then
  echo "execute.sh: jupyter is not installed (README, Notebooks)" >&2
  exit 1
fi
kernels=$(jupyter kernelspec list 2>/dev/null || true)
if ! grep -q '^ *gonb ' <<<"$kernels"; then
  echo "execute.sh: no gonb kernel (go install github.com/janpfeifer/gonb@latest && gonb --install)" >&2
  exit 1
fi
if [ -n "${GORGOFLOW_NOTEBOOK_QUICK:-}" ]; then
  echo "execute.sh: GORGOFLOW_NOTEBOOK_QUICK is set: the training cells run short" >&2
fi
if [ $# -eq 0 ]; then
  set -- *.ipynb
fi
for nb in "$@"; do
  start=$(date +%s)
  jupyter nbconvert --to notebook --execute --inplace \
    --ExecutePreprocessor.kernel_name=gonb \
    --ExecutePreprocessor.timeout=-1 \
    --ExecutePreprocessor.record_timing=False \
    "$nb"
  echo "$nb: ran in $(( $(date +%s) - start )) s; load average now $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
done
