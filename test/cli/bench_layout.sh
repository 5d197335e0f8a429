#!/bin/sh
# bench_layout.sh LAYOUT BINDIR LIBEXECDIR DATADIR VMIO_SIM VMIO_BENCH PLOT_PY ARGS...: runs a
# copy of VMIO_SIM as <prefix>/BINDIR/vmio-sim ARGS... from a fresh temporary prefix that holds,
# by LAYOUT (the directories relative to the prefix, as meson configured them):
#   nothing         vmio-sim alone
#   no-plot         LIBEXECDIR/vmio/vmio-bench, but no DATADIR/vmio/plot.py
#   no-interpreter  both, plot.py's #! naming an interpreter that does not exist
#   installed       both (links to VMIO_BENCH and PLOT_PY), where `meson install` puts them
# The copy is away from its build tree, so it loads the libraries the original resolves
# (through LD_LIBRARY_PATH: its rpath is relative to the original). Exits with its status.
set -u
layout=$1 bindir=$2 libexecdir=$3 datadir=$4
vmio_sim=$(readlink -f "$5") vmio_bench=$(readlink -f "$6") plot=$(readlink -f "$7")
shift 7
prefix=$(mktemp -d "${TMPDIR:-/tmp}/vmio-bench-layout.XXXXXX") || exit 99
trap 'rm -rf "$prefix"' EXIT
mkdir -p "$prefix/$bindir" "$prefix/$libexecdir/vmio" "$prefix/$datadir/vmio"
cp "$vmio_sim" "$prefix/$bindir/vmio-sim"
case $layout in
  nothing) ;;
  no-plot) ln -s "$vmio_bench" "$prefix/$libexecdir/vmio/vmio-bench" ;;
  no-interpreter)
    ln -s "$vmio_bench" "$prefix/$libexecdir/vmio/vmio-bench"
    printf '#!/nonexistent/python3\n' >"$prefix/$datadir/vmio/plot.py"
    chmod +x "$prefix/$datadir/vmio/plot.py" ;;
  installed)
    ln -s "$vmio_bench" "$prefix/$libexecdir/vmio/vmio-bench"
    ln -s "$plot" "$prefix/$datadir/vmio/plot.py" ;;
  *) echo "bench_layout.sh: unknown layout '$layout'"; exit 99 ;;
esac
libraries=$(ldd "$vmio_sim" | sed -n 's|.* => \(/.*\)/[^/]* (0x.*|\1|p' | sort -u | paste -sd: -)
LD_LIBRARY_PATH=$libraries${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} "$prefix/$bindir/vmio-sim" "$@"
status=$?
exit $status
