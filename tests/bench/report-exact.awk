# SPDX-License-Identifier: GPL-2.0-only
# Turns the BENCH lines of make bench's exact mode (tests/guest/bench-exact.sh)
# into Markdown tables; writes JSON to the file named by -v json=FILE.
#
# Under -icount shift=0 one nanosecond of guest time is one instruction, so:
# - a fio run of RUNTIME seconds executes RUNTIME * 10^9 instructions, and
#   RUNTIME * 10^9 / I/Os is the instructions per I/O, fio's own included.
#   fio's reported runtime is rounded to a millisecond (1000 or 1001 for the
#   same budget), while the I/O count is exact to one I/O: the budget is
#   taken as it is.  "Above dm-linear" is the target's figure minus
#   dm-linear's of the same round: what the target costs per I/O.
# - a message's time in nanoseconds is its instructions.
# Figures are the median of the rounds (or of the messages); the report
# prints the largest spread of the rounds, which should stay under 0.1%.

# 1234567 -> 1,234,567 (rounded to an integer)
function commas(x,    s, neg, out) {
	x = sprintf("%.0f", x)
	neg = (substr(x, 1, 1) == "-")
	s = neg ? substr(x, 2) : x
	out = ""
	while (length(s) > 3) {
		out = "," substr(s, length(s) - 2) out
		s = substr(s, 1, length(s) - 3)
	}
	return (neg ? "-" : "") s out
}

function signed(x) {
	return (x >= 0 ? "+" : "") commas(x)
}

# 59601 -> 59.6k, 9154707 -> 9.15M: three significant digits
function short(x,    unit, d) {
	x += 0
	unit = ""
	if (x >= 1e9) { x /= 1e9; unit = "G" }
	else if (x >= 1e6) { x /= 1e6; unit = "M" }
	else if (x >= 1e3) { x /= 1e3; unit = "k" }
	d = (x >= 100) ? 0 : (x >= 10) ? 1 : 2
	return sprintf("%." d "f%s", x, unit)
}

function size_name(n) {
	if (n >= 1000000 && n % 1000000 == 0) return (n / 1000000) "M"
	if (n >= 1000 && n % 1000 == 0) return (n / 1000) "k"
	return n
}

function job_title(job) {
	if (job == "randread4k") return "4k random read"
	if (job == "randwrite4k") return "4k random write"
	if (job == "seqread64k") return "64k sequential read"
	return job
}

function kind_title(kind) {
	if (kind == "swapfail addbadblock") return "swapfail `addbadblock`"
	if (kind == "swapfail add") return "swapfail `add <block>`"
	if (kind == "dust addbadblock") return "dm-dust `addbadblock`"
	return kind
}

$1 != "BENCH" { next }
$2 == "start" {
	kv(); kernel = f["kernel"]; rounds = f["rounds"]; runtime = f["runtime"]
	io_extents = f["io_extents"]; dust_max = f["dust_max"]; version = f["swapfail"]
}
$2 == "host" { kv(); module = f["module"]; sha = f["sha256"]; host_s = f["host_seconds"]; dust_src = f["dm_dust_source"] }
$2 == "fio" {
	kv()
	njobs = add_unique(jobs, njobs, seen_job, f["job"])
	ntargets = add_unique(targets, ntargets, seen_target, f["target"])
	if (f["ios"] + 0 <= 0) { bad = bad " fio:" f["job"] ":" f["target"]; next }
	per_io[f["job"], f["target"], f["round"]] = runtime * 1e9 / f["ios"]
	lat[f["job"], f["target"], f["round"]] = f["lat_ns"]
	if (f["round"] + 0 > maxround) maxround = f["round"] + 0
}
$2 == "swap" {
	kv()
	if (f["value"] == "") { bad = bad " swap:" f["target"]; next }
	swap[f["target"], f["round"]] = f["value"] + 0
	nswap_targets = add_unique(swap_targets, nswap_targets, seen_swap, f["target"])
}
$2 == "msg" {
	kv()
	kind = (f["kind"] == "dust-logging") ? "dust-logging" : f["kind"] " " f["verb"]
	if (kind != "dust-logging") nkinds = add_unique(kinds, nkinds, seen_kind, kind)
	nsizes = add_unique(sizes, nsizes, seen_size, f["size"] + 0)
	msg_median[kind, f["size"] + 0] = f["median_ns"] + 0
	msg_mean[kind, f["size"] + 0] = f["mean_ns"] + 0
	msg_count[kind, f["size"] + 0] = f["messages"] + 0
	# all in: the loop's time over every message it sent (each timed one's
	# undo, the loop's own work, what the kernel deferred and did meanwhile)
	msg_allin[kind, f["size"] + 0] = f["loop_ns"] / (f["sent"] != "" ? f["sent"] : 2 * f["messages"])
}
$2 == "loop" {
	kv()
	loops++
	loop_target[loops] = f["target"]; loop_messages[loops] = f["messages"] + 0
	loop_ns[loops] = f["loop_ns"] + 0; loop_median[loops] = f["median_ns"] + 0
}
$2 == "untouched" {
	kv()
	if (f["target"] ~ /^sf-/) {
		untouched[f["target"]] = "read_errors=" f["read_errors"] " write_errors=" f["write_errors"] " healed=" f["healed"]
		if (f["read_errors"] + f["write_errors"] + f["healed"] != 0) bad = bad " " f["target"]
	} else {
		untouched[f["target"]] = "bad blocks " f["badblocks"] " of " f["expected"]
		if (f["badblocks"] != f["expected"]) bad = bad " " f["target"]
	}
	nuntouched = add_unique(untouched_targets, nuntouched, seen_untouched, f["target"])
}

