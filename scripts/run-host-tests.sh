#!/bin/sh
# Run host test programs; each ends with "N passed, N failed". Print every
# program's output, then one total line in the same form. Exit 1 on any failure.
total_p=0
total_f=0
status=0
for t in "$@"; do
	echo "== $(basename "$t")"
	out=$("$t" 2>&1)
	rc=$?
	printf '%s\n' "$out"
	line=$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed$' | tail -n 1)
	if [ -z "$line" ]; then
		echo "$(basename "$t"): no result line (exit $rc)"
		total_f=$((total_f + 1))
		status=1
		continue
	fi
	p=${line%% passed*}
	f=${line#*, }
	f=${f%% failed}
	total_p=$((total_p + p))
	total_f=$((total_f + f))
	[ "$rc" -ne 0 ] || [ "$f" -ne 0 ] && status=1
done
echo "host tests: $total_p passed, $total_f failed"
exit $status
