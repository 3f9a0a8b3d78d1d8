# SPDX-License-Identifier: GPL-2.0-only
# Turns the guest's BENCH lines into ratios to dm-linear, per round, and their
# median and spread.  Prints a readable table; writes JSON to the file named
# by -v json=FILE and gnuplot data to -v plot=FILE.
#
# fio ratios are target/linear of the same job in the same round (higher is
# better); swap ratios are linear time/target time (higher is better).  1.00
# means as fast as dm-linear.

# median(target's runs of job) / median(dm-linear's), inverted for the swap
# workload's times so that higher is faster.
function median_ratio(job, target,    r, a, b, na, nb) {
	na = nb = 0
	for (r = 1; r <= maxround; r++) {
		if (value[job, target, r] != "") va[++na] = value[job, target, r] + 0
		if (value[job, "linear", r] != "") vb[++nb] = value[job, "linear", r] + 0
	}
	if (!na || !nb) return 0
	a = median(va, na); b = median(vb, nb)
	if (!a || !b) return 0
	return (job == "swap") ? b / a : a / b
}

$1 != "BENCH" { next }
$2 == "start" { kv(); kernel = f["kernel"]; rounds = f["rounds"]; runtime = f["runtime"] }
$2 == "fio" || $2 == "swap" {
	kv()
	job = ($2 == "swap") ? "swap" : f["job"]
	if (!(job in seen_job)) { seen_job[job] = 1; jobs[++njobs] = job }
	if (!((job, f["target"]) in seen_target) ) {
		seen_target[job, f["target"]] = 1
		if (!(f["target"] in any_target)) { any_target[f["target"]] = 1; targets[++ntargets] = f["target"] }
	}
	value[job, f["target"], f["round"]] = f["value"]
	if (f["round"] > maxround) maxround = f["round"]
}
$2 == "untouched" {
	kv()
	untouched[f["target"]] = "read_errors=" f["read_errors"] " write_errors=" f["write_errors"] " healed=" f["healed"]
	if (f["read_errors"] + f["write_errors"] + f["healed"] != 0) broken = broken " " f["target"]
}
$2 == "table" { kv(); for (k in f) { table[k] = f[k]; tkeys[++ntkeys] = k } }

END {
	printf "dm-swapfail benchmark on Linux %s: %d interleaved rounds, fio %ss per run\n",
		kernel, rounds, runtime
	printf "ratio to dm-linear in the same round: median [min-max]; 1.00 = as fast\n\n"
	printf "%-10s", "target"
	for (j = 1; j <= njobs; j++) printf "  %-22s", jobs[j]
	printf "\n"
	print "{" > json
	printf "  \"kernel\": \"%s\",\n  \"rounds\": %d,\n  \"fio_runtime_s\": %d,\n  \"ratios\": {\n", kernel, rounds, runtime > json
	for (t = 1; t <= ntargets; t++) {
		target = targets[t]
		printf "%-10s", target
		printf "    \"%s\": {", target > json
		printf "%s", target > plot
		for (j = 1; j <= njobs; j++) {
			job = jobs[j]
			n = 0
			for (r = 1; r <= maxround; r++) {
				v = value[job, target, r]; base = value[job, "linear", r]
				if (v == "" || base == "" || v == 0 || base == 0) continue
				ratios[++n] = (job == "swap") ? base / v : v / base
			}
			if (!n) { printf "  %-22s", "-"; continue }
			med = median(ratios, n)
			printf "  %.3f [%.3f-%.3f]     ", med, ratios[1], ratios[n]
			printf "%s\"%s\": {\"median\": %.4f, \"min\": %.4f, \"max\": %.4f}", (j > 1 ? ", " : ""), job, med, ratios[1], ratios[n] > json
			printf " %.4f %.4f %.4f", med, ratios[1], ratios[n] > plot
		}
		printf "\n"
		printf "}%s\n", (t < ntargets ? "," : "") > json
		printf "\n" > plot
	}
	# A check on the paired ratios: one slow dm-linear run pulls down every
	# ratio of its round; the ratio of the medians of all runs does not.
	printf "\nmedian of the target's runs / median of dm-linear's:\n"
	printf "  },\n  \"ratio_of_medians\": {\n" > json
	for (t = 1; t <= ntargets; t++) {
		printf "%-10s", targets[t]
		printf "    \"%s\": {", targets[t] > json
		for (j = 1; j <= njobs; j++) {
			rom = median_ratio(jobs[j], targets[t])
			printf "  %-22.3f", rom
			printf "%s\"%s\": %.4f", (j > 1 ? ", " : ""), jobs[j], rom > json
		}
		printf "\n"
		printf "}%s\n", (t < ntargets ? "," : "") > json
	}
	printf "  },\n  \"raw\": {\n" > json
	for (j = 1; j <= njobs; j++) {
		printf "    \"%s\": {", jobs[j] > json
		for (t = 1; t <= ntargets; t++) {
			printf "%s\"%s\": [", (t > 1 ? ", " : ""), targets[t] > json
			for (r = 1; r <= maxround; r++)
				printf "%s%s", (r > 1 ? ", " : ""), value[jobs[j], targets[t], r] > json
			printf "]" > json
		}
		printf "}%s\n", (j < njobs ? "," : "") > json
	}
	printf "  },\n  \"table\": {" > json
	printf "\ntable operations (one 4 KiB-block swapfail device):\n"
	for (k = 1; k <= ntkeys; k++) {
		printf "  %-26s %s\n", tkeys[k], table[tkeys[k]]
		printf "%s\"%s\": %s", (k > 1 ? ", " : ""), tkeys[k], table[tkeys[k]] > json
	}
	printf "},\n  \"untouched\": {" > json
	printf "\nswapfail counters after the runs (no I/O may have failed):\n"
	n = 0
	for (t in untouched) {
		printf "  %-10s %s\n", t, untouched[t]
		printf "%s\"%s\": \"%s\"", (n++ ? ", " : ""), t, untouched[t] > json
	}
	printf "}\n}\n" > json
	if (broken != "") {
		printf "\nERROR: I/O failed or healed on:%s\n", broken
		exit 1
	}
}