END {
	printf "## dm-swapfail exact benchmark, Linux %s\n\n", kernel
	printf "QEMU TCG, `-icount shift=0,sleep=off`, one vCPU: one nanosecond of guest time is one\n"
	printf "guest instruction. dm-swapfail %s", version
	if (module != "") printf " (`%s`, sha256 %s…)", module, sha
	printf ", %d rounds", rounds
	if (dust_src != "") printf "; dm-dust from %s", dust_src
	if (host_s != "") printf "; %d s of host time", host_s
	printf ".\n\n"

	# --- instructions per I/O
	printf "### Instructions per I/O\n\n"
	printf "fio psync, one job, direct I/O, %s instructions per run (`--runtime %d`): per I/O and above\n", commas(runtime * 1e9), runtime
	printf "dm-linear, median of %d rounds. swapfail tables: %s extents (`sf-100k`), one extent of 1,048,576\n", maxround, commas(io_extents)
	printf "blocks (`sf-1m`); dm-dust: %s bad blocks (`dust-4k`), 100,000 (`dust-512`); all outside the I/O.\n\n", commas(io_extents <= dust_max ? io_extents : dust_max)
	printf "| target |"
	for (j = 1; j <= njobs; j++) printf " %s | above dm-linear |", job_title(jobs[j])
	printf "\n|---|"
	for (j = 1; j <= njobs; j++) printf "---:|---:|"
	printf "\n"
	print "{" > json
	printf "  \"kernel\": \"%s\",\n  \"swapfail\": \"%s\",\n  \"module\": \"%s\",\n  \"sha256\": \"%s\",\n", kernel, version, module, sha > json
	printf "  \"rounds\": %d,\n  \"instructions_per_run\": %.0f,\n  \"per_io\": {\n", rounds, runtime * 1e9 > json
	worst = 0
	for (t = 1; t <= ntargets; t++) {
		target = targets[t]
		printf "| %s |", target
		printf "    \"%s\": {", target > json
		for (j = 1; j <= njobs; j++) {
			job = jobs[j]
			n = m = 0
			for (r = 1; r <= maxround; r++) {
				if (per_io[job, target, r] == "") continue
				v[++n] = per_io[job, target, r]
				if (per_io[job, "linear", r] != "")
					d[++m] = per_io[job, target, r] - per_io[job, "linear", r]
			}
			if (!n) { printf " - | - |"; continue }
			med = median(v, n)
			spread = (v[n] - v[1]) / med
			if (spread > worst) { worst = spread; worst_at = target " " job }
			above = m ? median(d, m) : 0
			printf " %s | %s |", commas(med), signed(above)
			printf "%s\"%s\": {\"median\": %.1f, \"min\": %.1f, \"max\": %.1f, \"above_linear\": %.1f", \
				(j > 1 ? ", " : ""), job, med, v[1], v[n], above > json
			if (m) printf ", \"above_linear_min\": %.1f, \"above_linear_max\": %.1f", d[1], d[m] > json
			printf "}" > json
		}
		printf "\n"
		printf "}%s\n", (t < ntargets ? "," : "") > json
	}
	printf "\nLargest spread of the %d rounds: %.3f%% (%s).\n\n", maxround, worst * 100, worst_at
	printf "  },\n  \"largest_spread\": %.6f,\n", worst > json

	# --- message costs
	sort_values(sizes, nsizes)
	printf "### One message against the size of the table\n\n"
	printf "Instructions of one one-block message sent through libdevmapper by one process, each\n"
	printf "followed by an untimed undo (`removebadblock`, `remove`) so that every message sees the same\n"
	printf "table: median of M messages (M: as many as fit in 4 x 10^9 instructions, 10 to 200). All in:\n"
	printf "the loop's time over all the messages it sent, undo messages included: with what the kernel\n"
	printf "deferred (freeing replaced tables) and the loop's own work (about 2k).\n\n"
	printf "| extents |"
	for (k = 1; k <= nkinds; k++) printf " %s | all in |", kind_title(kinds[k])
	printf "\n|---:|"
	for (k = 1; k <= nkinds; k++) printf "---:|---:|"
	printf "\n"
	printf "  \"message\": {\n" > json
	for (s = 1; s <= nsizes; s++) {
		size = sizes[s]
		printf "| %s |", size_name(size)
		for (k = 1; k <= nkinds; k++) {
			kind = kinds[k]
			if (msg_median[kind, size] == "") { printf " - | - |"; continue }
			printf " %s (M=%d) | %s |", short(msg_median[kind, size]), msg_count[kind, size], short(msg_allin[kind, size])
			printf "%s    \"%s %d\": {\"median\": %d, \"mean\": %d, \"all_in\": %d, \"messages\": %d}", \
				(nmsg++ ? ",\n" : ""), kind, size, msg_median[kind, size], msg_mean[kind, size], msg_allin[kind, size], msg_count[kind, size] > json
		}
		printf "\n"
	}
	if (msg_median["dust-logging", 0] != "") {
		printf "\ndm-dust logs every block it adds unless told `quiet` (as it is above): with its log line,\n"
		printf "`addbadblock` on an empty table costs %s.\n", short(msg_median["dust-logging", 0])
		printf "%s    \"dust-logging addbadblock 0\": {\"median\": %d, \"mean\": %d, \"messages\": %d}", \
			(nmsg++ ? ",\n" : ""), msg_median["dust-logging", 0], msg_mean["dust-logging", 0], msg_count["dust-logging", 0] > json
	}
	if (dust_max + 0 < sizes[nsizes])
		printf "\ndm-dust's table was filled to %s blocks at most (one message each).\n", commas(dust_max)
	printf "\n  },\n" > json

	if (loops) {
		printf "\n%s one-block `addbadblock` messages into an empty table, one process, through\n", commas(loop_messages[1])
		printf "libdevmapper, every other block (the loop's own work included):\n\n"
		printf "| target | instructions | per message | median |\n|---|---:|---:|---:|\n"
		printf "  \"loops\": {\n" > json
		for (l = 1; l <= loops; l++) {
			printf "| %s | %s | %s | %s |\n", loop_target[l], commas(loop_ns[l]), short(loop_ns[l] / loop_messages[l]), short(loop_median[l])
			printf "    \"%s\": {\"messages\": %d, \"instructions\": %.0f, \"median\": %d}%s\n", loop_target[l], loop_messages[l], loop_ns[l], loop_median[l], (l < loops ? "," : "") > json
		}
		printf "  },\n" > json
		printf "\n"
	}

	# --- swap workload
	printf "### Swap workload\n\n"
	printf "`swapload`, the wall-clock bench's workload, under -icount: its time is its instructions\n"
	printf "(10^9 per second). Ratio: dm-linear's time / the target's, in the same round (1.000 = as\n"
	printf "fast); median [lowest-highest] of %d rounds.\n\n", maxround
	printf "| target | time (s = 10^9 instructions) | ratio to dm-linear |\n|---|---:|---:|\n"
	printf "  \"swap\": {\n" > json
	for (t = 1; t <= nswap_targets; t++) {
		target = swap_targets[t]
		n = m = 0
		for (r = 1; r <= maxround; r++) {
			if (swap[target, r] == "") continue
			v[++n] = swap[target, r]
			if (swap["linear", r] != "") d[++m] = swap["linear", r] / swap[target, r]
		}
		if (!n) continue
		med = median(v, n)
		medr = m ? median(d, m) : 0
		printf "| %s | %.4f | %.4f [%.4f-%.4f] |\n", target, med, medr, d[1], d[m]
		printf "    \"%s\": {\"median_s\": %.6f, \"min_s\": %.6f, \"max_s\": %.6f, \"ratio\": %.5f, \"ratio_min\": %.5f, \"ratio_max\": %.5f}%s\n", \
			target, med, v[1], v[n], medr, d[1], d[m], (t < nswap_targets ? "," : "") > json
	}

	printf "\nNo I/O may have failed or healed a block; after the runs:\n\n"
	printf "  },\n  \"untouched\": {" > json
	for (t = 1; t <= nuntouched; t++) {
		printf "- %s: %s\n", untouched_targets[t], untouched[untouched_targets[t]]
		printf "%s\"%s\": \"%s\"", (t > 1 ? ", " : ""), untouched_targets[t], untouched[untouched_targets[t]] > json
	}
	printf "}\n}\n" > json
	if (bad != "") {
		printf "\nERROR: I/O failed or healed, or a measurement is missing:%s\n", bad
		exit 1
	}
}
