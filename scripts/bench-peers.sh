#!/usr/bin/env bash
# bench-peers: vmsim against libCacheSim's cachesim, end to end, on one
# generated trace: whole-process time including reading the trace, rounds
# interleaved, medians printed with the ratios, and the miss counts compared.
#
#   make bench-peers                          # cachesim from $PATH, if any
#   CACHESIM=/path/to/cachesim make bench-peers
#   LIBCACHESIM_SRC=/path/to/libCacheSim make bench-peers
#
# With LIBCACHESIM_SRC (a checkout of libCacheSim's source) and no CACHESIM,
# cachesim is built from that source in the scratch directory (CMake
# Release; needs cmake, a C compiler, glib and zstd). Without any cachesim
# the script times vmsim alone.
#
# Settings (environment): ROUNDS (3), REFS (10000000), PAGES (1000000),
# ALPHA (1), SEED (7), POLICIES ("lru fifo clock sieve arc s3-fifo opt"),
# PCTS ("1 10": frames as a percentage of the distinct pages; set but empty,
# the side-by-side runs are skipped), ALL_FRAMES
# (100000: every vmsim policy alone with that many frames; 0 skips it),
# WORK (a scratch directory; a temporary one, removed at the end, by default).
set -euo pipefail

ROUNDS=${ROUNDS:-3}
REFS=${REFS:-10000000}
PAGES=${PAGES:-1000000}
ALPHA=${ALPHA:-1}
SEED=${SEED:-7}
POLICIES=${POLICIES:-"lru fifo clock sieve arc s3-fifo opt"}
PCTS=${PCTS-"1 10"}
ALL_FRAMES=${ALL_FRAMES:-100000}
CACHESIM=${CACHESIM:-$(command -v cachesim || true)}

if [[ ! -x /usr/bin/time ]]; then
	echo "bench-peers: needs /usr/bin/time (Debian package: time)" >&2
	exit 2
fi
if [[ -n "${WORK:-}" ]]; then
	mkdir -p "$WORK"
else
	WORK=$(mktemp -d)
	trap 'rm -rf "$WORK"' EXIT
fi
if [[ -n "$CACHESIM" && ! -x "$CACHESIM" ]]; then
	echo "bench-peers: CACHESIM=$CACHESIM is not an executable" >&2
	exit 2
fi

if [[ -z "$CACHESIM" && -n "${LIBCACHESIM_SRC:-}" ]]; then
	echo "== building cachesim from $LIBCACHESIM_SRC in $WORK/libcachesim"
	cmake -S "$LIBCACHESIM_SRC" -B "$WORK/libcachesim" -DCMAKE_BUILD_TYPE=Release >"$WORK/libcachesim.log" 2>&1 &&
		cmake --build "$WORK/libcachesim" --target cachesim -j 2 >>"$WORK/libcachesim.log" 2>&1 ||
		{
			echo "bench-peers: building cachesim failed; see the end of the log:" >&2
			tail -20 "$WORK/libcachesim.log" >&2
			exit 2
		}
	CACHESIM=$WORK/libcachesim/bin/cachesim
fi

VMSIM=$WORK/vmsim
go build -o "$VMSIM" ./cmd/vmsim

# cachesim's name for a vmsim policy.
peer_name() { if [[ $1 == opt ]]; then echo belady; else echo "$1"; fi; }

# timed OUT CMD...: runs CMD (output to OUT), appends "wall cpu" seconds to OUT.time.
timed() {
	local out=$1
	shift
	/usr/bin/time -f "%e %U %S" -o "$out.t" "$@" >"$out" 2>"$out.err"
	awk '{ printf "%s %.2f\n", $1, $2 + $3 }' "$out.t" >>"$out.time"
}

# median FILE COLUMN
median() { awk -v c="$2" '{ print $c }' "$1" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

vmsim_faults() { sed -n 's/.*"faults": \([0-9]*\).*/\1/p' "$1"; }
peer_ratio() { sed -n 's/.*cache size .*miss ratio \([0-9.]*\), throughput.*/\1/p' "$1" | tail -1; }

echo "== traces: $REFS references, Zipf(alpha=$ALPHA) over $PAGES pages, seed $SEED (vmsim gen)"
"$VMSIM" gen --kind zipf --n "$REFS" --pages "$PAGES" --alpha "$ALPHA" --seed "$SEED" >"$WORK/zipf.refs"
"$VMSIM" gen --kind zipf --n "$REFS" --pages "$PAGES" --alpha "$ALPHA" --seed "$SEED" --format oracle-general >"$WORK/zipf.oracleGeneral.bin"
DISTINCT=$(sort -n -u -S 256M "$WORK/zipf.refs" | wc -l)
echo "$DISTINCT distinct pages; text $(wc -c <"$WORK/zipf.refs") bytes, oracleGeneral $(wc -c <"$WORK/zipf.oracleGeneral.bin") bytes"

if [[ -n "$CACHESIM" ]]; then
	echo
	echo "== miss counts on a 10,000-reference trace (cachesim's 4-decimal miss ratio is exact there)"
	"$VMSIM" gen --kind zipf --n 10000 --pages 2000 --alpha 0.8 --seed "$SEED" --format oracle-general >"$WORK/small.oracleGeneral.bin"
	printf "%-8s %7s %10s %10s  %s\n" policy frames vmsim cachesim verdict
	for p in $POLICIES; do
		for f in 50 500; do
			"$VMSIM" replay --json --policy "$p" --frames "$f" --trace "$WORK/small.oracleGeneral.bin" >"$WORK/small.v"
			(cd "$WORK" && "$CACHESIM" small.oracleGeneral.bin oracleGeneral "$(peer_name "$p")" "$f" --ignore-obj-size 1 --num-thread 1 >"$WORK/small.c" 2>&1)
			v=$(vmsim_faults "$WORK/small.v")
			c=$(awk -v r="$(peer_ratio "$WORK/small.c")" 'BEGIN { printf "%d", r * 10000 + 0.5 }')
			verdict=same
			[[ "$v" == "$c" ]] || verdict="differ by $((v - c))"
			printf "%-8s %7d %10d %10d  %s\n" "$p" "$f" "$v" "$c" "$verdict"
		done
	done
fi

echo
if [[ -n "$PCTS" ]]; then
	echo "== end to end, $ROUNDS rounds interleaved, medians; M refs/s = $REFS / wall time; ratio = cachesim wall / vmsim wall"
	printf "%-8s %4s %7s | %17s | %17s %6s | %17s %6s | %s\n" policy pct frames "cachesim (bin)" "vmsim (text)" ratio "vmsim (bin)" ratio "miss ratio vmsim / cachesim"
	printf "%-8s %4s %7s | %8s %8s | %8s %8s %6s | %8s %8s %6s |\n" "" "" "" "M/s" "cpu s" "M/s" "cpu s" "" "M/s" "cpu s" ""
fi
for pct in $PCTS; do
	frames=$((DISTINCT * pct / 100))
	for p in $POLICIES; do
		base=$WORK/run.$p.$pct
		rm -f "$base".*
		for ((r = 0; r < ROUNDS; r++)); do
			# Rotate the order each round, so that no tool always runs first.
			for k in 0 1 2; do
				case $(((k + r) % 3)) in
				0) [[ -z "$CACHESIM" ]] || (cd "$WORK" && timed "$base.c" "$CACHESIM" zipf.oracleGeneral.bin oracleGeneral "$(peer_name "$p")" "$frames" --ignore-obj-size 1 --num-thread 1) ;;
				1) timed "$base.vt" "$VMSIM" replay --json --policy "$p" --frames "$frames" --trace "$WORK/zipf.refs" ;;
				2) timed "$base.vb" "$VMSIM" replay --json --policy "$p" --frames "$frames" --trace "$WORK/zipf.oracleGeneral.bin" ;;
				esac
			done
		done
		rate() { awk -v n="$REFS" -v t="$(median "$1.time" 1)" 'BEGIN { printf "%.1f", n / t / 1e6 }'; }
		speedup() { awk -v a="$(median "$1.time" 1)" -v b="$(median "$2.time" 1)" 'BEGIN { printf "%.2f", a / b }'; }
		vt=$(rate "$base.vt")
		vb=$(rate "$base.vb")
		vratio=$(awk -v f="$(vmsim_faults "$base.vt")" -v n="$REFS" 'BEGIN { printf "%.4f", f / n }')
		if [[ -n "$CACHESIM" ]]; then
			c=$(rate "$base.c")
			printf "%-8s %3d%% %7d | %8s %8s | %8s %8s %6s | %8s %8s %6s | %s / %s\n" "$p" "$pct" "$frames" \
				"$c" "$(median "$base.c.time" 2)" "$vt" "$(median "$base.vt.time" 2)" "$(speedup "$base.c" "$base.vt")" \
				"$vb" "$(median "$base.vb.time" 2)" "$(speedup "$base.c" "$base.vb")" \
				"$vratio" "$(peer_ratio "$base.c")"
		else
			printf "%-8s %3d%% %7d | %8s %8s | %8s %8s %6s | %8s %8s %6s | %s\n" "$p" "$pct" "$frames" - - \
				"$vt" "$(median "$base.vt.time" 2)" - "$vb" "$(median "$base.vb.time" 2)" - "$vratio"
		fi
	done
done
[[ -n "$CACHESIM" || -z "$PCTS" ]] || echo "(no cachesim: set CACHESIM to a built libCacheSim cachesim to time it too)"

if ((ALL_FRAMES > 0)); then
	echo
	echo "== every vmsim policy with $ALL_FRAMES frames, text trace, median of $ROUNDS; ratio = lru's cpu s / the policy's"
	printf "%-15s %8s %8s %12s %6s\n" policy "M refs/s" "cpu s" "M refs/cpu s" ratio
	policies=$("$VMSIM" replay -h | sed -n 's/.*replacement policy: \(.*\) (default.*/\1/p' | tr -d ,)
	rm -f "$WORK"/all.*
	for ((r = 0; r < ROUNDS; r++)); do
		for p in $policies; do
			timed "$WORK/all.$p" "$VMSIM" replay --json --policy "$p" --frames "$ALL_FRAMES" --trace "$WORK/zipf.refs"
		done
	done
	lru_cpu=$(median "$WORK/all.lru.time" 2)
	for p in $policies; do
		cpu=$(median "$WORK/all.$p.time" 2)
		printf "%-15s %8s %8s %12s %6s\n" "$p" "$(awk -v n="$REFS" -v t="$(median "$WORK/all.$p.time" 1)" 'BEGIN { printf "%.1f", n / t / 1e6 }')" "$cpu" \
			"$(awk -v n="$REFS" -v t="$cpu" 'BEGIN { printf "%.1f", n / t / 1e6 }')" "$(awk -v a="$lru_cpu" -v b="$cpu" 'BEGIN { printf "%.2f", a / b }')"
	done
fi
